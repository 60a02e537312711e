import type { ResolutionDefinition } from '../connectors/registry';
import {
  codeFor,
  jiraNameFor,
  jiraResolutionText,
  planResolution,
  remoteResolutionText,
  type ResolutionInput,
} from './resolution';

const serviceNow: ResolutionDefinition = {
  resolvedStates: ['6', '7'],
  code: { field: 'close_code', label: 'Resolution code', fallback: 'Solution provided' },
  notes: { field: 'close_notes', label: 'Resolution notes', maxLength: 4000 },
};
const zendesk: ResolutionDefinition = { resolvedStates: ['solved', 'closed'] };
const rules = {
  direction: 'both' as const,
  codes: [
    { jira: "Won't Do", remote: 'No resolution provided' },
    { jira: 'Duplicate', remote: 'Duplicate' },
    { jira: 'Cannot Reproduce', remote: 'No resolution provided' },
  ],
};
const input = (over: Partial<ResolutionInput>): ResolutionInput => ({
  definition: serviceNow,
  rules,
  jira: null,
  remoteRaw: { state: '2', close_code: '', close_notes: '' },
  remoteRead: true,
  remoteStatus: { field: 'state', writing: undefined },
  snapshot: undefined,
  ...over,
});
const resolvedIncident = { state: '6', close_code: 'Workaround provided', close_notes: 'Restarted the print spooler' };

