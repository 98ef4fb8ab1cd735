/**
 * Parked values in the store: what a button or a modal carries back on Discord when it does not fit
 * its 100-character custom_id (custom-id.ts). Each is written under `discord/parked/<key>` before the
 * message or modal that names it is sent, read back when the click or submission comes, and deleted
 * by the daily clean-up once past its time (store/cleanup.ts: cleanUpExpiring).
 */
import { DISCORD_PARKED_PREFIX, type Expiring } from "../../store/cleanup.js";
import type { Store } from "../../store/store.js";
import type { Parked } from "./custom-id.js";

export const PARKED_PREFIX = DISCORD_PARKED_PREFIX;
/** A modal's context: the modal can be submitted as long as the token that opened it lives (15 minutes). */
export const FORM_PARKING_MS = 15 * 60_000;
/** A button's value: a message stays clickable for good; 30 days, as long as a task's record is kept current. */
export const BUTTON_PARKING_MS = 30 * 86_400_000;
/**
 * A refused form's "Fix it" value holds what the person typed: kept a day, enough to come back to
 * an ephemeral message, not the 30 days of a button (typed text is not kept longer than it is needed).
 */
export const FIX_IT_PARKING_MS = 86_400_000;
/** A parked value as stored: the value, and when the clean-up may delete it. */
interface ParkedEntry extends Expiring {
  value: string;
}

/**
 * Writes each value under its key, to live `ttlMs` from `now`; rejects with StoreError. The key is
 * the value's hash, so writing it again writes the same value (its time is renewed).
 */
export async function parkValues(store: Store, parked: readonly Parked[], options: { now: number; ttlMs: number; deadline?: { remainingMs(): number } | undefined }): Promise<void> {
  await Promise.all(parked.map((entry) => store.write<ParkedEntry>(`${PARKED_PREFIX}${entry.key}`, { value: entry.value, until: options.now + options.ttlMs }, {}, { deadline: options.deadline })));
}

/** The value parked under `key`, or undefined when there is none (expired and cleaned up, or never parked); rejects with StoreError. */
export async function readParked(store: Store, key: string, options: { deadline?: { remainingMs(): number } | undefined } = {}): Promise<string | undefined> {
  const entry = await store.read<ParkedEntry>(`${PARKED_PREFIX}${key}`, { deadline: options.deadline });
  return typeof entry?.value.value === "string" ? entry.value.value : undefined;
}
