import fc from 'fast-check';
import { renderTemplate, stripTemplate, templateParts } from './template';

const ctx = { key: 'DEMO-12', remoteKey: 'INC0010001' };

describe('a template written around a value and read back', () => {
  it('writes the value into the template with the keys, by the field’s name or as {value}', () => {
    expect(renderTemplate({ text: '[{key}] {summary}' }, 'summary', 'Printer jams', ctx)).toBe(
      '[DEMO-12] Printer jams',
    );
    expect(renderTemplate({ text: '{value} ({remote.number})' }, 'summary', 'Printer jams', ctx)).toBe(
      'Printer jams (INC0010001)',
    );
  });

  it('reads the value back whatever the keys say now, and a text the template does not fit as it is', () => {
    expect(stripTemplate({ text: '[{key}] {summary}' }, 'summary', '[DEMO-12] Printer jams')).toBe('Printer jams');
    // Moved to another project: still the value.
    expect(stripTemplate({ text: '[{key}] {summary}' }, 'summary', '[OPS-7] Printer jams')).toBe('Printer jams');
    expect(stripTemplate({ text: '[{key}] {summary}' }, 'summary', 'Printer jams, rewritten')).toBe(
      'Printer jams, rewritten',
    );
    expect(
      stripTemplate({ text: '{summary} ({remote.key})' }, 'summary', 'Printer (3rd floor) jams (INC0010001)'),
    ).toBe('Printer (3rd floor) jams');
    expect(stripTemplate({ text: '{key} – {remote.key}: {value}!' }, 'summary', 'DEMO-1 – INC1: a: b!')).toBe('a: b');
  });

  it('refuses what cannot be read back: no value or two, an unknown name, two names side by side', () => {
    expect(templateParts('[{key}]', 'summary')).toMatchObject({ ok: false, reason: expect.stringMatching(/once/) });
    expect(templateParts('{summary} {value}', 'summary')).toMatchObject({ ok: false });
    expect(templateParts('{assignee}: {summary}', 'summary')).toMatchObject({
      ok: false,
      reason: '{assignee} is not a placeholder: use {summary} (or {value}), {key} or {remote.key}',
    });
    expect(templateParts('{key}{summary}', 'summary')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/between/),
    });
  });

  it('reads back every value it wrote, for any value and the keys items have (property)', () => {
    const word = fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/\s+/g, ' ').trim() || 'x');
    // What systems call their items: DEMO-12, INC0010001, Bug 4, #4.
    const itemKey = fc.stringMatching(/^([A-Z]{1,6}-?\d{1,7}|Bug \d{1,5}|#\d{1,6})$/);
    fc.assert(
      fc.property(
        fc.constantFrom('[{key}] {value}', '{value} ({remote.key})', '{key}/{remote.key}: {value} .', '{value}'),
        word,
        itemKey,
        itemKey,
        (text, value, key, remoteKey) => {
          const written = renderTemplate({ text }, 'summary', value, { key, remoteKey });
          expect(stripTemplate({ text }, 'summary', written)).toBe(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads a long text that almost fits part by part, without a regular expression to backtrack', () => {
    const text = `${'[x'.repeat(50_000)}] ${'a ('.repeat(100_000)}`;
    expect(stripTemplate({ text: '[{key}] {value} ({remote.key})' }, 'summary', text)).toBe(text.trim());
  });
});
