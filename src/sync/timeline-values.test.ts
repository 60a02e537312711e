import { fieldMappingSchema } from '../mapping/connection-config';
import { cutTitle, MAX_TITLE_CHARS } from './item-shown';
import {
  MAX_VALUE_CHARS,
  MAX_VALUES,
  stepOf,
  stepValue,
  TIMELINE_MAX_STEPS,
  withStep,
  type SyncStep,
} from './timeline';

const none = { fromJira: 0, fromRemote: 0 };
const base = { comments: none, files: none, created: false, changedAt: { jira: 1000, remote: 2000 } };
const m = (over: Record<string, unknown>) => fieldMappingSchema.parse(over);

describe('what a timeline step keeps of the values written', () => {
  it('keeps what each written field became, and names a field the other side did not take', () => {
    expect(
      stepOf({
        ...base,
        wroteJira: ['status'],
        wroteRemote: ['priority'],
        values: { status: 'Waiting for customer', priority: 'High' },
        kept: ['priority'],
        writtenAt: 3000,
        confirmedAt: 3500,
      }),
    ).toMatchObject({
      fields: ['priority', 'status'],
      values: { status: 'Waiting for customer', priority: 'High' },
      kept: ['priority'],
    });
    // Nothing to say: no keys at all, so a step costs no more bytes than before.
    const plain = stepOf({ ...base, wroteJira: ['description'], wroteRemote: [], writtenAt: 1, confirmedAt: 2 })!;
    expect(Object.keys(plain)).not.toContain('values');
    expect(Object.keys(plain)).not.toContain('kept');
  });

  it('keeps short values only: not rich text, not people; lists joined; long ones cut', () => {
    expect(stepValue(m({ jira: 'description', remote: 'description', transform: 'rich-text' }), 'Long text')).toBe(
      undefined,
    );
    expect(stepValue(m({ jira: 'assignee', remote: 'assigned_to', transform: 'user' }), 'sys-id-1')).toBe(undefined);
    expect(stepValue(m({ jira: 'labels', remote: 'tags' }), ['billing', 'vip'])).toBe('billing, vip');
    expect(stepValue(m({ jira: 'summary', remote: 'subject' }), null)).toBe('');
    const cut = stepValue(m({ jira: 'summary', remote: 'subject' }), 'x'.repeat(500))!;
    expect(cut).toHaveLength(MAX_VALUE_CHARS);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('adds little to the link even at its fullest: 12 steps of 8 fields written with the longest values', () => {
    const fields = [
      'summary',
      'status',
      'priority',
      'labels',
      'customfield_10010',
      'customfield_10011',
      'duedate',
      'x',
    ];
    const long = 'y'.repeat(1000);
    const fullest = (withValues: boolean) => {
      let timeline: SyncStep[] | undefined;
      for (let i = 0; i < 30; i++)
        timeline = withStep(
          timeline,
          stepOf({
            ...base,
            wroteJira: fields,
            wroteRemote: [],
            ...(withValues ? { values: Object.fromEntries(fields.map((f) => [f, long])), kept: fields } : {}),
            comments: { fromJira: 3, fromRemote: 3 },
            files: { fromJira: 3, fromRemote: 3 },
            signal: { cause: 'z'.repeat(200), queuedAt: 1_700_000_000_000 + i },
            writtenAt: 1_700_000_000_000 + i,
            confirmedAt: 1_700_000_000_000 + i,
          }),
          1_700_000_000_000 + i,
        );
      expect(timeline).toHaveLength(TIMELINE_MAX_STEPS);
      return Buffer.byteLength(JSON.stringify(timeline));
    };
    const added = fullest(true) - fullest(false);
    // At most MAX_VALUES values a step, each cut: about 3 KB for the whole timeline, whatever was written.
    expect(
      Object.keys(
        stepOf({
          ...base,
          wroteJira: fields,
          wroteRemote: [],
          values: Object.fromEntries(fields.map((f) => [f, long])),
          writtenAt: 1,
          confirmedAt: 2,
        })!.values!,
      ),
    ).toHaveLength(MAX_VALUES);
    expect(added).toBeLessThanOrEqual(3.5 * 1024);
  });

  it('keeps a title cut to its bound, on one line', () => {
    expect(cutTitle('  Refund\n sent  twice ')).toBe('Refund sent twice');
    expect(cutTitle('t'.repeat(1000))).toHaveLength(MAX_TITLE_CHARS);
    expect(cutTitle('')).toBeUndefined();
  });
});
