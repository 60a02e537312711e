import type { FieldMapping } from '../mapping/connection-config';
import { planFields } from './field-plan';

const description = {
  jira: 'description',
  remote: 'description',
  transform: 'rich-text',
  direction: 'both',
} as unknown as FieldMapping;
const plan = (jira: string, base?: { jira: string; remote: string }) =>
  planFields({
    config: { fields: [description], conflictPolicy: 'newest-wins', requiredOnEnter: [] },
    readings: [{ m: description, jira: { ok: true, value: jira }, remote: { ok: true, value: '<p>As made</p>' } }],
    base: base ? { description: base } : {},
    updatedAt: { jira: 2, remote: 1 },
    remoteMaxLengths: {},
    remoteRichText: 'html',
    remoteRaw: {},
    issueKey: 'SUP-1',
    remoteFixed: { description: "a Zendesk ticket's description is its first comment, which cannot be changed" },
    remoteKey: '#7',
  });

describe('planFields with a remote field fixed after create', () => {
  it('writes nothing and tells people when Jira changes it after the item was made', () => {
    const p = plan('<p>Edited in Jira</p>', { jira: '<p>As made</p>', remote: '<p>As made</p>' });
    expect(p.remoteFields).toEqual({});
    expect(p.notices).toEqual([
      "The Jira description changed after #7 was created, and was not copied: a Zendesk ticket's description is its first comment, which cannot be changed.",
    ]);
    // Settled where both sides are, so the next run has nothing to decide (and says nothing again).
    expect(p.settled.description).toEqual({ jira: '<p>Edited in Jira</p>', remote: '<p>As made</p>' });
  });

  it('settles quietly on the first sync (no base), where the two sides may only differ in form', () => {
    const p = plan('<p>As made in Jira</p>');
    expect({ fields: p.remoteFields, notices: p.notices }).toEqual({ fields: {}, notices: [] });
  });
});
