import { randomBytes } from 'node:crypto';

/**
 * A Custom UI frame the host rendered for a signed-in user. The browser holds
 * only an opaque token; who the user is and which module and issue the frame
 * shows are decided here, on the server, as Jira does.
 */
export interface Frame {
  token: string;
  accountId: string;
  moduleKey: string;
  moduleType: string;
  resourceKey: string;
  localId: string;
  extension: Record<string, unknown>;
  /** The theme the page was rendered in (what view.getContext().theme says). */
  colorMode?: 'light' | 'dark';
}

export class FrameRegistry {
  private readonly frames = new Map<string, Frame>();

  open(f: Omit<Frame, 'token' | 'localId'>): Frame {
    const token = randomBytes(18).toString('base64url');
    const frame = { ...f, token, localId: `${f.moduleKey}-${token.slice(0, 8)}` };
    this.frames.set(token, frame);
    return frame;
  }

  get(token: string): Frame | undefined {
    return this.frames.get(token);
  }
}
