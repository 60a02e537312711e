import { statusPathTable } from './status-paths';

/** The sandbox's demo workflow: Done is reached only through review. */
const workflow = {
  statuses: [
    { id: '1', name: 'To Do' },
    { id: '2', name: 'In Progress' },
    { id: '3', name: 'In Review' },
    { id: '4', name: 'Done' },
    { id: '5', name: 'Archived' },
  ],
  transitions: [
    { id: '11', name: 'Start progress', from: ['1'], to: '2' },
    { id: '21', name: 'Request review', from: ['2'], to: '3' },
    { id: '31', name: 'Approve', from: ['3'], to: '4' },
    { id: '41', name: 'Reopen', from: ['4'], to: '1' },
    // Archived is a dead end: nothing leaves it.
    { id: '51', name: 'Archive', from: ['4'], to: '5' },
  ],
};

describe('the transition paths a status mapping leads to', () => {
  it('names, for each mapped status, the path from every other status, as the engine plans it', () => {
    const [done] = statusPathTable(workflow, ['Done']);
    expect(done!.from).toEqual([
      { from: 'To Do', path: ['Start progress', 'Request review', 'Approve'] },
      { from: 'In Progress', path: ['Request review', 'Approve'] },
      { from: 'In Review', path: ['Approve'] },
      { from: 'Archived', reason: 'No workflow transition path from "Archived" to "Done"' },
    ]);
    expect(done!.unreachableFrom).toEqual(['Archived']);
  });

  it('says plainly when a mapped status is not in the workflow, and lists each status once', () => {
    const table = statusPathTable(workflow, ['Waiting for customer', 'to do', 'To Do']);
    expect(table.map((t) => [t.status, t.inWorkflow])).toEqual([
      ['Waiting for customer', false],
      ['To Do', true],
    ]);
    expect(table[1]!.unreachableFrom).toEqual(['Archived']);
  });
});
