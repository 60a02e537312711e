/** Replies, notes and their edits; attachment download and delete. */
import type { Hono } from 'hono';
import { notFound } from './errors';
import { idParam, readBody, type Env } from './request';
import { conversationJson } from './serialize';
import type { SimContext } from './context';
import { parseConversationUpdate, parseNote, parseReply } from './validate';

export function conversationRoutes(app: Hono<Env>, sim: SimContext): void {
  const { store, tickets } = sim;

  app.post('/api/v2/tickets/:id{[0-9]+}/reply', async (c) => {
    const { fields, files } = await readBody(c);
    const reply = tickets.reply(idParam(c, 'id'), parseReply(fields), files, c.get('agent'));
    return c.json({ conversation: conversationJson(store, reply, c.get('origin')) }, 201);
  });

  app.post('/api/v2/tickets/:id{[0-9]+}/notes', async (c) => {
    const { fields, files } = await readBody(c);
    const note = tickets.note(idParam(c, 'id'), parseNote(fields), files, c.get('agent'));
    return c.json({ conversation: conversationJson(store, note, c.get('origin')) }, 201);
  });

  app.get('/api/v2/tickets/:id{[0-9]+}/conversations', (c) => {
    const t = tickets.any(idParam(c, 'id'));
    return c.json({
      conversations: store.conversationsOf(t.id).map((cv) => conversationJson(store, cv, c.get('origin'))),
    });
  });

  app.put('/api/v2/conversations/:id{[0-9]+}', async (c) => {
    const { fields } = await readBody(c);
    const note = tickets.editConversation(idParam(c, 'id'), parseConversationUpdate(fields).body);
    return c.json({ conversation: conversationJson(store, note, c.get('origin')) });
  });

  app.delete('/api/v2/conversations/:id{[0-9]+}', (c) => {
    tickets.deleteConversation(idParam(c, 'id'));
    return c.body(null, 204);
  });

  app.get('/api/v2/attachments/:id{[0-9]+}', (c) => {
    const a = store.attachments.get(idParam(c, 'id'));
    if (!a) throw notFound();
    return c.body(new Uint8Array(a.content), 200, {
      'content-type': a.content_type,
      'content-disposition': `attachment; filename="${a.name.replace(/"/g, '')}"`,
      'content-length': String(a.size),
    });
  });

  app.delete('/api/v2/tickets/:tid{[0-9]+}/attachments/:id{[0-9]+}', (c) => {
    tickets.deleteAttachment(idParam(c, 'tid'), idParam(c, 'id'));
    return c.body(null, 204);
  });
}
