/**
 * `POST /rest/api/3/issue/{issueIdOrKey}/notify` (operation `notify` in Jira's OpenAPI spec): an email about an issue,
 * queued for its recipients. The simulator sends no mail: it records the notification with its recipients resolved
 * to account ids (`site.notifications`, `GET /_control/notifications`), so a test reads what people would have got.
 *
 * As the spec says: 204 when queued; 400 for a request Jira cannot take (no recipient at all, a recipient who is the
 * caller, an assignee asked for on an unassigned issue, an unknown user or group, a body that is not the schema);
 * 403 when the site's outgoing mail is off (`PUT /_control/outgoing-mail`); 404 for an issue that does not exist or
 * that the caller may not browse (Jira's answer for both, as everywhere in this simulator). A missing subject is the
 * issue's key and summary. `restrict` keeps only recipients with the permissions (BROWSE) or in the groups named.
 * Jira's watchers are not modelled: `watchers: true` means the reporter and assignee (whom Jira makes watchers), and
 * `voters` nobody.
 */
import type { Hono } from 'hono';
import * as z from 'zod';
import type { Env } from './http';
import { readJson } from './routes-issues';
import { JiraError, type Site } from './site';

const groupRef = z.object({ name: z.string().optional(), groupId: z.string().nullable().optional() }).strict();
const notificationBody = z
  .object({
    subject: z.string().optional(),
    textBody: z.string().optional(),
    htmlBody: z.string().optional(),
    to: z
      .object({
        reporter: z.boolean().optional(),
        assignee: z.boolean().optional(),
        watchers: z.boolean().optional(),
        voters: z.boolean().optional(),
        users: z.array(z.object({ accountId: z.string().max(128) }).loose()).optional(),
        groups: z.array(groupRef).optional(),
        groupIds: z.array(z.string()).optional(),
      })
      .loose()
      .optional(),
    restrict: z
      .object({
        groups: z.array(groupRef).optional(),
        groupIds: z.array(z.string()).optional(),
        permissions: z.array(z.object({ id: z.string().optional(), key: z.string().optional() }).loose()).optional(),
      })
      .strict()
      .optional(),
  })
  .loose();

/** One email Jira queued, as the simulator keeps it. */
export interface NotificationRecord {
  at: number;
  issueId: string;
  issueKey: string;
  /** Who asked (the app's account for asApp()). */
  by: string;
  subject: string;
  textBody?: string;
  htmlBody?: string;
  /** The account ids it went to, after groups were expanded and `restrict` applied, in a stable order. */
  recipients: string[];
  /** The request's `to` and `restrict`, as sent. */
  to: unknown;
  restrict?: unknown;
}

export interface NotifyControls {
  notifications: NotificationRecord[];
  outgoingMail: boolean;
}

export function notifyRoutes(app: Hono<Env>, site: Site, controls: NotifyControls): void {
  app.post('/rest/api/3/issue/:issueIdOrKey/notify', async (c) => {
    const user = c.get('user');
    if (!user)
      throw new JiraError(401, ['You are not authenticated. Authentication required to perform this operation.']);
    const issue = site.issue(c.req.param('issueIdOrKey'), user);
    const body = await readJson(c, notificationBody);
    if (!controls.outgoingMail) throw new JiraError(403, ['Outgoing emails are disabled: no notification was sent.']);
    const project = site.projectOf(issue);
    const to = body.to ?? {};
    const ids = new Set<string>();
    for (const u of to.users ?? []) {
      if (u.accountId === user.accountId)
        throw new JiraError(400, ['The recipient of the notification cannot be the calling user.']);
      if (!site.user(u.accountId))
        throw new JiraError(400, [`The user with account ID ${u.accountId} does not exist.`]);
      ids.add(u.accountId);
    }
    const groupRefs = [...(to.groups ?? []).map((g) => g.groupId ?? g.name ?? ''), ...(to.groupIds ?? [])];
    for (const ref of groupRefs) {
      const group = site.group(ref);
      if (!group) throw new JiraError(400, [`The group ${ref} does not exist.`]);
      for (const m of group.members) ids.add(m);
    }
    if (to.assignee) {
      if (!issue.assigneeId) throw new JiraError(400, ['The issue has no assignee to notify.']);
      ids.add(issue.assigneeId);
    }
    if (to.reporter || to.watchers) ids.add(issue.reporterId);
    if (to.watchers && issue.assigneeId) ids.add(issue.assigneeId);
    if (!ids.size) throw new JiraError(400, ['The notification has no recipients.']);
    const restrict = body.restrict;
    const restrictGroups = [
      ...(restrict?.groups ?? []).map((g) => g.groupId ?? g.name ?? ''),
      ...(restrict?.groupIds ?? []),
    ];
    const recipients = [...ids].filter((id) => {
      const recipient = site.user(id);
      if (!recipient || recipient.accountType === 'app') return false;
      for (const p of restrict?.permissions ?? []) {
        const key = (p.key ?? '').toUpperCase();
        if (
          (key === 'BROWSE' || key === 'BROWSE_PROJECTS' || p.id === '10') &&
          !site.can(recipient, 'BROWSE_PROJECTS', project)
        )
          return false;
      }
      if (restrictGroups.length && !restrictGroups.some((g) => site.group(g)?.members.includes(id))) return false;
      return true;
    });
    controls.notifications.push({
      at: site.now(),
      issueId: issue.id,
      issueKey: issue.key,
      by: user.accountId,
      subject: body.subject ?? `${issue.key}: ${issue.summary}`,
      ...(body.textBody !== undefined ? { textBody: body.textBody } : {}),
      ...(body.htmlBody !== undefined ? { htmlBody: body.htmlBody } : {}),
      recipients: recipients.sort(),
      to: body.to,
      ...(restrict ? { restrict } : {}),
    });
    return c.body(null, 204);
  });
}
