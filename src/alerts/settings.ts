/**
 * A connection's alert settings (issue 23): where alerts go and after how long each condition is worth one. The
 * targets' addresses are secrets (a Slack or Teams webhook URL lets anyone post), kept in Forge secret storage with
 * the generic webhook's signing secret (store/alert-settings.ts); these settings only say which targets are set.
 */
import * as z from 'zod';

const minutes = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

export const alertThresholdsSchema = z
  .object({
    /** The remote answers nothing (network, 5xx) for this long. */
    unreachableMinutes: minutes(5, 1440, 30),
    /** The remote keeps answering 429 for this long. */
    rateLimitedMinutes: minutes(5, 1440, 60),
    /** More items than this wait for a person (a refused value, a missing permission…). */
    failingItems: z.number().int().min(1).max(99).default(10),
    /** The sweep keeps finding remote changes no notification announced, for this long. */
    silentMinutes: minutes(15, 1440, 30),
    /** A bulk sync has not moved for this long. */
    bulkStalledMinutes: minutes(15, 1440, 30),
    /** The oldest change waiting to sync is older than this. */
    backlogMinutes: minutes(15, 1440, 60),
  })
  .strict();

export const alertSettingsSchema = z
  .object({
    thresholds: alertThresholdsSchema.default(alertThresholdsSchema.parse({})),
    /** A reminder while a condition lasts (one per condition, never one per item); 0 = none. */
    reminderMinutes: z
      .number()
      .int()
      .refine((m) => m === 0 || (m >= 30 && m <= 10_080), 'A reminder comes every 30 minutes to 7 days, or never (0)')
      .default(240),
    /** Jira's own email about the first affected issue, to these people and groups. */
    jiraEmail: z
      .object({
        users: z.array(z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'must be an account id')).max(20),
        groups: z.array(z.string().min(1).max(128)).max(10),
      })
      .strict()
      .default({ users: [], groups: [] }),
  })
  .strict();

export type AlertSettings = z.infer<typeof alertSettingsSchema>;
export type AlertThresholds = z.infer<typeof alertThresholdsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = alertSettingsSchema.parse({});
