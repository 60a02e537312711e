import type { FieldMapping } from '../mapping/connection-config';
import { planFields } from './field-plan';
import { refusalFor, REFUSAL_REST_MS } from './refusals';

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

describe('planFields with a value a side refused', () => {
  const REFUSED_AT = Date.UTC(2026, 11, 7, 9, 0);
  const priority = {
    jira: 'priority',
    remote: 'priority',
    transform: 'none',
    direction: 'both',
  } as unknown as FieldMapping;
  const planPriority = (input: {
    jira: string;
    remote: string;
    base?: { jira: string; remote: string };
    refusal?: ReturnType<typeof refusalFor>;
    now?: number;
  }) =>
    planFields({
      config: { fields: [priority], conflictPolicy: 'jira-wins', requiredOnEnter: [] },
      readings: [{ m: priority, jira: { ok: true, value: input.jira }, remote: { ok: true, value: input.remote } }],
      base: input.base ? { priority: input.base } : { summary: { jira: 'a', remote: 'a' } },
      updatedAt: { jira: 2, remote: 1 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw: {},
      issueKey: 'DEMO-1',
      now: input.now ?? REFUSED_AT + 60_000,
      ...(input.refusal ? { refusals: { priority: input.refusal } } : {}),
    });

  it('does not write the same value again under the same mapping', () => {
    const p = planPriority({
      jira: 'Medium',
      remote: 'Low',
      base: { jira: 'Medium', remote: 'Medium' },
      refusal: refusalFor(priority, 'jira', 'Low', REFUSED_AT),
    });
    expect({ jira: p.jiraWrites, still: p.stillRefused }).toEqual({ jira: [], still: ['priority'] });
    expect(p.settled.priority).toBeUndefined();
  });

  it('writes a new value, or the same value under a changed mapping', () => {
    const refusal = refusalFor(priority, 'jira', 'Low', REFUSED_AT);
    const newValue = planPriority({
      jira: 'Medium',
      remote: 'High',
      base: { jira: 'Medium', remote: 'Medium' },
      refusal,
    });
    expect(newValue.jiraWrites.map((w) => w.value)).toEqual(['High']);
    const remapped = planFields({
      config: { fields: [{ ...priority, direction: 'to-jira' }], conflictPolicy: 'jira-wins', requiredOnEnter: [] },
      readings: [
        {
          m: { ...priority, direction: 'to-jira' },
          jira: { ok: true, value: 'Medium' },
          remote: { ok: true, value: 'Low' },
        },
      ],
      base: { priority: { jira: 'Medium', remote: 'Medium' } },
      updatedAt: { jira: 2, remote: 1 },
      remoteMaxLengths: {},
      remoteRichText: 'text',
      remoteRaw: {},
      issueKey: 'DEMO-1',
      now: REFUSED_AT + 60_000,
      refusals: { priority: refusal },
    });
    expect(remapped.jiraWrites.map((w) => w.value)).toEqual(['Low']);
  });

  it('tries the same value again once it has rested, so a cause that cleared on the target lets the pair converge', () => {
    const p = planPriority({
      jira: 'Medium',
      remote: 'Low',
      base: { jira: 'Medium', remote: 'Medium' },
      refusal: refusalFor(priority, 'jira', 'Low', REFUSED_AT),
      now: REFUSED_AT + REFUSAL_REST_MS,
    });
    expect(p.jiraWrites.map((w) => w.value)).toEqual(['Low']);
  });

  it("keeps a refused first write's source as the field's source until it first syncs, whatever the policy", () => {
    // Jira refused the remote's "Low" on the item's first sync and kept its default; the policy says Jira wins, but
    // Jira's default is no person's choice: copying it over "Low" would lose the remote's value.
    const p = planPriority({ jira: 'Medium', remote: 'Low', refusal: refusalFor(priority, 'jira', 'Low', REFUSED_AT) });
    expect({ remote: p.remoteFields, still: p.stillRefused }).toEqual({ remote: {}, still: ['priority'] });
  });

  it('says so on the first sync where Jira shows an image the item was made without', () => {
    const p = plan('<p>As made</p><p><img src="https://acme.zendesk.com/attachments/token/t/?name=a.png"></p>');
    expect({ fields: p.remoteFields, notices: p.notices }).toEqual({
      fields: {},
      notices: [
        "The Jira description shows an image #7 was created without, and was not copied: a Zendesk ticket's description is its first comment, which cannot be changed. The image's file is attached there.",
      ],
    });
  });
});
