import * as z from 'zod';
import type { EventService, WireAnswer } from './events';
import { REPORT_ACCOUNTS_PATH, type PersonalDataReporting } from './personal-data';

/**
 * The Atlassian platform endpoints the SDKs reach through the `stargate` remote:
 * async-event publish/stats/cancel, the web trigger URL GraphQL operations and personal data reporting.
 */
export interface StargateContext {
  events: EventService;
  chainId: string;
  onEventsPushed(count: number): void;
  personalData: PersonalDataReporting;
  scopes: readonly string[];
  webTriggers: {
    create(triggerKey: string): string | undefined;
    list(): Array<{ triggerKey: string; url: string }>;
    delete(id: string): boolean;
  };
}

const graphqlSchema = z.object({ query: z.string(), variables: z.record(z.string(), z.unknown()).optional() });

export function answerStargate(path: string, body: unknown, ctx: StargateContext): WireAnswer {
  const queue = /^\/webhook\/queue\/(publish|stats|cancel)\/[^/]+\/[^/]+\/[^/]+\/[^/]+$/.exec(path);
  if (queue) {
    if (queue[1] === 'publish') {
      const answer = ctx.events.publish(body, ctx.chainId);
      if (answer.status === 201) {
        const payload = (body as { payload?: unknown[] }).payload;
        ctx.onEventsPushed(Array.isArray(payload) ? payload.length : 0);
      }
      return answer;
    }
    return queue[1] === 'stats' ? ctx.events.stats(body) : ctx.events.cancel(body);
  }
  if (path === '/graphql') return answerGraphql(body, ctx);
  if (path === REPORT_ACCOUNTS_PATH) return ctx.personalData.answer(body, ctx.scopes);
  return { status: 404, body: { message: `No platform endpoint at ${path}` } };
}

function answerGraphql(body: unknown, ctx: StargateContext): WireAnswer {
  const parsed = graphqlSchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: { errors: [{ message: 'Invalid GraphQL request' }] } };
  const { query, variables = {} } = parsed.data;
  if (query.includes('createWebTriggerUrl')) {
    const input = z.object({ triggerKey: z.string() }).loose().safeParse(variables.input);
    const url = input.success ? ctx.webTriggers.create(input.data.triggerKey) : undefined;
    if (!url) return { status: 200, body: { data: null, errors: [{ message: 'Web trigger module not found' }] } };
    return { status: 200, body: { data: { createWebTriggerUrl: { url } } } };
  }
  if (query.includes('deleteWebTriggerUrl')) {
    const ok = ctx.webTriggers.delete(String(variables.id ?? ''));
    return {
      status: 200,
      body: { data: { deleteWebTriggerUrl: { success: ok, message: ok ? null : 'Web trigger URL not found' } } },
    };
  }
  if (query.includes('webTriggerUrlsByAppContext')) {
    return { status: 200, body: { data: { webTriggerUrlsByAppContext: ctx.webTriggers.list() } } };
  }
  return { status: 200, body: { data: null, errors: [{ message: 'Operation not supported by the local platform' }] } };
}
