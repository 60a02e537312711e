/**
 * A connection's alerts (issue 23): its condition as the last check saw it, where alerts go (Slack, Microsoft Teams,
 * a signed webhook, Jira's own email to chosen people and groups), after how long each condition is worth one, and a
 * Send test alert. The targets' addresses are secrets: the page shows a hint of each ("hooks.slack.com …x7Qa"), never
 * the address, and a new one replaces it.
 */
import { useCallback, useEffect, useState } from 'react';
import { requestJira } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Box, Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select, { AsyncSelect } from '@atlaskit/select';
import { callResolver, problemsAt, TextField, when, type Problem } from '../../shared/ui';
import { conditionWords, thresholdFields, TARGET_WORDS, type AlertView, type Thresholds } from './alert-words';

type Option = { value: string; label: string };

const REMINDERS: Option[] = [
  { value: '0', label: 'Never' },
  { value: '60', label: 'Every hour' },
  { value: '240', label: 'Every 4 hours' },
  { value: '720', label: 'Every 12 hours' },
  { value: '1440', label: 'Every day' },
];

async function jiraJson<T>(path: string): Promise<T | undefined> {
  try {
    const res = await requestJira(path, { headers: { Accept: 'application/json' } });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}

const searchUsers = async (text: string): Promise<Option[]> =>
  (
    (await jiraJson<Array<{ accountId: string; displayName: string; accountType?: string }>>(
      `/rest/api/3/user/search?query=${encodeURIComponent(text.trim())}`,
    )) ?? []
  )
    .filter((u) => u.accountType !== 'app')
    .map((u) => ({ value: u.accountId, label: u.displayName }));

const searchGroups = async (text: string): Promise<Option[]> =>
  (
    (
      await jiraJson<{ groups: Array<{ groupId: string; name: string }> }>(
        `/rest/api/3/groups/picker?maxResults=50&query=${encodeURIComponent(text.trim())}`,
      )
    )?.groups ?? []
  ).map((g) => ({ value: g.groupId, label: g.name }));

export function Alerts({ connectionId, remoteLabel }: { connectionId: string; remoteLabel: string }) {
  const [view, setView] = useState<AlertView>();
  const [error, setError] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [urls, setUrls] = useState({ slackUrl: '', teamsUrl: '', webhookUrl: '', webhookSecret: '' });
  const [thresholds, setThresholds] = useState<Thresholds>();
  const [reminder, setReminder] = useState<number>(240);
  const [users, setUsers] = useState<Option[]>([]);
  const [groups, setGroups] = useState<Option[]>([]);
  const [busy, setBusy] = useState<'save' | 'test' | string>();
  const [saved, setSaved] = useState(false);
  const [tested, setTested] = useState<Array<{ target: string; ok: boolean; reason?: string }>>();

  const show = useCallback(async (data: AlertView) => {
    setView(data);
    setThresholds(data.settings.thresholds);
    setReminder(data.settings.reminderMinutes);
    const names = await Promise.all(
      data.settings.jiraEmail.users.map(async (id) => ({
        value: id,
        label:
          (await jiraJson<{ displayName?: string }>(`/rest/api/3/user?accountId=${encodeURIComponent(id)}`))
            ?.displayName ?? 'Unknown user',
      })),
    );
    setUsers(names);
    const known = await searchGroups('');
    setGroups(
      data.settings.jiraEmail.groups.map((id) => known.find((g) => g.value === id) ?? { value: id, label: id }),
    );
  }, []);

  const load = useCallback(async () => {
    const res = await callResolver<AlertView>('alertSettings', { connectionId });
    if (res.ok) await show(res.data);
    else setError(res.error.message);
  }, [connectionId, show]);
  useEffect(() => void load(), [load]);

  const save = async (change: Record<string, unknown> = {}, busyAs = 'save') => {
    setBusy(busyAs);
    setSaved(false);
    setProblems([]);
    setError(undefined);
    try {
      const typed = Object.fromEntries(Object.entries(urls).filter(([, v]) => v.trim()));
      const res = await callResolver<AlertView>('saveAlertSettings', {
        connectionId,
        thresholds,
        reminderMinutes: reminder,
        jiraEmail: { users: users.map((u) => u.value), groups: groups.map((g) => g.value) },
        ...typed,
        ...change,
      });
      if (res.ok) {
        setUrls({ slackUrl: '', teamsUrl: '', webhookUrl: '', webhookSecret: '' });
        setSaved(true);
        await show(res.data);
      } else {
        setError(res.error.message);
        setProblems((res.error as { problems?: Problem[] }).problems ?? []);
      }
    } finally {
      setBusy(undefined);
    }
  };

  const test = async () => {
    setBusy('test');
    setTested(undefined);
    setError(undefined);
    try {
      const res = await callResolver<{ results: Array<{ target: string; ok: boolean; reason?: string }> }>(
        'sendTestAlert',
        { connectionId },
      );
      if (res.ok) setTested(res.data.results);
      else setError(res.error.message);
    } finally {
      setBusy(undefined);
    }
  };

  if (!view || !thresholds)
    return error ? (
      <SectionMessage appearance="error">
        <p>{error}</p>
      </SectionMessage>
    ) : (
      <Text as="p">Loading alerts…</Text>
    );

  const newSecret = () => {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    setUrls((u) => ({ ...u, webhookSecret: btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '') }));
  };
  const condition = view.condition;
  return (
    <Stack space="space.200" testId="alerts">
      <Heading size="small" as="h3">
        Alerts
      </Heading>
      <Text as="p">
        Crosswalk checks this connection every five minutes and tells you when it needs attention: once when a problem
        starts, a reminder while it lasts, and once when it clears. The issue panels of this project show the same
        problem while it lasts.
      </Text>
      <Box testId="alert-condition">
        {!condition ? (
          <Text as="p">Not checked yet: the first check runs within five minutes of saving the connection.</Text>
        ) : condition.conditions.length === 0 ? (
          <Inline space="space.100" alignBlock="center">
            <Lozenge appearance="success">Working</Lozenge>
            <Text>Nothing needs attention (checked {when(new Date(condition.checkedAt).toISOString())}).</Text>
          </Inline>
        ) : (
          <Stack space="space.100">
            {condition.conditions.map((c) => (
              <SectionMessage
                key={c.kind}
                appearance={c.pastThreshold ? 'error' : 'warning'}
                title={`${conditionWords(c.kind)} since ${new Date(c.since).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`}
              >
                <p>{c.words}.</p>
                <p>{c.check}</p>
                {!c.pastThreshold && <p>Not alerted yet: it has not lasted past its threshold.</p>}
              </SectionMessage>
            ))}
          </Stack>
        )}
      </Box>

      <Heading size="xsmall" as="h4">
        Where alerts go
      </Heading>
      <div className="cw-form-column">
        <Stack space="space.200">
          {(['slack', 'teams', 'webhook'] as const).map((target) => {
            const key = `${target}Url` as const;
            const hint = view.targets[target];
            const problem = view.deliveryProblems[target];
            return (
              <Stack key={target} space="space.050">
                <TextField
                  label={TARGET_WORDS[target].label}
                  type="password"
                  value={urls[key]}
                  onChange={(v) => setUrls((u) => ({ ...u, [key]: v }))}
                  placeholder={
                    hint ? `Set: ${hint} (type a new address to replace it)` : TARGET_WORDS[target].placeholder
                  }
                  helper={TARGET_WORDS[target].helper}
                  errors={problemsAt(problems, key)}
                  testId={`alert-${target}-url`}
                />
                {hint && (
                  <Inline space="space.100" alignBlock="center" testId={`alert-${target}-set`}>
                    <Lozenge appearance="success">Set</Lozenge>
                    <Text size="small">{hint}</Text>
                    <Button
                      appearance="subtle"
                      spacing="compact"
                      aria-label={`Remove ${TARGET_WORDS[target].label}`}
                      isLoading={busy === `remove-${target}`}
                      onClick={() =>
                        void save(
                          { [key]: null, ...(target === 'webhook' ? { webhookSecret: null } : {}) },
                          `remove-${target}`,
                        )
                      }
                    >
                      Remove
                    </Button>
                  </Inline>
                )}
                {problem && (
                  <Text color="color.text.danger" size="small">
                    Last delivery failed {when(new Date(problem.at).toISOString())}: {problem.reason}
                  </Text>
                )}
              </Stack>
            );
          })}
          <Stack space="space.050">
            <TextField
              label="Webhook signing secret"
              type="password"
              value={urls.webhookSecret}
              onChange={(v) => setUrls((u) => ({ ...u, webhookSecret: v }))}
              placeholder={
                view.targets.webhookSecretSet ? 'Set (type a new one to replace it)' : 'At least 16 characters'
              }
              helper="Each delivery carries X-Crosswalk-Signature: sha256=HMAC(secret, timestamp.body) and X-Crosswalk-Alert-Id, by which a receiver recognises a repeat."
              errors={problemsAt(problems, 'webhookSecret')}
              testId="alert-webhook-secret"
            />
            <Inline>
              <Button appearance="subtle" onClick={newSecret}>
                Generate a secret
              </Button>
            </Inline>
            {urls.webhookSecret && (
              <Text size="small">
                Copy the secret into the receiving tool now: once saved, Crosswalk never shows it again.
              </Text>
            )}
          </Stack>
          <Stack space="space.050">
            <Label htmlFor="alert-email-users">Jira email to these people</Label>
            <AsyncSelect
              inputId="alert-email-users"
              isMulti
              loadOptions={searchUsers}
              value={users}
              onChange={(o: readonly Option[] | null) => setUsers([...(o ?? [])])}
              placeholder="Search people by name"
            />
            <Label htmlFor="alert-email-groups">Jira email to these groups</Label>
            <AsyncSelect
              inputId="alert-email-groups"
              isMulti
              defaultOptions
              loadOptions={searchGroups}
              value={groups}
              onChange={(o: readonly Option[] | null) => setGroups([...(o ?? [])])}
              placeholder="Search groups"
            />
            <Text size="small">
              Jira sends the email about the first affected issue, to those of them who may see it.
              {view.deliveryProblems['jira-email']
                ? ` Last email failed: ${view.deliveryProblems['jira-email'].reason}`
                : ''}
            </Text>
          </Stack>
        </Stack>
      </div>
      <Heading size="xsmall" as="h4">
        When to alert
      </Heading>
      <div className="cw-field-grid">
        {thresholdFields(remoteLabel).map((f) => (
          <Box key={f.key}>
            <TextField
              label={f.label}
              value={String(thresholds[f.key])}
              onChange={(v) => setThresholds({ ...thresholds, [f.key]: Number(v.replace(/\D/g, '')) || 0 })}
              errors={problemsAt(problems, `thresholds.${f.key}`)}
              helper={f.helper}
              testId={`alert-threshold-${f.key}`}
            />
          </Box>
        ))}
      </div>
      <div className="cw-form-column">
        <Stack space="space.050">
          <Label htmlFor="alert-reminder">Remind while a problem lasts</Label>
          <Select
            inputId="alert-reminder"
            options={REMINDERS}
            value={
              REMINDERS.find((o) => Number(o.value) === reminder) ?? {
                value: String(reminder),
                label: `${reminder} min`,
              }
            }
            onChange={(o: Option | null) => setReminder(Number(o?.value ?? 240))}
          />
        </Stack>
      </div>
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {saved && (
        <SectionMessage appearance="success">
          <p>Alert settings saved.</p>
        </SectionMessage>
      )}
      <Inline space="space.100">
        <Button appearance="primary" onClick={() => void save()} isLoading={busy === 'save'}>
          Save alert settings
        </Button>
        <Button onClick={() => void test()} isLoading={busy === 'test'} isDisabled={!view.active.length}>
          Send test alert
        </Button>
      </Inline>
      {tested && (
        <SectionMessage
          appearance={tested.every((r) => r.ok) ? 'success' : 'warning'}
          title={tested.every((r) => r.ok) ? 'Test alert sent' : 'Some targets did not take the test alert'}
        >
          <ul data-testid="test-alert-results">
            {tested.map((r) => (
              <li key={r.target}>
                {TARGET_WORDS[r.target as keyof typeof TARGET_WORDS]?.label ?? r.target}:{' '}
                {r.ok ? 'delivered' : `not delivered: ${r.reason}`}
              </li>
            ))}
          </ul>
        </SectionMessage>
      )}
    </Stack>
  );
}
