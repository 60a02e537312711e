/**
 * User mapping in the connection editor: match people by email, see who the
 * draft would match and who not (and why), and pair the rest by hand. The
 * server checks the people the sync would meet, as the engine matches them.
 * Once the connection is saved, the remote side of a pair is picked from the
 * remote's own people, searched as the admin types (the searchRemoteUsers
 * resolver, with the stored credential); before that, or where the remote
 * cannot be searched, the remote user's id is typed.
 */
import { useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import DynamicTable from '@atlaskit/dynamic-table';
import { Label } from '@atlaskit/form';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack, Text } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import Select, { AsyncSelect } from '@atlaskit/select';
import { callResolver, problemsAt, TextField, type Problem } from '../../shared/ui';
import { count } from '../../shared/words';
import type { PreviewDraft } from './preview';

export interface UserSettings {
  matchByEmail: boolean;
  table: Array<{ jiraAccountId: string; remoteUserId: string }>;
}

/** A remote person as searchRemoteUsers answers them: `id` is what the user table stores. */
interface RemoteUser {
  id: string;
  name: string;
  email?: string;
}
type Option = { value: string; label: string };
const userOption = (u: RemoteUser): Option => ({ value: u.id, label: u.email ? `${u.name} (${u.email})` : u.name });
/** How long typing pauses before the remote is asked. */
const SEARCH_DELAY_MS = 300;

/**
 * The remote side of a pair: the remote's people searched as the admin types
 * (debounced), each shown as "Name (email)" and stored by id. A stored id
 * shows as itself until a search names it. A search the server refuses is
 * handed up (`onProblem`), and the editor falls back to typing ids.
 */
function RemoteUserPicker(props: {
  id: string;
  label: string;
  systemLabel: string;
  connectionId: string;
  value: string;
  names: ReadonlyMap<string, string>;
  errors: string[];
  onFound(users: RemoteUser[]): void;
  onProblem(message: string): void;
  onChange(id: string): void;
}) {
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const pending = useRef<(options: Option[]) => void>(undefined);
  const load = (text: string) =>
    new Promise<Option[]>((resolve) => {
      clearTimeout(timer.current);
      // A search overtaken by more typing answers nothing (nothing is cached, so that answer is never shown again).
      pending.current?.([]);
      pending.current = resolve;
      const t = text.trim();
      if (!t) return resolve([]);
      timer.current = setTimeout(() => {
        void callResolver<{ users: RemoteUser[] }>('searchRemoteUsers', {
          connectionId: props.connectionId,
          text: t.slice(0, 100),
        })
          .then((res) => {
            if (res.ok) {
              props.onFound(res.data.users);
              return resolve(res.data.users.map(userOption));
            }
            const problems = (res.error as { problems?: Problem[] }).problems ?? [];
            const problem = problemsAt(problems, 'remoteUsers')[0];
            if (problem) props.onProblem(problem);
            resolve([]);
          })
          .catch(() => resolve([]));
      }, SEARCH_DELAY_MS);
    });
  const value = props.value ? { value: props.value, label: props.names.get(props.value) ?? props.value } : null;
  return (
    <Stack space="space.050">
      <Label htmlFor={props.id}>{props.label}</Label>
      <AsyncSelect
        inputId={props.id}
        loadOptions={load}
        defaultOptions={false}
        value={value}
        onChange={(o: Option | null) => props.onChange(o?.value ?? '')}
        isClearable
        isInvalid={props.errors.length > 0}
        placeholder={`Search ${props.systemLabel} people by name or email`}
        noOptionsMessage={({ inputValue }: { inputValue: string }) =>
          inputValue.trim()
            ? `No ${props.systemLabel} user matches "${inputValue.trim()}"`
            : 'Type part of a name or email'
        }
        loadingMessage={() => `Searching ${props.systemLabel}…`}
        styles={{ container: (base: object) => ({ ...base, minWidth: 320 }) }}
      />
      {props.errors.map((m) => (
        <Text key={m} color="color.text.danger">
          {m}
        </Text>
      ))}
    </Stack>
  );
}

type Person = { accountId: string; displayName: string; fields: string[] } & (
  { match: 'pair' | 'email'; remoteUserId: string } | { match: 'none'; reason: string }
);
interface Answer {
  fields: string[];
  people: Person[];
  unmatched: number;
  note: string;
}

