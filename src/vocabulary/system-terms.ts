/**
 * What a system's registry entry tells the layers above it, in terms they all read: which field tells an item's
 * type, which fields the remote computes from others, how it writes a date-time as text. Shared vocabulary: it
 * imports nothing, so connectors declare these without reaching up into the mapping that uses them.
 */

/** How a system tells an item's type (its registry entry's `itemTypes`, mapping/item-types.ts). */
export interface ItemTypeField {
  /** The remote field holding it: System.WorkItemType, a Zendesk ticket's `type`, a ServiceNow incident's `category`. */
  field: string;
  /** What people call it there: "Work item type", "Ticket type", "Category". */
  label: string;
}

/** A field the remote computes from others (mapping/derived-fields.ts). */
export interface DerivedFieldDefinition {
  /** The remote field the remote computes: "priority". */
  field: string;
  /** The fields it is computed from, in the order people read them: ["impact", "urgency"]. */
  inputs: readonly string[];
  /**
   * The remote's own lookup: which value each combination of inputs gives. The first combination listed for a
   * value is the one written for it by default.
   */
  lookup: ReadonlyArray<{ inputs: Readonly<Record<string, string>>; value: string }>;
  /** Why it is computed, in words for the settings page: "ServiceNow computes an incident's priority from its impact and urgency". */
  description: string;
}

/** How a system writes a date-time as text (mapping/field-convert.ts), where not ISO 8601. */
export interface DateTimeText {
  format(epochMs: number): string;
  parse(text: string): number | undefined;
}
