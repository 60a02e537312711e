/**
 * What ServiceNow computes itself: an incident's priority, looked up from its
 * impact and urgency by the instance's priority lookup rules (dl_u_priority),
 * whatever a write says of it. The lookup below is ServiceNow's default; an
 * instance may have changed its rules, which is why a connection keeps its own
 * matrix (mapping/derived-fields.ts).
 */
import type { DerivedFieldDefinition } from '../../vocabulary/system-terms';

const cell = (impact: string, urgency: string, value: string) => ({ inputs: { impact, urgency }, value });

/** ServiceNow's default priority lookup; for each priority the pair listed first is the one written for it. */
export const INCIDENT_PRIORITY: DerivedFieldDefinition = {
  field: 'priority',
  inputs: ['impact', 'urgency'],
  lookup: [
    cell('1', '1', '1'),
    cell('1', '2', '2'),
    cell('2', '1', '2'),
    cell('2', '2', '3'),
    cell('1', '3', '3'),
    cell('3', '1', '3'),
    cell('2', '3', '4'),
    cell('3', '2', '4'),
    cell('3', '3', '5'),
  ],
  description: "ServiceNow computes an incident's priority from its impact and urgency",
};

/** The derived fields of a table: the incident's priority. */
export function serviceNowDerivedFields(table: string): readonly DerivedFieldDefinition[] {
  return table === 'incident' ? [INCIDENT_PRIORITY] : [];
}
