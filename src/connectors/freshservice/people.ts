/**
 * People on a Freshservice account: agents (who can be responders, and whose
 * changes include Crosswalk's own through the integration agent) and
 * requesters, found by email; their names for comment attribution.
 */
import { SyncError } from '../errors';
import type { RemoteUser } from '../ports';
import type { FreshserviceHttp } from './http';
import { agentList, oneAgent, oneRequester, personName, requesterList, type FreshserviceAgent } from './wire';

/** The integration agent's id by account and email: it never changes, so a warm instance keeps it. */
const ownIds = new Map<string, string>();
/** People's names by account and id, bounded so a warm instance cannot grow without limit. */
const names = new Map<string, string>();
const MAX_NAMES = 2000;

const emailOf = (p: FreshserviceAgent) => (p.email ?? p.primary_email ?? '').toLowerCase();

export class PersonDirectory {
  constructor(
    private readonly http: FreshserviceHttp,
    private readonly agentEmail: string,
  ) {}

  private get ownKey(): string {
    return `${this.http.base}|${this.agentEmail.trim().toLowerCase()}`;
  }

  get ownId(): string | undefined {
    return ownIds.get(this.ownKey);
  }

  /** The integration agent, active, by its email; undefined when no such agent exists. */
  async integrationAgent(): Promise<FreshserviceAgent | undefined> {
    const agent = await this.agentByEmail(this.agentEmail);
    if (agent) ownIds.set(this.ownKey, String(agent.id));
    return agent;
  }

  /** The integration agent's id, learned once; a missing agent is the connection's problem (`auth`). */
  async ensureOwnId(): Promise<string> {
    const known = this.ownId;
    if (known) return known;
    const agent = await this.integrationAgent();
    if (!agent)
      throw new SyncError({
        system: 'freshservice',
        kind: 'auth',
        message: `No active Freshservice agent has the email ${this.agentEmail}; the connection's integration agent must be one`,
      });
    return String(agent.id);
  }

  private async agentByEmail(email: string): Promise<FreshserviceAgent | undefined> {
    const wanted = email.trim().toLowerCase();
    const { agents } = await this.http.json(
      agentList,
      `/api/v2/agents?email=${encodeURIComponent(wanted)}`,
      { method: 'GET' },
      'Find agent',
    );
    return agents.find((a) => emailOf(a) === wanted && a.active !== false);
  }

  /** An agent first (responders are agents), else a requester: both are people a ticket can name. */
  async idForEmail(email: string): Promise<string | undefined> {
    const agent = await this.agentByEmail(email);
    if (agent) return String(agent.id);
    const wanted = email.trim().toLowerCase();
    const { requesters } = await this.http.json(
      requesterList,
      `/api/v2/requesters?email=${encodeURIComponent(wanted)}`,
      { method: 'GET' },
      'Find requester',
    );
    const hit = requesters.find((r) => emailOf(r) === wanted && r.active !== false);
    return hit ? String(hit.id) : undefined;
  }

  private async person(id: string): Promise<FreshserviceAgent | undefined> {
    if (!/^\d+$/.test(id)) return undefined;
    const missing = (e: unknown) => {
      if (e instanceof SyncError && e.kind === 'not-found') return undefined;
      throw e;
    };
    // Agents and requesters share one id range: an id is one or the other.
    const agent = await this.http
      .json(oneAgent, `/api/v2/agents/${id}`, { method: 'GET' }, 'Read agent')
      .then((a) => a.agent, missing);
    if (agent) return agent;
    return this.http
      .json(oneRequester, `/api/v2/requesters/${id}`, { method: 'GET' }, 'Read requester')
      .then((r) => r.requester, missing);
  }

  async emailForId(id: string): Promise<string | undefined> {
    const p = await this.person(id);
    const email = p ? emailOf(p) : '';
    return email || undefined;
  }

  /** Names of conversation authors; ours is Crosswalk and never looked up. */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const own = this.ownId;
    for (const id of new Set(ids.filter(Boolean))) {
      if (id === own) {
        out.set(id, 'Crosswalk');
        continue;
      }
      const key = `${this.http.base}|${id}`;
      let name = names.get(key);
      if (name === undefined) {
        const p = await this.person(id);
        name = p ? personName(p) : `Freshservice user ${id}`;
        if (names.size >= MAX_NAMES) names.clear();
        names.set(key, name);
      }
      out.set(id, name);
    }
    return out;
  }

  /**
   * Active agents whose name or email holds the text, by name, at most `limit`:
   * Freshservice's agent list has no name search, so one page is read and
   * matched here; the text is compared, never sent as a query.
   */
  async searchAgents(text: string, limit: number): Promise<RemoteUser[]> {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const { agents } = await this.http.json(
      agentList,
      '/api/v2/agents?per_page=100&active=true',
      { method: 'GET' },
      'List agents',
    );
    return agents
      .filter((a) => a.active !== false && `${personName(a)} ${emailOf(a)}`.toLowerCase().includes(needle))
      .sort((a, b) => personName(a).localeCompare(personName(b)))
      .slice(0, Math.max(1, limit))
      .map((a) => ({ id: String(a.id), name: personName(a), ...(emailOf(a) ? { email: emailOf(a) } : {}) }));
  }
}
