/**
 * A notification is accepted once, by what its signature covers: a genuine
 * delivery captured and sent again with one more header (a proxy's, or an
 * attacker's) is the same delivery and enqueues nothing. For every system the
 * registry lists, each through its simulator's own genuine delivery.
 */
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { implementedSystems } from '../../src/connectors/registry';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock: 'manual' });
  await sandbox.settle();
}, 90_000);
afterAll(() => sandbox.stop());

const queued = () => sandbox.platform.installation(sandbox.installationId).events.all().length;

/** A delivery as the remote sent it: where, with which headers and body, and what the web trigger answered. */
const post = async (url: string, headers: Record<string, string>, body: string) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
};

describe.each(implementedSystems().map((s) => [s.label, s.kind] as const))('%s', (_label, kind) => {
  it('accepts a genuine delivery once: the same one again with one more header enqueues nothing', async () => {
    // Sent by the remote's simulator exactly as the remote sends it (its folder knows how).
    const first = await sandbox.remotes[kind]!.genuineDelivery();
    expect(first.status).toBe(202);
    await sandbox.settle();
    const before = queued();
    const added: Array<Record<string, string>> = [
      { 'x-request-id': 'replayed-1' },
      { 'x-request-id': 'replayed-2', 'x-forwarded-for': '203.0.113.9' },
    ];
    for (const extra of added) {
      const replay = await post(first.url, { ...first.headers, ...extra }, first.body);
      expect(replay).toEqual({ status: 202, text: 'Already received' });
    }
    expect(queued()).toBe(before);
  });

  it('refuses a delivery stripped of what proves it (its signature or secret headers), enqueuing nothing', async () => {
    const genuine = await sandbox.remotes[kind]!.genuineDelivery();
    await sandbox.settle();
    const before = queued();
    const stripped = await post(genuine.url, { 'content-type': 'application/json' }, genuine.body);
    expect(stripped).toEqual({ status: 401, text: 'Unauthorized' });
    expect(queued()).toBe(before);
  });
});
