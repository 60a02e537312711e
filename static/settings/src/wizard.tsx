/**
 * Add or edit a connection in three short steps, driven by the system's
 * settings shape from the server (listConnections().systems): which system,
 * its instance and sign-in (secrets are write-only: a set secret is never
 * shown, only replaced), and what syncs. The server checks everything again
 * and answers problems with their paths; each is shown at its field.
 */
import { useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import ModalDialog, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import {
  MappingEditor,
  RemoteFilterEditor,
  RemoteMetadataNote,
  useJiraMetadata,
  useRemoteMetadata,
  type RemoteCondition,
} from './mapping';
import { ContentRulesEditor, type ContentRules } from './content-rules';
import { PeopleEditor, type UserSettings } from './people';
import { PreviewPanel } from './preview';
import { EgressApproval } from './egress-approval';
import { settingsOf, type ConnectionView, type FieldMapping, type JsonSchema, type SystemDescription } from './types';

const STEPS = ['Connection', 'Instance and sign-in', 'What syncs', 'Preview'] as const;
/** The step whose button saves; the preview after it may save too. */
const SAVE_FROM = 2;

const LABELS: Record<string, string> = {
  baseUrl: 'Instance URL',
  table: 'Table',
  username: 'Integration user name',
  clientId: 'OAuth client ID',
  organization: 'Organization',
  project: 'Project',
  email: 'Email',
  workItemType: 'Work item type',
};
const PLACEHOLDERS: Record<string, string> = { table: 'incident', username: 'crosswalk.integration' };
const AUTH_LABELS: Record<string, string> = {
  basic: 'User name and password',
  oauth: 'OAuth 2.0 client credentials',
  pat: 'Personal access token',
  token: 'API token',
  apiToken: 'API token',
};
const SECRET_LABELS: Record<string, string> = {
  password: 'Password',
  clientSecret: 'OAuth client secret',
  token: 'Token',
};
const POLICIES = [
  { value: 'newest-wins', label: 'The newest change wins' },
  { value: 'jira-wins', label: 'Jira wins' },
  { value: 'remote-wins', label: 'The remote system wins' },
];
/** A starting point per system; the admin edits it, and the server checks it. */
const SUGGESTED_FIELDS: Record<string, FieldMapping[]> = {
  servicenow: [
    { jira: 'summary', remote: 'short_description', direction: 'both' },
    { jira: 'description', remote: 'description', direction: 'both', transform: 'rich-text' },
  ],
  'azure-devops': [
    { jira: 'summary', remote: 'System.Title', direction: 'both' },
    { jira: 'description', remote: 'System.Description', direction: 'both', transform: 'rich-text' },
  ],
  zendesk: [
    { jira: 'summary', remote: 'subject', direction: 'both' },
    { jira: 'description', remote: 'description', direction: 'both', transform: 'rich-text' },
  ],
};

const humanize = (key: string) =>
  LABELS[key] ??
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .replace(/^./, (c) => c.toUpperCase());

interface Draft {
  name: string;
  kind: string;
  remote: Record<string, unknown>;
  credential: Record<string, string>;
  jql: string;
  conflictPolicy: string;
  enabled: boolean;
  fields: FieldMapping[];
  remoteFilter: RemoteCondition[];
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
    remote: { type: kind },
    credential: {},
    jql: '',
    conflictPolicy: 'newest-wins',
    enabled: true,
    fields: SUGGESTED_FIELDS[kind] ?? [{ jira: 'summary', remote: '', direction: 'both' }],
    remoteFilter: [],
    jiraIssueType: 'Task',
    rest: {},
  };
}

function stepOf(path: string): number {
  if (path === 'name' || path === 'remote.type') return 0;
  if (path.startsWith('item')) return 3;
  if (path.startsWith('remote') || path.startsWith('credential')) return 1;
  return 2;
}

const variantsOf = (s: JsonSchema) => s.oneOf ?? s.anyOf;
const kindOf = (v: JsonSchema) => v.properties?.kind?.const as string | undefined;

