/**
 * Read Identities (IMS), as the service answers it at vssps.dev.azure.com/{org}: what a mention's
 * `data-vss-mention` names (an identity's storage key) and the account behind it, both ways.
 */
import { DEMO_CREDENTIALS, startAzureDevOpsSim, type AzureDevOpsSim } from './index';
import { azureDevOpsClient } from './test-client';

let sim: AzureDevOpsSim;
let ado: ReturnType<typeof azureDevOpsClient>;
interface Identities {
  count: number;
  value: Array<{ id: string; providerDisplayName: string; properties: { Account: { $value: string } } } | null>;
}

beforeAll(async () => {
  sim = await startAzureDevOpsSim({ now: () => Date.now() });
  ado = azureDevOpsClient(sim, DEMO_CREDENTIALS.integration.pat, { host: 'vssps.dev.azure.com' });
});
afterAll(() => sim.stop());

describe('Read Identities', () => {
  it('finds a person by unique name or display name (General), with the account among its properties', async () => {
    for (const name of [DEMO_CREDENTIALS.agent.uniqueName, 'dana agent']) {
      const res = await ado<Identities>('GET', `/acme/_apis/identities?searchFilter=General&filterValue=${name}`);
      expect(res.status).toBe(200);
      expect(res.json.value).toHaveLength(1);
      expect(res.json.value[0]).toMatchObject({
        providerDisplayName: 'Dana Agent',
        properties: { Account: { $value: DEMO_CREDENTIALS.agent.uniqueName } },
      });
    }
  });

  it('answers one entry per storage key asked, null where no identity has it', async () => {
    const dana = sim.store.findIdentity(DEMO_CREDENTIALS.agent.uniqueName)!;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const res = await ado<Identities>('GET', `/acme/_apis/identities?identityIds=${dana.id},${unknown}`);
    expect(res.status).toBe(200);
    expect(res.json.count).toBe(2);
    expect(res.json.value[0]).toMatchObject({ id: dana.id });
    expect(res.json.value[1]).toBeNull();
  });

  it('refuses a read that names nobody, and a caller without a valid token', async () => {
    expect((await ado('GET', '/acme/_apis/identities')).status).toBe(400);
    const stranger = azureDevOpsClient(sim, 'not-a-pat', { host: 'vssps.dev.azure.com' });
    expect((await stranger('GET', '/acme/_apis/identities?searchFilter=General&filterValue=dana')).status).toBe(401);
  });
});
