/**
 * A body's people and inline images, read and written through the options the
 * engine gives for one pair (ParseOptions, RenderOptions): a mention the
 * system marks becomes a Jira mention of the paired account and back; an image
 * that is a crossed file stands where it stood as ADF media and back; anything
 * else is text (a person) or left out and said (an image), never guessed.
 */
import fc from 'fast-check';
import { htmlToAdf } from './html-to-adf';
import { normalizeAdf } from './adf-normal';
import { adfDoc, HTML_FEATURES } from './testing/adf-arbitrary';
import { adfToHtml } from './adf-to-html';
import { projectionOf, projectionOfBody, type BodyOptions } from './rich';
import { doc, listItem, para, text } from './testing/adf-nodes';
import type { AdfNode } from './adf';
import { validateAdf } from '../../test/support/adf-schema';

const SHOT = 'https://dev.azure.com/acme/_apis/wit/attachments/5b3c0a2e-0000-4000-8000-00000000000a';
const MEDIA = '7f1d2c3b-aaaa-4bbb-8ccc-0123456789ab';
const image = (id = MEDIA): AdfNode => ({
  type: 'mediaSingle',
  attrs: { layout: 'center' },
  content: [{ type: 'media', attrs: { type: 'file', id, collection: '' } }],
});
const mention = (id: string, t: string): AdfNode => ({ type: 'mention', attrs: { id, text: t } });

/** The options of a pair whose user table pairs Jira's `acc-ana` with the remote's `guid-ana`, and whose file crossed. */
const options: BodyOptions = {
  parse: {
    mention: {
      attribute: 'data-vss-mention',
      accountOf: (value) => (value === 'version:2.0,guid-ana' ? 'acc-ana' : undefined),
    },
    image: (src) => (src.split('?')[0] === SHOT ? { type: 'file', id: MEDIA, collection: '' } : undefined),
  },
  render: {
    mention: ({ id, text: t }) =>
      id === 'acc-ana' ? `<a href="#" data-vss-mention="version:2.0,guid-ana">${t}</a>` : undefined,
    media: (attrs) => (attrs.id === MEDIA ? `<img src="${SHOT}">` : undefined),
  },
};

const parse = (html: string) => {
  const out = htmlToAdf(html, options.parse);
  expect(validateAdf(out.doc)).toEqual({ valid: true, errors: null });
  return out;
};

describe('an inline image that is a crossed file', () => {
  it('stands where it stood in the remote HTML, as Jira media, between the lines around it', () => {
    const out = parse(
      `<div>Steps:</div><ol><li>Open</li></ol><div><img src="${SHOT}?fileName=a.png"></div><div>Then</div>`,
    );
    expect(out.doc.content).toEqual([
      para(text('Steps:')),
      { type: 'orderedList', content: [listItem(para(text('Open')))] },
      image(),
      para(text('Then')),
    ]);
    expect(out.images).toEqual([]);
    expect(out.simplified).toEqual([]);
  });

  it('splits the line it interrupts, and stands in a list item or a table cell as ADF allows', () => {
    expect(parse(`<p>before <img src="${SHOT}"> after</p>`).doc.content).toEqual([
      para(text('before')),
      image(),
      para(text('after')),
    ]);
    expect(parse(`<ul><li>see <img src="${SHOT}"></li></ul>`).doc.content).toEqual([
      { type: 'bulletList', content: [listItem(para(text('see')), image())] },
    ]);
    expect(parse(`<ul><li><img src="${SHOT}"></li></ul>`).doc.content).toEqual([
      { type: 'bulletList', content: [listItem({ type: 'paragraph' }, image())] },
    ]);
    const cell = parse(`<table><tr><td><img src="${SHOT}"></td></tr></table>`).doc.content[0]!;
    expect(cell.content![0]!.content![0]!.content).toEqual([image()]);
  });

  it('is left out, and said, where ADF holds no image (a task) and when it is no crossed file', () => {
    const task = parse(`<ul class="contains-task-list"><li><input type="checkbox"> ship <img src="${SHOT}"></li></ul>`);
    expect(task.simplified).toEqual(['an inline image inside a task, code or deep nesting']);
    const elsewhere = parse('<p>logo <img src="https://cdn.example.com/logo.png"></p>');
    expect(elsewhere.doc.content).toEqual([para(text('logo'))]);
    expect(elsewhere.images).toEqual([{ src: 'https://cdn.example.com/logo.png' }]);
    expect(elsewhere.simplified).toEqual(['an inline image']);
  });

  it('round-trips: Jira media → the remote image → the same media, and both sides project alike', () => {
    const jira = doc(para(text('Screenshot:')), image(), para(text('done')));
    const html = adfToHtml(jira, options.render).body;
    expect(html).toBe(`<p>Screenshot:</p><p><img src="${SHOT}"></p><p>done</p>`);
    expect(parse(html).doc).toEqual(jira);
    expect(
      projectionOfBody(
        'html',
        `<div>Screenshot:</div><div><img src="${SHOT}?fileName=x.png"></div><p>done</p>`,
        options,
      ),
    ).toBe(projectionOf('html', jira, options).body);
  });

  it('is left out on both sides alike before its file has crossed, so neither reads as changed', () => {
    const jira = doc(para(text('Screenshot:')), image('not-crossed-yet'));
    expect(projectionOf('html', jira, options).body).toBe('<p>Screenshot:</p>');
    expect(projectionOf('html', jira, options).simplified).toEqual(['an inline image']);
  });
});