/** Inputs for one object of the system's settings shape: strings, choices, and one discriminated choice (the auth method). */
function SchemaFields(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  path: string;
  problems: Problem[];
  system: SystemDescription;
  onChange(value: Record<string, unknown>): void;
}) {
  const { schema, value, path, problems, system, onChange } = props;
  const required = new Set(schema.required ?? []);
  const keys = Object.keys(schema.properties ?? {}).filter((k) => k !== 'type' && k !== 'kind');
  return (
    <Stack space="space.200">
      {keys.map((key) => {
        const prop = schema.properties![key]!;
        const id = `${path}.${key}`;
        const variants = variantsOf(prop);
        if (variants?.every((v) => kindOf(v))) {
          const current = (value[key] as Record<string, unknown> | undefined) ?? {};
          const kind = (current.kind as string | undefined) ?? kindOf(variants[0]!)!;
          const variant = variants.find((v) => kindOf(v) === kind)!;
          const options = variants.map((v) => ({
            value: kindOf(v)!,
            label: AUTH_LABELS[kindOf(v)!] ?? humanize(kindOf(v)!),
          }));
          return (
            <Stack space="space.200" key={key}>
              <Stack space="space.050">
                <Label htmlFor={`${id}.kind`}>{key === 'auth' ? 'Sign in with' : humanize(key)}</Label>
                <Select
                  inputId={`${id}.kind`}
                  options={options}
                  value={options.find((o) => o.value === kind)}
                  onChange={(o) => onChange({ ...value, [key]: { kind: o?.value } })}
                />
              </Stack>
              <SchemaFields
                schema={variant}
                value={{ ...current, kind }}
                path={id}
                problems={problems}
                system={system}
                onChange={(v) => onChange({ ...value, [key]: v })}
              />
            </Stack>
          );
        }
        if (prop.type === 'array' || prop.type === 'object' || (!prop.type && !prop.enum)) return null;
        if (prop.enum) {
          const options = prop.enum.map((e) => ({ value: e, label: e }));
          return (
            <Stack space="space.050" key={key}>
              <Label htmlFor={id}>{humanize(key)}</Label>
              <Select
                inputId={id}
                options={options}
                value={options.find((o) => o.value === value[key])}
                onChange={(o) => onChange({ ...value, [key]: o?.value })}
              />
            </Stack>
          );
        }
        if (prop.type === 'boolean')
          return (
            <Checkbox
              key={key}
              label={humanize(key)}
              isChecked={Boolean(value[key])}
              onChange={(e) => onChange({ ...value, [key]: e.target.checked })}
            />
          );
        const isUrl = key === 'baseUrl';
        return (
          <TextField
            key={key}
            id={id}
            label={humanize(key)}
            value={String(value[key] ?? '')}
            isRequired={required.has(key)}
            type={isUrl ? 'url' : 'text'}
            placeholder={isUrl ? system.exampleUrls[0] : PLACEHOLDERS[key]}
            helper={isUrl ? `Crosswalk may reach ${system.hostPatterns.join(', ')} (https only).` : prop.description}
            errors={problemsAt(problems, id)}
            onChange={(v) => onChange({ ...value, [key]: v })}
          />
        );
      })}
    </Stack>
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
  const [step, setStep] = useState(0);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);
  const [count, setCount] = useState<string>();
  const meta = useJiraMetadata();
  const system = systems.find((s) => s.kind === draft.kind);
  // The remote's own fields, once the connection is saved (read with its stored credential on the server).
  const remoteMeta = useRemoteMetadata(existing?.config.id, system?.label ?? 'Remote');
  const schema = system?.settingsSchema ?? {};
  const authKind = ((draft.remote.auth as { kind?: string } | undefined)?.kind ??
    variantsOf(schema.properties?.auth ?? {})?.map(kindOf)[0]) as string | undefined;
  const secrets = system
    ? (system.credentialFields[authKind ?? 'default'] ?? system.credentialFields.default ?? [])
    : [];
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const stepProblems = problems.filter((p) => stepOf(p.path) === step);
  const shownElsewhere = (p: Problem) =>
    p.path === 'name' ||
    p.path === 'jql' ||
    /^remote\.(baseUrl|table|auth\.\w+|\w+)$/.test(p.path) ||
    /^fields\.\d+(\.|$)/.test(p.path) ||
    /^(remoteFilter|linkFilter)\.\d+\.(field|value)$/.test(p.path) ||
    /^users\.table\.\d+/.test(p.path);
  const systemOptions = useMemo(() => systems.map((s) => ({ value: s.kind, label: s.label })), [systems]);

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
  /** What the server plans with (preview, who matches): the settings as drafted, never saved by those calls. */
  const asDrafted = {
    ...(existing ? { connectionId: existing.config.id } : {}),
    settings,
    ...(Object.keys(credential).length ? { credential } : {}),
  };
  const users = (draft.rest.users as UserSettings | undefined) ?? { matchByEmail: true, table: [] };

  const save = async () => {
    setSaving(true);
    setProblems([]);
    try {
      const res = await callResolver<ConnectionView & { pushSetup?: { ok: boolean; description: string } | null }>(
        'saveConnection',
        {
          ...(existing ? { connectionId: existing.config.id } : {}),
          settings,
          ...(Object.keys(credential).length ? { credential } : {}),
        },
      );
      if (res.ok) return props.onSaved(res.data);
      const found = (res.error as { problems?: Problem[] }).problems ?? [{ path: '', message: res.error.message }];
      setProblems(found);
      setStep(Math.min(...found.map((p) => stepOf(p.path))));
    } finally {
      setSaving(false);
    }
  };

  const title = existing ? `Edit ${existing.config.name}` : 'Add a connection';
  return (
    <ModalDialog onClose={props.onClose} width="large" label={title} testId="wizard" shouldScrollInViewport>
      <ModalHeader>
        <ModalTitle>{title}</ModalTitle>
      </ModalHeader>
      <ModalBody>
        <Stack space="space.200">
          <Text color="color.text.subtle" as="p">
            Step {step + 1} of {STEPS.length}: {STEPS[step]}
          </Text>
          {stepProblems.filter((p) => !shownElsewhere(p)).length > 0 && (
            <SectionMessage appearance="error" title="Please check these">
              {stepProblems
                .filter((p) => !shownElsewhere(p))
                .map((p) => (
                  <p key={p.path + p.message}>
                    {p.path ? `${p.path}: ` : ''}
                    {p.message}
                  </p>
                ))}
            </SectionMessage>
          )}
          {step === 0 && (
            <Stack space="space.200">
              <Stack space="space.050">
                <Label htmlFor="system">System</Label>
                <Select
                  inputId="system"
                  options={systemOptions}
                  isDisabled={Boolean(existing)}
                  value={systemOptions.find((o) => o.value === draft.kind)}
                  onChange={(o) =>
                    setDraft(
                      draftFor(
                        undefined,
                        systems.find((s) => s.kind === o?.value),
                      ),
                    )
                  }
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
            <Stack space="space.200">
              <SchemaFields
                schema={schema}
                value={draft.remote}
                path="remote"
                problems={problems}
                system={system}
                onChange={(remote) => set({ remote })}
              />
              <EgressApproval system={system} baseUrl={String(draft.remote.baseUrl ?? '')} />
              {secrets.map((field) => {
                const isSet = existing?.credentialFields.includes(field) && existing.config.remote.type === draft.kind;
                return (
                  <TextField
                    key={field}
                    id={`credential.${field}`}
                    type="password"
                    autoComplete="new-password"
                    label={SECRET_LABELS[field] ?? humanize(field)}
                    isRequired={!isSet}
                    value={draft.credential[field] ?? ''}
                    helper={
                      isSet
                        ? 'A value is stored and never shown. Type a new one to replace it, or leave this empty to keep it.'
                        : 'Stored as a Forge secret; it is never shown again.'
                    }
                    errors={problemsAt(problems, `credential.${field}`)}
                    onChange={(v) => set({ credential: { ...draft.credential, [field]: v } })}
                  />
                );
              })}
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
                onChange={(fields) => set({ fields })}
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
                onChange={(next) => set({ rest: { ...draft.rest, users: next } })}
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
                conditions={(draft.rest.linkFilter as RemoteCondition[] | undefined) ?? []}
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
              <Checkbox
                label="Sync is on (uncheck to save the connection paused)"
                isChecked={draft.enabled}
                onChange={(e) => set({ enabled: e.target.checked })}
              />
            </Stack>
          )}
          {step === 3 && system && <PreviewPanel draft={asDrafted} system={system} />}
        </Stack>
      </ModalBody>
      <ModalFooter>
        <Button appearance="subtle" onClick={props.onClose}>
          Cancel
        </Button>
        {step > 0 && <Button onClick={() => setStep(step - 1)}>Back</Button>}
        {step < SAVE_FROM && (
          <Button appearance="primary" onClick={() => setStep(step + 1)} isDisabled={!system}>
            Next
          </Button>
        )}
        {step === SAVE_FROM && (
          <Button onClick={() => setStep(step + 1)} isDisabled={!system}>
            Preview
          </Button>
        )}
        {step >= SAVE_FROM && (
          <Button appearance="primary" onClick={() => void save()} isLoading={saving}>
            Save connection
          </Button>
        )}
      </ModalFooter>
    </ModalDialog>
  );
}
