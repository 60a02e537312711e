/**
 * Which hosts a connection may use: a system's own patterns (declared in the
 * manifest for every site), or, for a system a customer may host itself, a
 * host a Jira admin approved (customer-managed egress), never one under
 * another system's patterns, always https on the default port.
 */
import { isAllowedRemoteUrl, isCustomerApproved } from './remote-hosts';

const ado = {
  hostPatterns: ['dev.azure.com', '*.visualstudio.com'],
  customerHosts: { product: 'Azure DevOps Server' },
};
const zendesk = { hostPatterns: ['*.zendesk.com'] };
const shared = ['dev.azure.com', '*.visualstudio.com', '*.service-now.com', '*.zendesk.com'];
const approvedHosts =
  (...hosts: string[]) =>
  (url: string) =>
    hosts.includes(new URL(url).host);

describe('a connection host', () => {
  it("is one of the system's own patterns, approved or not", () => {
    expect(isAllowedRemoteUrl(ado, 'https://dev.azure.com/acme', { approved: () => false })).toBe(true);
    expect(isAllowedRemoteUrl(ado, 'https://acme.visualstudio.com', { approved: () => false })).toBe(true);
  });

  it("is a customer's own host only once a Jira admin approved it", () => {
    const url = 'https://devops.contoso.com/tfs/DefaultCollection';
    expect(isAllowedRemoteUrl(ado, url, { sharedHosts: shared, approved: approvedHosts() })).toBe(false);
    expect(isAllowedRemoteUrl(ado, url, { sharedHosts: shared, approved: approvedHosts('devops.contoso.com') })).toBe(
      true,
    );
  });

  it('is never approved outside a Forge invocation', () => {
    expect(isCustomerApproved('https://devops.contoso.com')).toBe(false);
    expect(isAllowedRemoteUrl(ado, 'https://devops.contoso.com/DefaultCollection', { sharedHosts: shared })).toBe(
      false,
    );
  });

  it('is never approved for a system a customer does not host, nor under another system\u2019s hosts', () => {
    expect(isAllowedRemoteUrl(zendesk, 'https://support.contoso.com', { approved: () => true })).toBe(false);
    // The manifest lets every site reach Zendesk: that is no Azure DevOps Server of the customer's.
    expect(isAllowedRemoteUrl(ado, 'https://acme.zendesk.com', { sharedHosts: shared, approved: () => true })).toBe(
      false,
    );
  });

  it('is https on the default port, without credentials', () => {
    const approved = () => true;
    for (const url of [
      'http://devops.contoso.com/DefaultCollection',
      'https://devops.contoso.com:8080/DefaultCollection',
      'https://user:pass@devops.contoso.com/DefaultCollection',
      'not a url',
    ])
      expect({ url, allowed: isAllowedRemoteUrl(ado, url, { sharedHosts: shared, approved }) }).toEqual({
        url,
        allowed: false,
      });
  });
});