describe('resolutions both ways', () => {
  describe('a Jira resolution goes with the write that resolves the remote', () => {
    it('as the reason the admin paired with it', () => {
      const plan = planResolution(input({ jira: "Won't Do", remoteStatus: { field: 'state', writing: '6' } }));
      expect(plan.toRemote).toEqual({ code: 'No resolution provided', jiraName: "Won't Do" });
      expect(plan.toJira).toBeUndefined();
    });

    it("as the system's fallback when the admin paired none (Jira's Done → Solution provided)", () => {
      const plan = planResolution(input({ jira: 'Done', remoteStatus: { field: 'state', writing: '6' } }));
      expect(plan.toRemote).toEqual({ code: 'Solution provided', jiraName: 'Done' });
    });

    it('not when the write moves the remote to a state that is not resolved', () => {
      expect(planResolution(input({ jira: 'Done', remoteStatus: { field: 'state', writing: '2' } })).toRemote).toBe(
        undefined,
      );
    });

    it('not when Jira has no resolution (the connection’s fixed close text then applies)', () => {
      expect(planResolution(input({ jira: null, remoteStatus: { field: 'state', writing: '6' } })).toRemote).toBe(
        undefined,
      );
    });

    it('follows a later change of it in Jira while the remote’s own stayed as the link saw it', () => {
      const snapshot = {
        jira: 'Done',
        remote: { code: 'Solution provided', notes: 'Resolved in Jira (DEMO-1) as Done.' },
      };
      const plan = planResolution(
        input({
          jira: 'Duplicate',
          remoteRaw: { state: '6', close_code: 'Solution provided', close_notes: 'Resolved in Jira (DEMO-1) as Done.' },
          snapshot,
        }),
      );
      expect(plan.toRemote).toEqual({ code: 'Duplicate', jiraName: 'Duplicate' });
    });

    it('not over the reason of a remote resolved first: Jira resolving after it follows it', () => {
      const snapshot = { jira: null, remote: { code: 'Workaround provided', notes: 'Restarted the print spooler' } };
      const plan = planResolution(
        input({ jira: 'Done', remoteRaw: resolvedIncident, remoteStatus: { field: 'state', writing: '7' }, snapshot }),
      );
      expect(plan.toRemote).toBeUndefined();
      expect(plan.snapshot).toEqual({ jira: 'Done', remote: snapshot.remote });
    });

    it('never over a reason a person changed in the remote since (both moved: neither crosses)', () => {
      const snapshot = { jira: 'Done', remote: { code: 'Solution provided', notes: 'x' } };
      const plan = planResolution(input({ jira: 'Duplicate', remoteRaw: { ...resolvedIncident }, snapshot }));
      expect(plan.toRemote).toBeUndefined();
      expect(plan.toJira).toBeUndefined();
    });
  });

  describe('a remote resolution comes to Jira', () => {
    it('once, when it moved since the link saw it: its reason, its text, and the Jira resolution it stands for', () => {
      const plan = planResolution(
        input({ remoteRaw: { state: '6', close_code: 'Duplicate', close_notes: 'Same as INC2' } }),
      );
      expect(plan.toJira).toEqual({ jiraName: 'Duplicate', code: 'Duplicate', notes: 'Same as INC2' });
      expect(plan.jiraOnDone).toBe('Duplicate');
      // Recorded, it does not come again.
      const again = planResolution(
        input({
          remoteRaw: { state: '6', close_code: 'Duplicate', close_notes: 'Same as INC2' },
          snapshot: plan.snapshot,
        }),
      );
      expect(again.toJira).toBeUndefined();
      expect(again.toRemote).toBeUndefined();
    });

    it('as Jira’s Done for a reason no pair names; a reason several Jira resolutions share comes back as the first', () => {
      expect(jiraNameFor(rules, 'Workaround provided')).toBe('Done');
      expect(jiraNameFor(rules, 'No resolution provided')).toBe("Won't Do");
      expect(codeFor(serviceNow, rules, 'Cannot Reproduce')).toBe('No resolution provided');
    });

    it('and its text changed later in the remote comes again', () => {
      const first = planResolution(input({ remoteRaw: resolvedIncident }));
      const later = planResolution(
        input({
          jira: 'Done',
          remoteRaw: { ...resolvedIncident, close_notes: 'Replaced the spooler' },
          snapshot: { ...first.snapshot, jira: 'Done' },
        }),
      );
      expect(later.toJira?.notes).toBe('Replaced the spooler');
    });

    it('not from a remote known only from the link: its reason and text are read first', () => {
      const plan = planResolution(input({ remoteRaw: { state: '6' }, remoteRead: false }));
      expect(plan.needsRemoteRead).toBe(true);
      expect(plan.toJira).toBeUndefined();
      // Once recorded, a presumed remote still resolved reads as the snapshot: nothing to read, nothing crosses.
      const known = { jira: 'Done', remote: { code: 'Workaround provided', notes: 'Restarted the print spooler' } };
      const presumed = planResolution(
        input({ jira: 'Done', remoteRaw: { state: '6' }, remoteRead: false, snapshot: known }),
      );
      expect(presumed).toEqual({ jiraOnDone: 'Done', snapshot: known });
      // A notification that does not show the status leaves the resolution as the link saw it.
      const unseen = planResolution(
        input({ jira: 'Done', remoteRaw: { short_description: 'x' }, remoteRead: false, snapshot: known }),
      );
      expect(unseen).toEqual({ jiraOnDone: 'Done', snapshot: known });
    });
  });

  it('crosses nothing for a connection that keeps resolutions apart, or one way only', () => {
    const none = planResolution(
      input({ rules: { ...rules, direction: 'none' }, jira: 'Done', remoteStatus: { field: 'state', writing: '6' } }),
    );
    expect(none.toRemote).toBeUndefined();
    const toJiraOnly = planResolution(
      input({
        rules: { ...rules, direction: 'to-jira' },
        jira: 'Done',
        remoteStatus: { field: 'state', writing: '6' },
      }),
    );
    expect(toJiraOnly.toRemote).toBeUndefined();
  });

  it('for a remote without a reason field (Zendesk), resolves Jira as Done and leaves the solving comment to the comments', () => {
    const plan = planResolution(
      input({
        definition: zendesk,
        remoteRaw: { status: 'solved' },
        remoteStatus: { field: 'status', writing: undefined },
      }),
    );
    expect(plan.toJira).toEqual({ jiraName: 'Done', code: '', notes: '' });
    expect(
      remoteResolutionText({
        remoteLabel: 'Zendesk',
        remoteKey: '#7',
        codeLabel: undefined,
        code: '',
        notes: '',
        by: 'Ann',
      }),
    ).toBeUndefined();
  });

  it('tells who resolved it and why, in words', () => {
    expect(jiraResolutionText({ issueKey: 'DEMO-7', jiraName: "Won't Do", by: 'Alice Admin' })).toBe(
      "Resolved in Jira (DEMO-7) by Alice Admin as Won't Do.",
    );
    expect(
      remoteResolutionText({
        remoteLabel: 'ServiceNow',
        remoteKey: 'INC0010001',
        codeLabel: 'Resolution code',
        code: 'Workaround provided',
        notes: 'Restarted the print spooler',
        by: 'Beth Agent',
      }),
    ).toBe(
      'Resolved in ServiceNow (INC0010001) by Beth Agent.\nResolution code: Workaround provided.\nRestarted the print spooler',
    );
  });
});
