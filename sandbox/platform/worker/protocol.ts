/** Messages between the platform (main thread) and an invocation worker. */

export interface EgressRoute {
  /** Host pattern as in the manifest (`acme.service-now.com`, `*.zendesk.com`). */
  host: string;
  /** Loopback origin that plays the host, e.g. `http://127.0.0.1:40123`. */
  target: string;
}

export interface WorkerInit {
  bundlePath: string;
}

export interface RuntimeSeed {
  proxyToken: string;
  contextAri: string;
  appContext: {
    appId: string;
    appVersion: string;
    environmentId: string;
    environmentType: string;
    invocationId: string;
    installationId: string;
    functionKey: string;
    moduleType: string;
    moduleKey: string;
    license?: unknown;
    installation?: unknown;
    permissions: { scopes: string[]; external: Record<string, unknown> };
  };
  aaid?: string;
  traceId: string;
}

export interface InvokeMessage {
  type: 'invoke';
  invocationId: string;
  exportName: string;
  args: unknown[];
  runtime: RuntimeSeed;
  /** Wall-clock deadline (ms epoch). */
  deadline: number;
  /** Platform clock minus wall clock at dispatch: the function's Date follows the platform clock. */
  clockOffsetMs: number;
  egress: { allowList: string[]; routes: EgressRoute[]; maxRequests: number };
  product: { jiraBaseUrl?: string; platformToken: string };
}

export interface RpcResultMessage {
  type: 'rpc-result';
  id: number;
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export interface OutboundAckMessage {
  type: 'outbound-ack';
  id: number;
}

export type ToWorker = InvokeMessage | RpcResultMessage | OutboundAckMessage;

export interface RpcMessage {
  type: 'rpc';
  id: number;
  invocationId: string;
  /** `kvs` storage calls and `stargate` platform calls (events, web trigger URLs). */
  channel: 'kvs' | 'stargate';
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** Sent before every product or egress request; the platform may stop the invocation instead of acking. */
export interface OutboundMessage {
  type: 'outbound';
  id: number;
  invocationId: string;
  kind: 'product' | 'egress';
  method: string;
  url: string;
}

export interface ResultMessage {
  type: 'result';
  invocationId: string;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** Sent once the app's bundle has loaded, so cold-start loading does not eat an invocation's timeout on a busy machine. */
export interface ReadyMessage {
  type: 'ready';
}

export type FromWorker = RpcMessage | OutboundMessage | ResultMessage | ReadyMessage;
