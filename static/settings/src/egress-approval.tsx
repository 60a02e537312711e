/**
 * A customer's own host (Azure DevOps Server, ServiceNow on its own domain)
 * is not among the hosts every Crosswalk site may reach: a Jira administrator
 * allows it for this site, through Forge's customer-managed egress
 * (`@forge/bridge` `permissions.egress`, whose dialog Jira shows). This panel
 * says whether the host in the wizard is allowed, and lets an administrator
 * allow it; the server accepts the connection only once it is.
 */
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { Inline, Stack } from '@atlaskit/primitives/compiled';
import SectionMessage from '@atlaskit/section-message';
import { permissions, type EgressResult, type EgressSetPayload } from '@forge/bridge';
import type { SystemDescription } from './types';

type EgressType = EgressSetPayload['egresses'][number]['configured'][number]['type'][number];
/** Requests from Crosswalk's back end (its sync and its resolvers), the only egress it asks for. */
const BACKEND = 'FETCH_BACKEND_SIDE' as EgressType;
/** Forge keeps at most 10 domains in a group: one group per system, each holding that system's hosts. */
const groupKey = (system: SystemDescription) => `crosswalk-${system.kind}`;

type State =
  | { kind: 'checking' }
  | { kind: 'allowed' }
  | { kind: 'needed' }
  | { kind: 'asking' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unknown'; reason: string };

/** The host a base URL names, when it is one the wizard could save (https, a dotted name). */
function hostOf(baseUrl: string): string | undefined {
  try {
    const u = new URL(baseUrl.trim());
    return u.protocol === 'https:' && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(u.hostname) && !u.port
      ? u.hostname.toLowerCase()
      : undefined;
  } catch {
    return undefined;
  }
}

const matches = (pattern: string, host: string) => {
  const p = pattern.replace(/^https:\/\//, '').toLowerCase();
  return p.startsWith('*.') ? host.endsWith(p.slice(1)) && host.length > p.length - 1 : host === p;
};

/** Every group the site approved (permissions.egress.get answers a page at a time). */
async function approvedGroups(): Promise<EgressResult[]> {
  const all: EgressResult[] = [];
  let nextPageToken: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await permissions.egress.get({ pageSize: 10, ...(nextPageToken ? { nextPageToken } : {}) });
    all.push(...res.results);
    if (!res.lastEvaluatedKey) break;
    nextPageToken = res.lastEvaluatedKey;
  }
  return all;
}

const isAllowed = (groups: EgressResult[], host: string) =>
  groups.some((g) => g.configured.some((c) => c.type.includes(BACKEND) && matches(c.domain, host)));

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function EgressApproval({ system, baseUrl }: { system: SystemDescription; baseUrl: string }) {
  const host = hostOf(baseUrl);
  const ownHost = Boolean(host && system.customerHosts && !system.hostPatterns.some((p) => matches(p, host)));
  const [state, setState] = useState<State>({ kind: 'checking' });

  useEffect(() => {
    if (!ownHost || !host) return;
    let live = true;
    setState({ kind: 'checking' });
    // Asked once the address stops changing, not at every keystroke.
    const timer = setTimeout(() => {
      approvedGroups().then(
        (groups) => live && setState({ kind: isAllowed(groups, host) ? 'allowed' : 'needed' }),
        (e: unknown) => live && setState({ kind: 'unknown', reason: reasonOf(e) }),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [host, ownHost]);

  if (!ownHost || !host || !system.customerHosts) return null;
  const product = system.customerHosts.product;

  const allow = async () => {
    setState({ kind: 'asking' });
    try {
      const groups = await approvedGroups();
      const mine = groups.find((g) => g.key === groupKey(system));
      const configured = [
        ...(mine?.configured ?? []).map((c) => ({ domain: c.domain, type: [...c.type] })),
        { domain: host, type: [BACKEND] },
      ];
      await permissions.egress.set({
        egresses: [
          {
            key: groupKey(system),
            description: `Crosswalk syncs Jira issues with ${product} on these hosts, for the connections project admins set up.`,
            configured,
          },
        ],
      });
      setState({ kind: 'allowed' });
    } catch (e) {
      setState({ kind: 'refused', reason: reasonOf(e) });
    }
  };

  return (
    <div data-testid="egress-approval">
      {state.kind === 'checking' && (
        <SectionMessage appearance="information" title={`Checking whether Crosswalk may reach ${host}`}>
          <p>{host} is not a host every Crosswalk site reaches; Jira says whether this site allows it.</p>
        </SectionMessage>
      )}
      {state.kind === 'allowed' && (
        <SectionMessage appearance="success" title={`Crosswalk may reach ${host}`}>
          <p>A Jira administrator allowed {host} for this site, so Crosswalk can sync with it.</p>
        </SectionMessage>
      )}
      {(state.kind === 'needed' || state.kind === 'asking' || state.kind === 'refused') && (
        <SectionMessage appearance="warning" title={`A Jira administrator must allow ${host}`}>
          <Stack space="space.100">
            <p>
              {host} is your own host, not one Crosswalk reaches on every site ({system.hostPatterns.join(', ')}).
              Crosswalk can sync with {product} there once a Jira administrator allows it for this site. Jira asks them
              to confirm, and they can withdraw it later; until then the connection cannot be saved.
            </p>
            {state.kind === 'refused' && (
              <p role="alert">
                {host} was not allowed: {state.reason}. If you are not a Jira administrator, ask one to open this page
                and allow it.
              </p>
            )}
            <Inline>
              <Button appearance="primary" isLoading={state.kind === 'asking'} onClick={() => void allow()}>
                {`Allow ${host}`}
              </Button>
            </Inline>
          </Stack>
        </SectionMessage>
      )}
      {state.kind === 'unknown' && (
        <SectionMessage appearance="error" title={`Jira did not say whether Crosswalk may reach ${host}`}>
          <p>{state.reason}</p>
        </SectionMessage>
      )}
    </div>
  );
}
