/**
 * Add or edit a connection in short steps, drawn from the system's registry
 * entry (listConnections().systems): which system; its instance, scope and
 * sign-in, with the secrets that sign-in needs (write-only: a set secret is
 * never shown, only replaced, and must be typed again when the connection is
 * pointed elsewhere) and a sign-in test; what syncs; a preview. The server
 * checks everything again before each step moves on and when saving; every
 * problem it answers is listed at the top of the step in the page's words
 * (schema titles, "Jira field 4 (Priority)"), and at its field where the page
 * has one. Nothing here names a system.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import { secretStaysWith } from '../../../src/mapping/secret-binding';
import { AccessChecks, type TestResult } from './connection-detail';
import { MappingEditor, RemoteFilterEditor, RemoteMetadataNote, useJiraMetadata, useRemoteMetadata } from './mapping';
import { CreateDefaultsEditor, type CreateDefault } from './create-defaults';
import { LinkDirectionChoice, TypeMapEditor, type HierarchyDirection, type ItemType } from './type-map';
import { ResolutionRulesEditor, type ResolutionRules } from './resolution-rules';
import { ContentRulesEditor, type ContentRules } from './content-rules';
import { PeopleEditor, type UserSettings } from './people';
import { PreviewPanel } from './preview';
import { EgressApproval } from './egress-approval';
import { placeOf, stepOf, STEPS, type PlaceContext } from './problem-words';
import { SchemaFields } from './schema-form';
import { humanize, initialValue } from './settings-shape';
import {
  settingsOf,
  type ConnectionUsage,
  type ConnectionView,
  type FieldMapping,
  type RemoteFilterEntry,
  type SystemDescription,
} from './types';

/** The step whose button saves; the preview after it may save too. */
const SAVE_FROM = 2;
/** The settings key of the sign-in method (src/resolvers/systems.ts reads the same). */
const AUTH = 'auth';

/** Crosswalk's own names for the secret fields it stores, where a system gives none of its own. */
const SECRET_NAMES: Record<string, string> = {
  password: 'Password',
  clientSecret: 'OAuth client secret',
  token: 'Token',
};
/** The runtime's time zones (IANA names), UTC first. */
const TIME_ZONES = [
  'UTC',
  ...(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []).filter(
    (z) => z !== 'UTC',
  ),
].map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
const zoneOption = (zone: string) => TIME_ZONES.find((o) => o.value === zone) ?? { value: zone, label: zone };

const POLICIES = [
  { value: 'newest-wins', label: 'The newest change wins' },
  { value: 'jira-wins', label: 'Jira wins' },
  { value: 'remote-wins', label: 'The remote system wins' },
];

interface Draft {
  name: string;
  kind: string;
  remote: Record<string, unknown>;
  credential: Record<string, string>;
  jql: string;
  conflictPolicy: string;
  enabled: boolean;
  fields: FieldMapping[];
  remoteFilter: RemoteFilterEntry[];
  jiraIssueType: string;
  /** Settings the wizard does not edit (value maps, required fields…), kept as they are. */
  rest: Record<string, unknown>;
}

function draftFor(existing: ConnectionView | undefined, system: SystemDescription | undefined): Draft {
  if (existing) {
    const { name, jql, conflictPolicy, enabled, fields, remote, remoteFilter, jiraIssueType, ...rest } = settingsOf(
      existing.config,
    ) as unknown as Omit<Draft, 'kind' | 'credential' | 'rest'> & Record<string, unknown>;
    return {
      name,
      jql,
      conflictPolicy,
      enabled,
      fields,
      remote,
      remoteFilter: remoteFilter ?? [],
      jiraIssueType: jiraIssueType ?? 'Task',
      kind: String(remote.type),
      credential: {},
      rest,
    };
  }
  const kind = system?.kind ?? '';
  return {
    name: '',
    kind,
    // The schema's constants and defaults (the sign-in method's kind among them), as the registry gives them.
    remote: { ...((system && (initialValue(system.settingsSchema) as Record<string, unknown>)) ?? {}), type: kind },
    credential: {},
    jql: '',
    conflictPolicy: 'newest-wins',
    enabled: true,
    fields: system?.starterFields.length
      ? system.starterFields.map((f) => ({ ...f, direction: 'both' }))
      : [{ jira: 'summary', remote: '', direction: 'both' }],
    remoteFilter: [],
    jiraIssueType: 'Task',
    rest: {},
  };
}

