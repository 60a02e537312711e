/** What the routes share: the records, the ticket rules, the clock and the limits the control API changes. */
import type { FreshserviceStore } from './store';
import type { TicketService } from './tickets';

export interface SimLimits {
  /** The filter index lags writes by this much of the simulator's clock (default 60 s). */
  filterLagSeconds: number;
  maxAttachmentBytesPerTicket: number;
  /** Whether "required for closure" custom fields are enforced (off in the demo account, so a sync can close tickets). */
  mandatoryOnClose: boolean;
}

export interface SimContext {
  store: FreshserviceStore;
  tickets: TicketService;
  limits: SimLimits;
  now(): number;
}
