/**
 * The demo account `acme.freshservice.com`: the integration agent Crosswalk
 * signs in as (an admin, so it may bypass mandatory fields), a human agent
 * (Sam Agent, who acts in the web view), requesters, groups, and a few
 * tickets, one of them older than the list's 30-day window.
 */
import type { FreshserviceStore } from './store';
import type { TicketService } from './tickets';

export const DEMO_CREDENTIALS = {
  domain: 'acme.freshservice.com',
  instanceUrl: 'https://acme.freshservice.com',
  /** Crosswalk's agent: Basic `<apiKey>:X`. */
  integration: {
    name: 'Crosswalk Integration',
    email: 'crosswalk@acme.example',
    apiKey: 'fs-demo-integration-key-7Qm2xL',
  },
  /** A person at the service desk, with a key of its own. */
  agent: { name: 'Sam Agent', email: 'sam.agent@acme.example', apiKey: 'fs-demo-sam-agent-key-3Rt9pW' },
  requester: { name: 'Pat Customer', email: 'pat.customer@acme.example' },
} as const;

const DAY_MS = 24 * 3600_000;

/**
 * `at(ms, write)` runs a write with the simulator's clock held at that moment,
 * so seeded tickets carry their own ages (the filter index and `updated_at` too).
 */
export function seed(
  store: FreshserviceStore,
  tickets: TicketService,
  at: (ms: number, write: () => void) => void,
  now: number,
): void {
  const desk = store.addGroup('Service Desk', 'First line for every request');
  const network = store.addGroup('Network Team', 'VPN, Wi-Fi and office network');
  store.addAgent({
    first_name: 'Crosswalk',
    last_name: 'Integration',
    email: DEMO_CREDENTIALS.integration.email,
    apiKey: DEMO_CREDENTIALS.integration.apiKey,
    role: 'admin',
    group_ids: [desk.id],
  });
  const sam = store.addAgent({
    first_name: 'Sam',
    last_name: 'Agent',
    email: DEMO_CREDENTIALS.agent.email,
    apiKey: DEMO_CREDENTIALS.agent.apiKey,
    role: 'agent',
    group_ids: [desk.id, network.id],
  });
  const pat = store.addRequester('Pat', 'Customer', DEMO_CREDENTIALS.requester.email);
  const riley = store.addRequester('Riley', 'Requester', 'riley.requester@acme.example');

  at(now - 45 * DAY_MS, () => {
    const old = tickets.create(
      {
        subject: 'Printer on floor 3 jams',
        description: '<div>Paper jams on every second page.</div>',
        requester_id: riley.id,
        priority: 1,
      },
      [],
      sam,
    );
    tickets.update(old.id, { status: 5, custom_fields: { resolution_category: 'Fixed' } }, [], sam, false);
  });
  at(now - 2 * DAY_MS, () => {
    const vpn = tickets.create(
      {
        subject: 'VPN drops every few minutes',
        description:
          '<div>Since Monday the VPN disconnects <b>every 5 minutes</b>.</div><ul><li>Windows 11</li><li>Home Wi-Fi</li></ul>',
        requester_id: pat.id,
        type: 'Incident',
        priority: 3,
        urgency: 2,
        impact: 2,
        group_id: network.id,
        responder_id: sam.id,
        category: 'Network',
        tags: ['vpn', 'remote-work'],
      },
      [],
      sam,
    );
    tickets.reply(vpn.id, { body: '<div>We are looking into it. Which VPN client version do you run?</div>' }, [], sam);
    tickets.note(vpn.id, { body: '<div>Likely the gateway MTU change from last week.</div>' }, [], sam);
  });
  at(now - 5 * DAY_MS, () => {
    tickets.create(
      {
        subject: 'New laptop for onboarding',
        description: '<div>Alex starts on the 1st and needs a laptop.</div>',
        requester_id: riley.id,
        type: 'Service Request',
        status: 3,
        priority: 2,
        group_id: desk.id,
      },
      [],
      sam,
    );
  });
}
