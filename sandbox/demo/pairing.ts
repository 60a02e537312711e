/**
 * What a person has in hand to pair a Jira project with each simulated remote,
 * by the system's registry kind: the instance URL, the values the settings
 * form asks of them (the demo connections' own `remote` settings), the secret
 * the integration account signs in with, and how to find, in the simulator,
 * the item a Jira issue became; and, for the remote filter's tests, a field
 * with a list of values and how an agent makes an item. Tests that pair
 * "every registered system" through the settings page iterate the registry
 * and take these facts from each system's demo (`DemoPairing.kit`).
 */
import type { Sandbox } from '../sandbox';
import { demoOf } from '../systems';

export interface PairingKit {
  /** The instance URL a person types (the app reaches it through the platform's egress route to the simulator). */
  instanceUrl: string;
  /** The connection's `remote` settings a person enters, as the demo pairs them (type and baseUrl included). */
  remote: Readonly<Record<string, unknown>>;
  /** The secret the integration account signs in with, by the connection's secret field. */
  credential: Readonly<Record<string, string>>;
  /** The simulator's items whose title is exactly `title`. */
  itemsTitled(title: string): Array<{ id: string; title: string }>;
  /**
   * A remote filter to build from the remote's own fields: the field an item's title is in, and a field of the
   * remote's with a list of values an agent sets, with three of its values.
   */
  filterable: { title: string; field: string; values: readonly [string, string, string] };
  /** Makes an item of the demo connection's kind as the remote's agent would, titled `title`, its `filterable.field` set to `value`; the remote tells Crosswalk as it does of any item. */
  createItem(title: string, value: string): Promise<void>;
}

export const created = (what: string, res: { status: number }) => {
  if (res.status !== 200 && res.status !== 201) throw new Error(`Could not create ${what}: ${res.status}`);
};

/** Each simulated system's kit, by registry kind. */
export function pairingKits(sandbox: Sandbox): Readonly<Record<string, PairingKit>> {
  return Object.fromEntries(
    Object.entries(sandbox.remotes).map(([kind, sim]) => [kind, demoOf(kind).kit(sim)] as const),
  );
}
