/**
 * What the local world needs of a remote system, beside its registry entry in
 * src/connectors/registry.ts: a simulator to start, a demo project to pair
 * with it, and (for the suites that iterate the registry) a pairing kit and a
 * model adapter. Each system keeps these in its own folders:
 *
 * - `sandbox/sims/<kind>/index.ts` exports `simulatedSystem: SimulatedSystem`;
 * - `sandbox/demo/<kind>-connection.ts` exports `demo: DemoPairing`;
 * - `sandbox/sims/<kind>/model.ts` exports `modelAdapter` (test/model/adapter.ts's `RemoteAdapter`).
 *
 * The sandbox finds them by the registry's kind (sandbox/systems.ts), so a new
 * system is tested and served without a line outside its folders.
 */
import type { Platform } from './platform';
import type { JiraSim } from './sims/jira';

/** A simulator's change notifications in flight, for `settle` to wait on. */
export interface SimulatedNotifier {
  idle(): Promise<void>;
  readonly busy: boolean;
}

export interface RunningSimulator {
  /** http://127.0.0.1:port: the simulator's API on loopback. */
  baseUrl: string;
  /** Its control API: faults, rate limits, resets, what it sent. */
  controlUrl: string;
  /** The URL a person types on the settings page (the app reaches it through the platform's egress routes). */
  instanceUrl: string;
  /**
   * Hosts the app reaches that this simulator plays, as Forge egress patterns (`*.zendesk.com`, `api.github.com`),
   * each to the loopback URL that answers for it; an item's URL on any of them opens the simulator's web view.
   */
  routes: ReadonlyArray<{ host: string; target: string }>;
  /** What `npm start -- --json` shows of it beside the URLs: the demo account's names and secrets. */
  summary: Readonly<Record<string, unknown>>;
  /**
   * Requests that read although they are not GETs (Azure DevOps' WIQL query and batch read are POSTs): what a test of
   * "nothing was written" leaves out of the simulator's request log (`<controlUrl>/requests`, which every simulator keeps).
   */
  readsByPost?: RegExp;
  /** Where `Sandbox.sims` lists it, when not under its kind (Azure DevOps as `azureDevOps`, as older tests read it). */
  simsKey?: string;
  notifier: SimulatedNotifier;
  /**
   * Switches on the rate limit a busy account of this system meets, and says it (the bench's bulk sync runs against
   * it and reports how much of it was used). Absent: the remote sets no limit the bench can meet.
   */
  busyAccountLimit?(): Promise<BusyAccountLimit>;
  /**
   * Sends one genuine change notification about one of its items, exactly as the remote sends them, to where the demo
   * pairing pointed it, and tells what was sent and how it was answered (the replay test sends it again).
   */
  genuineDelivery(): Promise<GenuineDelivery>;
  stop(): Promise<void>;
}

/** A rate limit as the bench counts it: the requests it counts, toward `limit` per window. */
export interface BusyAccountLimit {
  label: string;
  limit: number;
  windowSeconds: number;
  /** Windows on the clock (Zendesk counts per clock minute) rather than from the first request. */
  clockAligned?: boolean;
  /** Which answered requests the limit counts (absent: every one the remote took, that is, not refused with 429). */
  counts?(request: RequestLogEntry): boolean;
}

/** One request in a simulator's log (`<controlUrl>/requests`): each simulator adds fields of its own. */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface GenuineDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface SimulatedSystem<Sim extends RunningSimulator = RunningSimulator> {
  /** The registry kind it plays. */
  kind: string;
  /** Starts on loopback with the platform's clock. */
  start(options: { now: () => number }): Promise<Sim>;
}

/** What pairing a demo project needs of the world. */
export interface DemoContext<Sim extends RunningSimulator = RunningSimulator> {
  platform: Platform;
  installationId: string;
  jira: JiraSim;
  sim: Sim;
  /** Crosswalk's notification URL for a saved connection of this system (`<web trigger>/<kind>/<connectionId>`). */
  notificationUrl(connectionId: string): string;
}

export interface DemoPairing<Sim extends RunningSimulator = RunningSimulator> {
  /** The Jira project paired with the demo instance; made through Jira's REST API when the site has none by that key. */
  project: { key: string; name: string };
  /** The connection's settings as a project lead enters them. */
  connection: Readonly<Record<string, unknown>>;
  /** Saves the connection through Crosswalk's settings resolver as the project lead would, and sets up any change push by hand. */
  pair(context: DemoContext<Sim>): Promise<void>;
  /** What a person has in hand to pair a project with it through the settings page (sandbox/demo/pairing.ts). */
  kit(sim: Sim): import('./demo/pairing').PairingKit;
}
