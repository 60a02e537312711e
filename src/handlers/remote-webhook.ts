/** Forge web trigger request (forge-platform.md §4.4). */
export interface WebTriggerRequest {
  method: string;
  headers: Record<string, string[]>;
  body?: string;
}

export interface WebTriggerResponse {
  statusCode: number;
  headers?: Record<string, string[]>;
  body?: string;
}

/**
 * Inbound notifications from remote systems. Web trigger URLs are public, so a
 * request is accepted only when it proves it comes from a paired connection;
 * with no connection configured nothing can verify it, so it is refused.
 */
export async function onRemoteWebhook(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  if (request.method !== 'POST') return { statusCode: 405, headers: { allow: ['POST'] }, body: 'Method not allowed' };
  return { statusCode: 401, body: 'Unknown or unverified connection' };
}
