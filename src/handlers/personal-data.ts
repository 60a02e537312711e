import { reportPersonalData, type ReportOutcome } from '../privacy/report';

/**
 * The daily personal data report (manifest `scheduledTrigger` personal-data-report): the accounts Crosswalk holds
 * go to Atlassian, and closed ones are erased (src/privacy/report.ts).
 */
export async function onPersonalDataReport(): Promise<ReportOutcome> {
  const outcome = await reportPersonalData();
  if (outcome.waitingUntil) console.warn(`Personal data report waits for Atlassian until ${outcome.waitingUntil}`);
  return outcome;
}