export function PeopleEditor(props: {
  users: UserSettings;
  draft: PreviewDraft;
  systemLabel: string;
  canSearchUsers: boolean;
  problems: Problem[];
  onChange(users: UserSettings): void;
}) {
  const { users, onChange } = props;
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** Remote people's names by id, as searches found them. */
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  /** Why the remote's people cannot be searched (the server said so): ids are typed then. */
  const [searchProblem, setSearchProblem] = useState<string>();
  const connectionId = props.draft.connectionId;
  const canSearch = props.canSearchUsers && Boolean(connectionId) && !searchProblem;
  const found = (list: RemoteUser[]) =>
    setNames((before) => new Map([...before, ...list.map((u) => [u.id, userOption(u).label] as const)]));
  const known = new Map((answer?.people ?? []).map((p) => [p.accountId, p.displayName]));
  const options = [...known.entries()].map(([value, label]) => ({ value, label }));
  const setPair = (i: number, change: Partial<UserSettings['table'][number]>) =>
    onChange({ ...users, table: users.table.map((r, j) => (j === i ? { ...r, ...change } : r)) });

  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await callResolver<Answer>('userMatches', { ...props.draft });
      if (res.ok) setAnswer(res.data);
      else
        setError(
          `${res.error.message}${((res.error as { problems?: Problem[] }).problems ?? []).map((p) => `; ${p.path ? `${p.path}: ` : ''}${p.message}`).join('')}`,
        );
    } finally {
      setBusy(false);
    }
  };

  const unmatched = (answer?.people ?? []).filter((p): p is Extract<Person, { match: 'none' }> => p.match === 'none');
  return (
    <Stack space="space.150" testId="people">
      <Checkbox
        label="Match people by email, where Jira shows the address"
        isChecked={users.matchByEmail}
        onChange={(e) => onChange({ ...users, matchByEmail: e.target.checked })}
      />
      <Inline space="space.100" alignBlock="center">
        <Button onClick={() => void check()} isLoading={busy}>
          Check who matches
        </Button>
        <Text color="color.text.subtle">
          People the sync meets on this filter's issues, matched as the sync would match them.
        </Text>
      </Inline>
      {error && (
        <SectionMessage appearance="error">
          <p>{error}</p>
        </SectionMessage>
      )}
      {answer && (
        <Stack space="space.100">
          <Text as="p" size="small" color="color.text.subtle">
            {answer.note}
          </Text>
          {unmatched.length > 0 && (
            <SectionMessage
              appearance="warning"
              title={`${count(unmatched.length, 'person has', 'people have')} no ${props.systemLabel} match`}
            >
              <Stack space="space.050">
                {unmatched.map((p) => (
                  <Inline key={p.accountId} space="space.100" alignBlock="center" shouldWrap>
                    <Text>{`${p.displayName}: ${p.reason}.`}</Text>
                    {!users.table.some((r) => r.jiraAccountId === p.accountId) && (
                      <Button
                        spacing="compact"
                        onClick={() =>
                          onChange({
                            ...users,
                            table: [...users.table, { jiraAccountId: p.accountId, remoteUserId: '' }],
                          })
                        }
                        aria-label={`Pair ${p.displayName} by hand`}
                      >
                        Pair by hand
                      </Button>
                    )}
                  </Inline>
                ))}
              </Stack>
            </SectionMessage>
          )}
          {answer.people.length > 0 ? (
            <DynamicTable
              label="Who matches"
              head={{
                cells: [
                  { key: 'person', content: 'Jira person' },
                  { key: 'where', content: 'Found in' },
                  { key: 'match', content: 'Matched' },
                  { key: 'remote', content: `${props.systemLabel} user` },
                ],
              }}
              rows={answer.people.map((p) => ({
                key: p.accountId,
                cells: [
                  { key: 'person', content: p.displayName },
                  { key: 'where', content: p.fields.join(', ') },
                  {
                    key: 'match',
                    content:
                      p.match === 'none' ? (
                        <Lozenge appearance="removed">No match</Lozenge>
                      ) : (
                        <Lozenge appearance="success">{p.match === 'pair' ? 'By hand' : 'By email'}</Lozenge>
                      ),
                  },
                  { key: 'remote', content: p.match === 'none' ? '—' : (names.get(p.remoteUserId) ?? p.remoteUserId) },
                ],
              }))}
            />
          ) : (
            <Text as="p">Nobody yet: the matching issues have no one in these fields.</Text>
          )}
        </Stack>
      )}
      <Text as="p" weight="semibold">
        People paired by hand
      </Text>
      {users.table.length === 0 && (
        <Text as="p" color="color.text.subtle">
          None: people are matched by email only.
        </Text>
      )}
      {users.table.length > 0 && !canSearch && (
        <Text as="p" color="color.text.subtle" testId="remote-users-typed">
          {searchProblem ??
            (props.canSearchUsers
              ? `Type the ${props.systemLabel} user's ID: ${props.systemLabel} people can be searched by name once the connection is saved.`
              : `Type the ${props.systemLabel} user's ID: Crosswalk cannot search ${props.systemLabel} people by name.`)}
        </Text>
      )}
      {users.table.map((r, i) => {
        const current =
          options.find((o) => o.value === r.jiraAccountId) ??
          (r.jiraAccountId ? { value: r.jiraAccountId, label: known.get(r.jiraAccountId) ?? r.jiraAccountId } : null);
        return (
          <Inline key={i} space="space.100" alignBlock="end" shouldWrap>
            <Stack space="space.050">
              <Label htmlFor={`users.table.${i}.jiraAccountId`}>{`Jira person ${i + 1}`}</Label>
              <Select
                inputId={`users.table.${i}.jiraAccountId`}
                options={options}
                value={current}
                onChange={(o) => setPair(i, { jiraAccountId: o?.value ?? '' })}
                placeholder="Check who matches to choose"
              />
            </Stack>
            {canSearch && connectionId ? (
              <RemoteUserPicker
                id={`users.table.${i}.remoteUserId`}
                label={`${props.systemLabel} user ${i + 1}`}
                systemLabel={props.systemLabel}
                connectionId={connectionId}
                value={r.remoteUserId}
                names={names}
                errors={problemsAt(props.problems, `users.table.${i}`)}
                onFound={found}
                onProblem={setSearchProblem}
                onChange={(remoteUserId) => setPair(i, { remoteUserId })}
              />
            ) : (
              <TextField
                id={`users.table.${i}.remoteUserId`}
                label={`${props.systemLabel} user ID ${i + 1}`}
                value={r.remoteUserId}
                errors={problemsAt(props.problems, `users.table.${i}`)}
                onChange={(remoteUserId) => setPair(i, { remoteUserId })}
              />
            )}
            <Button
              appearance="subtle"
              onClick={() => onChange({ ...users, table: users.table.filter((_, j) => j !== i) })}
              aria-label={`Remove pair ${i + 1}`}
            >
              Remove
            </Button>
          </Inline>
        );
      })}
      <Inline>
        <Button
          onClick={() => onChange({ ...users, table: [...users.table, { jiraAccountId: '', remoteUserId: '' }] })}
        >
          Add a pair
        </Button>
      </Inline>
    </Stack>
  );
}
