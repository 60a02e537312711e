/**
 * The formats a system keeps its bodies in (descriptions, comments). Shared
 * vocabulary: connectors declare one, the content converters take one, and
 * the content layer imports nothing from the layers above it.
 *
 * - `adf`: Atlassian Document Format (Jira), the richest, and the hub every
 *   other format converts to and from.
 * - `html`: Azure DevOps fields and comments, Zendesk `html_body`, ServiceNow
 *   HTML fields.
 * - `text`: plain text (ServiceNow plain fields and journals).
 * - `markdown`: CommonMark with GitHub's tables, strikethrough and task lists.
 */
export type BodyFormat = 'adf' | 'text' | 'html' | 'markdown';

/** The formats a remote system's field may keep its body in (ADF is Jira's alone). */
export const REMOTE_BODY_FORMATS = ['text', 'html', 'markdown'] as const;
export type RemoteBodyFormat = (typeof REMOTE_BODY_FORMATS)[number];
