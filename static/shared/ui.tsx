/**
 * What every Crosswalk page shares: mounting with Jira's theme (design tokens
 * through view.theme.enable()), calling resolvers, health lozenges and
 * field-level problems.
 */
import { type ReactNode, useId } from 'react';
import { createRoot } from 'react-dom/client';
import { view } from '@forge/bridge';
import { ErrorMessage, HelperMessage, Label } from '@atlaskit/form';
import Lozenge from '@atlaskit/lozenge';
import { Box, Stack } from '@atlaskit/primitives/compiled';
import Textfield from '@atlaskit/textfield';
import './styles.css';

export { callResolver, type ResolverResponse } from './resolver';

export interface Problem {
  path: string;
  message: string;
}

/** Renders a page once Jira's theme is on (light or dark, as the person chose in Jira). */
export function mount(page: ReactNode): void {
  void view.theme.enable().catch(() => undefined);
  createRoot(document.getElementById('root')!).render(<Box padding="space.200">{page}</Box>);
}

/** Problems the server answered for one field (its path, or anything under it). */
export function problemsAt(problems: readonly Problem[], path: string): string[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}.`)).map((p) => p.message);
}

export function HealthLozenge({ enabled, health }: { enabled: boolean; health: { message: string } | null }) {
  if (!enabled) return <Lozenge appearance="default">Paused</Lozenge>;
  if (health) return <Lozenge appearance="removed">Failing</Lozenge>;
  return <Lozenge appearance="success">OK</Lozenge>;
}

export function TextField(props: {
  id?: string;
  label: string;
  value: string;
  onChange(value: string): void;
  errors?: readonly string[];
  helper?: ReactNode;
  placeholder?: string;
  type?: 'text' | 'password' | 'url';
  isRequired?: boolean;
  autoComplete?: string;
  testId?: string;
}) {
  const generated = useId();
  const id = props.id ?? `f${generated.replace(/:/g, '')}`;
  const errors = props.errors ?? [];
  const described =
    [errors.length ? `${id}-error` : '', props.helper ? `${id}-helper` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Stack space="space.050">
      <Label htmlFor={id}>
        {props.label}
        {props.isRequired ? ' (required)' : ''}
      </Label>
      <Textfield
        id={id}
        name={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        isInvalid={errors.length > 0}
        isRequired={props.isRequired}
        autoComplete={props.autoComplete ?? 'off'}
        aria-describedby={described}
        testId={props.testId}
        onChange={(e) => props.onChange((e.target as HTMLInputElement).value)}
      />
      {props.helper && (
        <div id={`${id}-helper`}>
          <HelperMessage>{props.helper}</HelperMessage>
        </div>
      )}
      {errors.length > 0 && (
        <div id={`${id}-error`}>
          {errors.map((e) => (
            <ErrorMessage key={e}>{e}</ErrorMessage>
          ))}
        </div>
      )}
    </Stack>
  );
}

/** "3 minutes ago" for recent times, else the date. */
export function when(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const ms = Date.now() - Date.parse(iso);
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return new Date(iso).toLocaleString();
}

/** A connection's condition as the resolvers answer it (src/resolvers/condition-shown.ts). */
export interface ConditionShown {
  state: 'ok' | 'degraded' | 'failing' | 'not-checked';
  conditions: Array<{ kind: string; words: string; since: string; pastThreshold: boolean }>;
  itemsFailing: number;
  itemsWaiting: number | null;
  lastSyncAt: string | null;
  checkedAt: string | null;
}

const CONDITION_LOZENGES: Record<
  ConditionShown['state'],
  { appearance: 'success' | 'moved' | 'removed' | 'default'; text: string }
> = {
  ok: { appearance: 'success', text: 'Syncing' },
  degraded: { appearance: 'moved', text: 'Degraded' },
  failing: { appearance: 'removed', text: 'Failing' },
  'not-checked': { appearance: 'default', text: 'Not checked yet' },
};

/** Syncing (green), degraded (yellow), failing (red), not checked yet (grey); a paused connection says so. */
export function ConditionLozenge({ enabled, state }: { enabled: boolean; state: ConditionShown['state'] }) {
  if (!enabled) return <Lozenge appearance="default">Paused</Lozenge>;
  const l = CONDITION_LOZENGES[state];
  return <Lozenge appearance={l.appearance}>{l.text}</Lozenge>;
}