type SignIn = Extract<TestResult, { reachable: boolean }>;

/** What a sign-in test with the draft found: who Crosswalk signed in as and what the sync may do there, or why not. */
function SignInResult({ result, baseUrl }: { result: SignIn; baseUrl: string }) {
  if (!result.reachable)
    return (
      <SectionMessage appearance="error" title={result.kind === 'auth' ? 'Signing in failed' : 'Could not connect'}>
        <p data-testid="sign-in-result">{result.message}</p>
      </SectionMessage>
    );
  const missing = result.checks.some((c) => !c.ok && c.required);
  return (
    <SectionMessage
      appearance={missing ? 'warning' : 'success'}
      title={missing ? 'Signed in, but some of what the sync needs is not allowed' : 'Signed in'}
    >
      <p data-testid="sign-in-result">{`Reached ${baseUrl} and signed in as ${result.identity}.`}</p>
      <AccessChecks checks={result.checks} />
    </SectionMessage>
  );
}

/** Every problem the server answered, where it lies in the page's words, and on which step when not this one. */
function ProblemSummary(props: { title: string; problems: Problem[]; step: number; places: PlaceContext }) {
  if (!props.problems.length) return null;
  return (
    <SectionMessage appearance="error" title={props.title}>
      <ul aria-label="Problems to fix" data-testid="problem-summary">
        {props.problems.map((p) => {
          const place = placeOf(p.path, props.places);
          const step = stepOf(p.path);
          return (
            <li key={`${p.path}\u0000${p.message}`}>
              {`${place ? `${place}: ` : ''}${p.message}${step !== props.step ? ` (step ${step + 1}, ${STEPS[step]})` : ''}`}
            </li>
          );
        })}
      </ul>
    </SectionMessage>
  );
}

