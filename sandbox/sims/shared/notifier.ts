/**
 * The outbound change notifications a simulator has in flight, as every
 * simulator keeps them: queued in order and sent one at a time, held while
 * paused, and waited on by the sandbox's `settle` (`busy`, `idle()`). How one
 * is sent (its headers, its signature, its retries, what is recorded) is the
 * vendor's, and stays in the simulator's own folder: a subclass's `sendQueued`.
 */
import * as z from 'zod';
import type { SimulatedNotifier } from '../../simulated-system';

export abstract class NotificationQueue<T> implements SimulatedNotifier {
  /** Waiting to be sent, oldest first (tests and models push to it and empty it, as a delivery lost in the network). */
  readonly queue: T[] = [];
  private flushing?: Promise<void>;

  /** True while nothing queued may be sent: deliveries paused, or nowhere to send them yet. */
  protected abstract holding(): boolean;

  /** Sends one delivery taken off the queue as the vendor sends it (one that should no longer go out, it skips). */
  protected abstract sendQueued(item: T): Promise<void>;

  /** Queues deliveries and, unless held, starts sending. */
  protected push(...items: T[]): void {
    this.queue.push(...items);
    if (!this.holding()) void this.flush();
  }

  /** True while deliveries are queued (and not held) or under way. */
  get busy(): boolean {
    return Boolean(this.flushing) || (this.queue.length > 0 && !this.holding());
  }

  /** Resolves when no delivery is under way. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Sends everything queued, in order, one at a time; a second call while sending waits on the same run. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      while (this.queue.length && !this.holding()) await this.sendQueued(this.queue.shift()!);
    })().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }
}

/** What a test may ask of the deliveries: paused (queued until resumed), the next N lost, the next N sent twice. */
export const deliveryFaultsSchema = z.object({
  paused: z.boolean().optional(),
  lose: z.number().int().min(0).optional(),
  duplicate: z.number().int().min(0).optional(),
});

/**
 * A queue whose deliveries a test can pause, lose or double, counted by delivery as it is queued (GitHub's, Zendesk's
 * and Freshservice's controls). ServiceNow's and Azure DevOps' controls have their own shape.
 */
export abstract class FaultableNotificationQueue<T> extends NotificationQueue<T> {
  /** Deliveries dropped silently (as if the remote never sent them). */
  readonly lost: T[] = [];
  paused = false;
  /** The next N deliveries are dropped silently. */
  loseNext = 0;
  /** The next N deliveries are sent twice. */
  duplicateNext = 0;

  protected holding(): boolean {
    return this.paused;
  }

  /** Queues a delivery, or loses it; one to be doubled is queued again as `again` (a copy unless the vendor marks it). */
  protected enqueueDelivery(delivery: T, again: T = { ...delivery }): void {
    if (this.loseNext > 0) {
      this.loseNext -= 1;
      this.lost.push(delivery);
      return;
    }
    if (this.duplicateNext > 0) {
      this.duplicateNext -= 1;
      this.push(delivery, again);
    } else this.push(delivery);
  }

  /** Applies a control request's faults; unless paused after it, sends what is queued. */
  async setFaults(faults: z.infer<typeof deliveryFaultsSchema>): Promise<void> {
    if (faults.lose !== undefined) this.loseNext = faults.lose;
    if (faults.duplicate !== undefined) this.duplicateNext = faults.duplicate;
    if (faults.paused !== undefined) this.paused = faults.paused;
    if (!this.paused) await this.flush();
  }

  /** The queue and the faults as a new simulator has them. */
  protected clearQueueAndFaults(): void {
    this.queue.length = 0;
    this.lost.length = 0;
    this.paused = false;
    this.loseNext = 0;
    this.duplicateNext = 0;
  }
}
