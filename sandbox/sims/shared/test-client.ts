/** What the simulators' test clients share: a simulator's answer read as a test reads it. */

/** An answer: its status and headers, its body as text, and the body parsed, or undefined for empty or non-JSON bodies. */
export interface SimResponse<T = unknown> {
  status: number;
  headers: Headers;
  json: T;
  text: string;
}

/** Reads an answer whole; a body that is not JSON (an HTML error page, a file) leaves `json` undefined and keeps `text`. */
export async function readSimResponse<T>(res: Response): Promise<SimResponse<T>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json: json as T, text };
}