export function Wizard(props: {
  systems: SystemDescription[];
  existing?: ConnectionView;
  onClose(): void;
  onSaved(view: ConnectionView & { pushSetup?: { ok: boolean; description: string } | null }): void;
}) {
  const { systems, existing } = props;
  const [draft, setDraft] = useState<Draft>(() => draftFor(existing, systems[0]));
  const initial = useRef(JSON.stringify(draft));
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [summaryTitle, setSummaryTitle] = useState('Please check these');
  const [busy, setBusy] = useState<'save' | 'next' | 'sign-in'>();
  const [signIn, setSignIn] = useState<SignIn>();
  const [confirmClose, setConfirmClose] = useState(false);
  const [count, setCount] = useState<string>();
  const meta = useJiraMetadata();
  const system = systems.find((s) => s.kind === draft.kind);
  // The remote's own fields, once the connection is saved (read with its stored credential on the server).
  const remoteMeta = useRemoteMetadata(existing?.config.id, system?.label ?? 'Remote');
  const schema = system?.settingsSchema ?? {};
  const authKind = (draft.remote[AUTH] as { kind?: string } | undefined)?.kind;
  const secrets = system
    ? (system.credentialFields[authKind ?? 'default'] ?? system.credentialFields.default ?? [])
    : [];
  const secretLabel = (field: string) => system?.secretLabels[field]?.label ?? SECRET_NAMES[field] ?? humanize(field);
  // A stored secret is used only where it was typed: pointed elsewhere, the connection needs it again.
  const secretKept = Boolean(
    existing &&
    system &&
    secretStaysWith(
      existing.config.remote,
      { ...draft.remote, type: draft.kind, baseUrl: String(draft.remote.baseUrl ?? '') },
      system.behaviourSettings,
    ),
  );
  const mustRetype = Boolean(existing) && !secretKept && secrets.length > 0;
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setSignInPart = (change: Partial<Draft>) => {
    // A sign-in test speaks of the settings it ran with.
    setSignIn(undefined);
    set(change);
  };
  const systemOptions = useMemo(() => systems.map((s) => ({ value: s.kind, label: s.label })), [systems]);
  const places: PlaceContext = {
    schema,
    remote: draft.remote,
    secretLabel,
    systemLabel: system?.label ?? 'Remote',
    fields: draft.fields,
    jiraFieldName: (id) => meta?.fields.find((f) => f.id === id)?.name,
  };

  const countIssues = async () => {
    setCount('Counting…');
    const res = await callResolver<{ count: number; capped: boolean }>('countMatchingIssues', { jql: draft.jql });
    if (res.ok) {
      setProblems((ps) => ps.filter((p) => p.path !== 'jql'));
      setCount(
        `${res.data.capped ? 'More than ' : ''}${res.data.count} issue${res.data.count === 1 ? '' : 's'} of this project match${res.data.count === 1 ? 'es' : ''}.`,
      );
    } else {
      setCount(undefined);
      setProblems((ps) => [
        ...ps.filter((p) => p.path !== 'jql'),
        ...((res.error as { problems?: Problem[] }).problems ?? [{ path: 'jql', message: res.error.message }]),
      ]);
    }
  };

  const settings = {
    ...draft.rest,
    name: draft.name,
    remote: { ...draft.remote, type: draft.kind },
    jql: draft.jql,
    conflictPolicy: draft.conflictPolicy,
    enabled: draft.enabled,
    fields: draft.fields,
    remoteFilter: draft.remoteFilter,
    jiraIssueType: draft.jiraIssueType,
  };
  const credential = Object.fromEntries(Object.entries(draft.credential).filter(([k, v]) => v && secrets.includes(k)));
  /** What the server plans with (check, sign-in test, preview, who matches): the settings as drafted, never saved by those calls. */
  const asDrafted = {
    ...(existing ? { connectionId: existing.config.id } : {}),
    settings,
    ...(Object.keys(credential).length ? { credential } : {}),
  };
  const users = (draft.rest.users as UserSettings | undefined) ?? { matchByEmail: true, table: [] };

  const problemsOf = (res: { error: { message: string } }): Problem[] =>
    (res.error as { problems?: Problem[] }).problems ?? [{ path: '', message: res.error.message }];
  /**
   * Lists what stops the wizard at the top of the step, going back to the earliest step with a problem when that
   * is an earlier one (never forward, and never silently: the list says what and where).
   */
  const stopAt = (found: Problem[], title: string) => {
    setProblems(found);
    setSummaryTitle(title);
    setStep(Math.min(step, ...found.map((p) => stepOf(p.path))));
  };

  const next = async () => {
    // Before the preview, the server checks the whole draft: what stops it is listed here, in the page's words.
    if (step === SAVE_FROM) {
      setBusy('next');
      try {
        const res = await callResolver<unknown>('checkConnectionDraft', asDrafted);
        const blocking = res.ok ? [] : problemsOf(res).filter((p) => stepOf(p.path) <= step);
        if (blocking.length) return stopAt(blocking, 'Please fix these before going on');
      } finally {
        setBusy(undefined);
      }
    }
    setProblems([]);
    setStep(step + 1);
  };

  const testSignIn = async () => {
    setBusy('sign-in');
    setSignIn(undefined);
    try {
      const res = await callResolver<{ signIn: SignIn }>('checkConnectionDraft', { ...asDrafted, signIn: true });
      if (res.ok) {
        setProblems([]);
        setSignIn(res.data.signIn);
      } else stopAt(problemsOf(res), 'The connection could not be tested');
    } finally {
      setBusy(undefined);
    }
  };

  const save = async () => {
    setBusy('save');
    setProblems([]);
    try {
      const res = await callResolver<ConnectionView & { pushSetup?: { ok: boolean; description: string } | null }>(
        'saveConnection',
        asDrafted,
      );
      if (res.ok) return props.onSaved(res.data);
      stopAt(problemsOf(res), 'The connection was not saved');
    } finally {
      setBusy(undefined);
    }
  };

  const dirty = JSON.stringify(draft) !== initial.current;
  const requestClose = () => (dirty ? setConfirmClose(true) : props.onClose());
  /**
   * Escape closes an open dropdown, and only that: the dialog listens for Escape on the window, after the
   * dropdown has handled it, so the key stops here while the dropdown's menu is still open.
   */
  const keepEscapeInDropdown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && (e.target as HTMLElement).getAttribute('aria-expanded') === 'true') e.stopPropagation();
  };

  const title = existing ? `Edit ${existing.config.name}` : 'Add a connection';
  const instanceKeys = Object.keys(schema.properties ?? {}).filter((k) => k !== 'type' && k !== AUTH);
  return (
    <>
      <ModalDialog onClose={requestClose} width="large" label={title} testId="wizard" shouldScrollInViewport>
        <ModalHeader>
          <ModalTitle>{title}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {/* Not a control: it only keeps a dropdown's Escape from reaching the dialog (see keepEscapeInDropdown). */}
          <div onKeyDown={keepEscapeInDropdown} role="presentation">
            <Stack space="space.200">
              <Text color="color.text.subtle" as="p">
                Step {step + 1} of {STEPS.length}: {STEPS[step]}
              </Text>
              <ProblemSummary title={summaryTitle} problems={problems} step={step} places={places} />
              {step === 0 && (
                <Stack space="space.200">
                  <Stack space="space.050">
                    <Label htmlFor="system">System</Label>
                    <Select
                      inputId="system"
                      options={systemOptions}
                      isDisabled={Boolean(existing)}
                      value={systemOptions.find((o) => o.value === draft.kind)}
                      onChange={(o) => {
                        setSignIn(undefined);
                        setDraft((d) => ({
                          ...draftFor(
                            undefined,
                            systems.find((s) => s.kind === o?.value),
                          ),
                          name: d.name,
                        }));
                      }}
                    />
                  </Stack>
                  <TextField
                    id="name"
                    label="Name"
                    isRequired
                    value={draft.name}
                    placeholder="e.g. Incidents to ServiceNow"
                    errors={problemsAt(problems, 'name')}
                    onChange={(name) => set({ name })}
                  />
                  {system && (
                    <Text as="p" color="color.text.subtle">
                      {system.label}: comments {system.capabilities.commentVisibilities.join(' and ')};{' '}
                      {system.capabilities.commentEdit ? 'edits cross' : 'comment edits cannot cross'};{' '}
                      {system.changePush === 'automatic'
                        ? 'Crosswalk sets up change notifications when you save.'
                        : 'an admin of the other system pastes the change notification set-up.'}
                    </Text>
                  )}
                </Stack>
              )}
              {step === 1 && system && (
                <Stack space="space.300">
                  <SchemaFields
                    schema={schema}
                    value={draft.remote}
                    path="remote"
                    problems={problems}
                    keys={instanceKeys}
                    hints={{
                      baseUrl: {
                        placeholder: system.exampleUrls[0],
                        helper: `Crosswalk may reach ${system.hostPatterns.join(', ')} (https only).`,
                      },
                    }}
                    onChange={(remote) => setSignInPart({ remote })}
                  />
                  <EgressApproval system={system} baseUrl={String(draft.remote.baseUrl ?? '')} />
                  <Stack space="space.200" testId="sign-in">
                    <Heading size="xsmall" as="h3">
                      Sign-in
                    </Heading>
                    {mustRetype && (
                      <SectionMessage appearance="warning" title="Type the secret again">
                        <p data-testid="secret-retype">
                          {`This connection now reaches another instance or other items, or signs in another way. Its stored ${secrets.map(secretLabel).join(' and ')} is only sent where it was given: type it again to save.`}
                        </p>
                      </SectionMessage>
                    )}
                    {schema.properties?.[AUTH] && (
                      <SchemaFields
                        schema={schema}
                        value={draft.remote}
                        path="remote"
                        problems={problems}
                        keys={[AUTH]}
                        onChange={(remote) => setSignInPart({ remote })}
                      />
                    )}
                    {secrets.map((field) => {
                      const isSet = secretKept && Boolean(existing?.credentialFields.includes(field));
                      const help = system.secretLabels[field]?.help;
                      return (
                        <TextField
                          key={field}
                          id={`credential.${field}`}
                          type="password"
                          autoComplete="new-password"
                          label={secretLabel(field)}
                          isRequired={!isSet}
                          value={draft.credential[field] ?? ''}
                          helper={[
                            help,
                            isSet
                              ? 'A value is stored and never shown. Type a new one to replace it, or leave this empty to keep it.'
                              : 'Stored as a Forge secret; it is never shown again.',
                          ]
                            .filter(Boolean)
                            .join(' ')}
                          errors={problemsAt(problems, `credential.${field}`)}
                          onChange={(v) => setSignInPart({ credential: { ...draft.credential, [field]: v } })}
                        />
                      );
                    })}
                    <Inline>
                      <Button onClick={() => void testSignIn()} isLoading={busy === 'sign-in'}>
                        Test connection
                      </Button>
                    </Inline>
                    {signIn && <SignInResult result={signIn} baseUrl={String(draft.remote.baseUrl ?? '')} />}
                  </Stack>
                </Stack>
              )}
              {step === 2 && (
                <Stack space="space.200">
                  <TextField
                    id="jql"
                    label="Which issues sync (JQL, optional; checked by Jira)"
                    value={draft.jql}
                    placeholder="e.g. labels = customer"
                    helper={count ?? 'Empty: every issue of this project.'}
                    errors={problemsAt(problems, 'jql')}
                    onChange={(jql) => {
                      setCount(undefined);
                      set({ jql });
                    }}
                  />
                  <Inline>
                    <Button onClick={() => void countIssues()}>Count matching issues</Button>
                  </Inline>
                  <Heading size="xsmall" as="h3">
                    Fields
                  </Heading>
                  <RemoteMetadataNote remote={remoteMeta} />
                  <MappingEditor
                    fields={draft.fields}
                    problems={problems}
                    meta={meta}
                    remote={remoteMeta}
                    onChange={(fields) => {
                      // The rows are checked again as they change; an answer about the old rows no longer applies.
                      setProblems((ps) => ps.filter((p) => !p.path.startsWith('fields')));
                      set({ fields });
                    }}
                  />
                  <Heading size="xsmall" as="h3">
                    Work item types
                  </Heading>
                  <TypeMapEditor
                    types={(draft.rest.types as ItemType[] | undefined) ?? []}
                    jiraIssueType={draft.jiraIssueType}
                    connectionId={existing?.config.id}
                    meta={meta}
                    remote={remoteMeta}
                    systemLabel={system?.label ?? 'Remote'}
                    sharedFields={draft.fields}
                    otherTypes={(existing as { usage?: ConnectionUsage } | undefined)?.usage?.otherTypes ?? []}
                    problems={problems}
                    onChange={(types) => {
                      setProblems((ps) => ps.filter((p) => !p.path.startsWith('types')));
                      set({ rest: { ...draft.rest, types } });
                    }}
                  />
                  <LinkDirectionChoice
                    setting="hierarchy"
                    label="Parents and children"
                    direction={
                      (draft.rest.hierarchy as { direction?: HierarchyDirection } | undefined)?.direction ?? 'none'
                    }
                    systemLabel={system?.label ?? 'Remote'}
                    explain={{
                      none: `An epic's stories and a story's sub-tasks stay unlinked in ${system?.label ?? 'the remote'}.`,
                      on: `An epic's stories and a story's sub-tasks are linked as ${system?.label ?? 'the remote'} links parents, each to the item paired with its parent; a child that arrives first is linked when its parent crosses.`,
                    }}
                    problems={problems}
                    onChange={(direction) => set({ rest: { ...draft.rest, hierarchy: { direction } } })}
                  />
                  <LinkDirectionChoice
                    setting="relatedLinks"
                    label="Related issues"
                    direction={
                      (draft.rest.relatedLinks as { direction?: HierarchyDirection } | undefined)?.direction ?? 'none'
                    }
                    systemLabel={system?.label ?? 'Remote'}
                    explain={{
                      none: "Jira's “relates to” links stay in Jira.",
                      on: `Jira's “relates to” links between synced issues cross as ${system?.label ?? 'the remote'}'s links between their items, where it has such links; a link to an item that does not sync stays on its side.`,
                    }}
                    problems={problems}
                    onChange={(direction) => set({ rest: { ...draft.rest, relatedLinks: { direction } } })}
                  />
                  <Heading size="xsmall" as="h3">
                    {`New ${system?.label ?? 'remote'} items`}
                  </Heading>
                  <CreateDefaultsEditor
                    defaults={(draft.rest.createDefaults as CreateDefault[] | undefined) ?? []}
                    remote={remoteMeta}
                    systemLabel={system?.label ?? 'Remote'}
                    mappedFields={new Set(draft.fields.map((f) => f.remote).filter(Boolean))}
                    problems={problems}
                    onChange={(createDefaults) => {
                      setProblems((ps) => ps.filter((p) => !p.path.startsWith('createDefaults')));
                      set({ rest: { ...draft.rest, createDefaults } });
                    }}
                  />
                  <Heading size="xsmall" as="h3">
                    People
                  </Heading>
                  <PeopleEditor
                    users={users}
                    draft={asDrafted}
                    systemLabel={system?.label ?? 'Remote'}
                    canSearchUsers={system?.capabilities.userSearch ?? false}
                    problems={problems}
                    onChange={(nextUsers) => set({ rest: { ...draft.rest, users: nextUsers } })}
                  />
                  <Heading size="xsmall" as="h3">
                    Comments and files
                  </Heading>
                  <ContentRulesEditor
                    rules={{
                      ...(draft.rest.comments ? { comments: draft.rest.comments as ContentRules['comments'] } : {}),
                      ...(draft.rest.attachments
                        ? { attachments: draft.rest.attachments as ContentRules['attachments'] }
                        : {}),
                    }}
                    systemLabel={system?.label ?? 'The remote'}
                    internalComments={system?.capabilities.commentVisibilities.includes('internal') ?? false}
                    problems={problems}
                    onChange={(rules) => set({ rest: { ...draft.rest, ...rules } })}
                  />
                  {system && (system.resolution || system.slas) && (
                    <>
                      <Heading size="xsmall" as="h3">
                        {system.slas ? 'Resolutions and SLA' : 'Resolutions'}
                      </Heading>
                      <ResolutionRulesEditor
                        rules={{
                          ...(draft.rest.resolution
                            ? { resolution: draft.rest.resolution as ResolutionRules['resolution'] }
                            : {}),
                          ...(draft.rest.slaField
                            ? { slaField: draft.rest.slaField as ResolutionRules['slaField'] }
                            : {}),
                        }}
                        system={system}
                        meta={meta}
                        problems={problems}
                        onChange={(rules) => {
                          // Taken whole: an SLA field set to "not copied" leaves the settings.
                          const { resolution: _r, slaField: _s, ...others } = draft.rest;
                          set({ rest: { ...others, ...rules } });
                        }}
                      />
                    </>
                  )}
                  <Heading size="xsmall" as="h3">
                    Remote items that create Jira issues
                  </Heading>
                  <RemoteFilterEditor
                    conditions={draft.remoteFilter}
                    issueType={draft.jiraIssueType}
                    meta={meta}
                    remote={remoteMeta}
                    problems={problems}
                    onChange={(change) => set(change)}
                  />
                  <Heading size="xsmall" as="h3">
                    Remote items people may link by hand
                  </Heading>
                  <RemoteFilterEditor
                    name="linkFilter"
                    conditions={(draft.rest.linkFilter as RemoteFilterEntry[] | undefined) ?? []}
                    meta={meta}
                    remote={remoteMeta}
                    problems={problems}
                    onChange={(change) => set({ rest: { ...draft.rest, linkFilter: change.linkFilter ?? [] } })}
                  />
                  <Stack space="space.050">
                    <Label htmlFor="conflictPolicy">When both sides changed a field</Label>
                    <Select
                      inputId="conflictPolicy"
                      options={POLICIES}
                      value={POLICIES.find((p) => p.value === draft.conflictPolicy)}
                      onChange={(o) => set({ conflictPolicy: o?.value ?? 'newest-wins' })}
                    />
                  </Stack>
                  <Stack space="space.050">
                    <Label htmlFor="timeZone">Time zone where dates meet date-times</Label>
                    <Select
                      inputId="timeZone"
                      options={TIME_ZONES}
                      value={zoneOption(String(draft.rest.timeZone ?? 'UTC'))}
                      onChange={(o) => set({ rest: { ...draft.rest, timeZone: o?.value ?? 'UTC' } })}
                    />
                    <Text size="small" color="color.text.subtlest">
                      A Jira date paired with a date and time is that day from midnight here, and a date and time is the
                      day it falls on here, so no date moves a day.
                    </Text>
                  </Stack>
                  <Checkbox
                    label="Sync is on (uncheck to save the connection paused)"
                    isChecked={draft.enabled}
                    onChange={(e) => set({ enabled: e.target.checked })}
                  />
                </Stack>
              )}
              {step === 3 && system && <PreviewPanel draft={asDrafted} system={system} />}
            </Stack>
          </div>
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={requestClose}>
            Cancel
          </Button>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>Back</Button>}
          {step < SAVE_FROM && (
            <Button appearance="primary" onClick={() => void next()} isDisabled={!system} isLoading={busy === 'next'}>
              Next
            </Button>
          )}
          {step === SAVE_FROM && (
            <Button onClick={() => void next()} isDisabled={!system} isLoading={busy === 'next'}>
              Preview
            </Button>
          )}
          {step >= SAVE_FROM && (
            <Button appearance="primary" onClick={() => void save()} isLoading={busy === 'save'}>
              Save connection
            </Button>
          )}
        </ModalFooter>
      </ModalDialog>
      <ModalTransition>
        {confirmClose && (
          <ModalDialog onClose={() => setConfirmClose(false)} width="small" label="Discard your changes?">
            <ModalHeader>
              <ModalTitle>Discard your changes?</ModalTitle>
            </ModalHeader>
            <ModalBody>
              <Text as="p">
                {existing
                  ? `Your changes to ${existing.config.name} are not saved yet.`
                  : 'This connection is not saved yet.'}{' '}
                Closing the wizard discards what you entered.
              </Text>
            </ModalBody>
            <ModalFooter>
              <Button appearance="subtle" onClick={() => setConfirmClose(false)}>
                Keep editing
              </Button>
              <Button appearance="warning" onClick={props.onClose}>
                Discard changes
              </Button>
            </ModalFooter>
          </ModalDialog>
        )}
      </ModalTransition>
    </>
  );
}
