/**
 * What a button or a modal carries back on Discord: everything rides in a custom_id of 100
 * characters (Slack gives a button 2,000 units of value and a modal 3,000 of private_metadata). A
 * value that fits is packed in; one that does not is parked: its key (a hash) goes in the custom_id
 * and the adapter keeps the value in the store until the click (docs/chat-port.md). Pure.
 */
import { createHash } from "node:crypto";
import { DISCORD_LIMITS, discordLength } from "./limits.js";

/** Action, row and form ids are the bot's own words: no separator can hide in them. */
const NAME = /^[A-Za-z0-9_./-]{1,64}$/;
/** A parked value's mark; a value that itself starts with it is always parked, so it cannot be mistaken. */
const PARKED = "~";

/** A value too long for the custom_id, to be kept in the store under `key` before the message is sent. */
export interface Parked {
  key: string;
  value: string;
}

/** A value's store key: 22 characters of its SHA-256 (base64url), the same for the same value. */
export function parkingKey(value: string): string {
  return createHash("sha256").update(value).digest("base64url").slice(0, 22);
}

/**
 * A button's custom_id: `action`, `action;row` or `action;row;value` (row may be empty). Throws a
 * RangeError for an action or row id that is not a name (a bug in the caller).
 */
export function packButtonId(action: string, rowId: string | undefined, value: string | undefined, parked: Parked[]): string {
  if (!NAME.test(action) || (rowId !== undefined && !NAME.test(rowId))) throw new RangeError("action and row ids are names");
  if (value === undefined) return rowId === undefined ? action : `${action};${rowId}`;
  const head = `${action};${rowId ?? ""};`;
  if (!value.startsWith(PARKED) && discordLength(head) + discordLength(value) <= DISCORD_LIMITS.customId) return head + value;
  const key = parkingKey(value);
  parked.push({ key, value });
  return `${head}${PARKED}${key}`;
}

/** A button's custom_id read back; `parkedKey` when its value is in the store. Undefined for one this bot did not write. */
export function unpackButtonId(customId: string): { action: string; rowId: string | undefined; value: string | undefined; parkedKey: string | undefined } | undefined {
  const first = customId.indexOf(";");
  const action = first === -1 ? customId : customId.slice(0, first);
  if (!NAME.test(action)) return undefined;
  if (first === -1) return { action, rowId: undefined, value: undefined, parkedKey: undefined };
  const second = customId.indexOf(";", first + 1);
  const rowId = customId.slice(first + 1, second === -1 ? undefined : second) || undefined;
  if (rowId !== undefined && !NAME.test(rowId)) return undefined;
  if (second === -1) return { action, rowId, value: undefined, parkedKey: undefined };
  const value = customId.slice(second + 1);
  if (value.startsWith(PARKED)) {
    const key = value.slice(PARKED.length);
    return /^[A-Za-z0-9_-]{22}$/.test(key) ? { action, rowId, value: undefined, parkedKey: key } : undefined;
  }
  return { action, rowId, value, parkedKey: undefined };
}

/** A modal's custom_id: the form id, then its context as a query string (or its parked key). */
export function packFormId(formId: string, context: Readonly<Record<string, string>>, parked: Parked[]): string {
  if (!NAME.test(formId)) throw new RangeError("form ids are names");
  const query = new URLSearchParams(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))).toString();
  const whole = query ? `${formId};${query}` : formId;
  if (discordLength(whole) <= DISCORD_LIMITS.customId) return whole;
  const key = parkingKey(query);
  parked.push({ key, value: query });
  return `${formId};${PARKED}${key}`;
}

/** A modal's custom_id read back: its context, or the key its parked context is stored under. */
export function unpackFormId(customId: string): { formId: string; context: Record<string, string>; parkedKey: string | undefined } | undefined {
  const split = customId.indexOf(";");
  const formId = split === -1 ? customId : customId.slice(0, split);
  if (!NAME.test(formId)) return undefined;
  const rest = split === -1 ? "" : customId.slice(split + 1);
  if (rest.startsWith(PARKED)) {
    const key = rest.slice(PARKED.length);
    return /^[A-Za-z0-9_-]{22}$/.test(key) ? { formId, context: {}, parkedKey: key } : undefined;
  }
  return { formId, context: readContext(rest), parkedKey: undefined };
}

/** A context parked as a query string, read back (what the adapter does with a parked form context). */
export function readContext(query: string): Record<string, string> {
  const context: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(query)) context[key] = value;
  return { ...context };
}