describe('a mention', () => {
  it('of a paired person is a Jira mention of their account, and the remote markup of them back', () => {
    const out = parse('<p>ask <a href="#" data-vss-mention="version:2.0,guid-ana">@Ana Lima</a> today</p>');
    expect(out.doc.content).toEqual([para(text('ask '), mention('acc-ana', '@Ana Lima'), text(' today'))]);
    expect(out.simplified).toEqual([]);
    expect(adfToHtml(out.doc, options.render).body).toBe(
      '<p>ask <a href="#" data-vss-mention="version:2.0,guid-ana">@Ana Lima</a> today</p>',
    );
  });

  it('of someone not paired is their name as text, never an id nor a link to "#"', () => {
    const out = parse('<p>ask <a href="#" data-vss-mention="version:2.0,guid-bo"><span>@Bo</span> Chen</a>.</p>');
    expect(out.doc.content).toEqual([para(text('ask @Bo Chen.'))]);
    const jira = doc(para(text('ping '), mention('acc-bo', '@Bo Chen')));
    expect(adfToHtml(jira, options.render).body).toBe('<p>ping @Bo Chen</p>');
  });

  it('keeps its text whole when the markup around it is unclosed or nests elements', () => {
    const out = parse('<div><a data-vss-mention="version:2.0,guid-ana"><b>@Ana</b> <i>Lima</i>');
    expect(out.doc.content).toEqual([para(mention('acc-ana', '@Ana Lima'))]);
  });
});

describe('as properties over generated documents', () => {
  const features = {
    ...HTML_FEATURES,
    mentions: [{ id: 'acc-ana', text: '@Ana Lima' }],
    images: [MEDIA],
  };

  it('ADF with mentions and images → HTML → ADF is no change, and valid ADF', () => {
    fc.assert(
      fc.property(adfDoc(features), (jira) => {
        const html = adfToHtml(jira, options.render).body;
        const back = htmlToAdf(html, options.parse).doc;
        expect(validateAdf(back).valid).toBe(true);
        expect(normalizeAdf(back)).toEqual(normalizeAdf(jira));
      }),
      { numRuns: 300 },
    );
  });

  it('both sides project alike: a document and its HTML read to the same projection', () => {
    fc.assert(
      fc.property(adfDoc(features), (jira) => {
        const html = adfToHtml(jira, options.render).body;
        expect(projectionOfBody('html', html, options)).toBe(projectionOf('html', jira, options).body);
      }),
      { numRuns: 200 },
    );
  });
});
