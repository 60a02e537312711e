import { INCIDENT_PRIORITY } from '../../../src/connectors/servicenow/derived';
import { priorityFor } from './store';

describe("the simulator's priority lookup", () => {
  it("agrees with ServiceNow's default matrix as Crosswalk's registry entry declares it, for every impact and urgency", () => {
    expect(INCIDENT_PRIORITY.lookup).toHaveLength(9);
    for (const { inputs, value } of INCIDENT_PRIORITY.lookup)
      expect([inputs.impact, inputs.urgency, priorityFor(inputs.impact!, inputs.urgency!)]).toEqual([
        inputs.impact,
        inputs.urgency,
        value,
      ]);
  });
});
