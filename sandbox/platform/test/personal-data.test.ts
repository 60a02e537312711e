/** Atlassian's personal data reporting API (`/app/report-accounts`), as `privacy.reportPersonalData` meets it. */
import type { Platform } from '../index';
import { callProbe, withFixtureInstallation } from './support';

describe('personal data reporting', () => {
  let platform: Platform;
  let installationId: string;
  withFixtureInstallation('each', (p, id) => {
    platform = p;
    installationId = id;
  });

  const at = (ms: number) => new Date(ms).toISOString();
  const report = (accounts: Array<{ accountId: string; updatedAt: string }>) =>
    callProbe(platform, installationId, 'reportPersonalData', { accounts });

  it('answers nothing to do (204) until an account is closed or its profile changes after the time reported', async () => {
    const now = platform.clock.now();
    expect(await report([{ accountId: 'a', updatedAt: at(now) }])).toEqual({ updates: [] });

    const reporting = platform.personalData(installationId);
    reporting.close('a');
    reporting.updateProfile('b', now + 1000);
    reporting.updateProfile('c', now - 1000);
    expect(
      await report([
        { accountId: 'a', updatedAt: at(now) },
        { accountId: 'b', updatedAt: at(now) },
        { accountId: 'c', updatedAt: at(now) },
      ]),
    ).toEqual({
      updates: [
        { accountId: 'a', status: 'closed' },
        { accountId: 'b', status: 'updated' },
      ],
    });
    expect(reporting.requests.map((r) => r.status)).toEqual([204, 200]);
  });

  it('takes at most 90 accounts a request: the SDK splits 181 into 90, 90 and 1, and more in one request is a 400', async () => {
    const now = platform.clock.now();
    const accounts = Array.from({ length: 181 }, (_, i) => ({ accountId: `acc-${i}`, updatedAt: at(now) }));
    platform.personalData(installationId).close('acc-180');
    expect(await report(accounts)).toEqual({ updates: [{ accountId: 'acc-180', status: 'closed' }] });
    const requests = platform.personalData(installationId).requests;
    expect(requests.map((r) => r.accounts.length).sort((x, y) => x - y)).toEqual([1, 90, 90]);

    const reporting = platform.personalData(installationId);
    expect(reporting.answer({ accounts: accounts.slice(0, 91) }, ['report:personal-data'])).toMatchObject({
      status: 400,
    });
    expect(reporting.answer({ accounts: [] }, ['report:personal-data'])).toMatchObject({ status: 400 });
    expect(reporting.answer({ accounts: [{ accountId: 'x' }] }, ['report:personal-data'])).toMatchObject({
      status: 400,
    });
  });

  it('answers 429 with Retry-After while rate limited, which the SDK rejects with', async () => {
    platform.personalData(installationId).rateLimit({ requests: 1, retryAfterSeconds: 30 });
    const accounts = [{ accountId: 'a', updatedAt: at(platform.clock.now()) }];
    expect(await report(accounts)).toEqual({ status: 429, retryAfter: '30' });
    expect(await report(accounts)).toEqual({ updates: [] });
  });

  it('refuses an app without the report:personal-data scope', () => {
    const answer = platform
      .personalData(installationId)
      .answer({ accounts: [{ accountId: 'a', updatedAt: new Date().toISOString() }] }, ['storage:app']);
    expect(answer.status).toBe(403);
  });
});
