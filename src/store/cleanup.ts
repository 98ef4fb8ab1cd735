/**
 * The store's clean-up: Blobs keeps an entry until it is deleted, so a scheduled run deletes claims
 * of weeks past their retention, a bounded number per run (a backlog is finished by later runs).
 */
import { isoWeek } from "./claims.js";
import type { Store } from "./store.js";

/** Claims are kept for the current week and this many before it: longer than any retry or duplicate click. */
export const CLAIM_RETENTION_WEEKS = 4;
/** Deletes per run: a run stays within seconds whatever the backlog. */
export const CLEANUP_MAX_DELETES = 500;

export interface CleanupRun {
  /** The weeks whose claims were deleted (entirely or in part), oldest first. */
  weeks: string[];
  deleted: number;
  /** True when the limit stopped the run before every old claim was gone. */
  more: boolean;
}

/** Deletes the claims of weeks older than the retention; rejects with StoreError when the store fails. */
export async function cleanUpClaims(store: Store, options: { now: number; retentionWeeks?: number; maxDeletes?: number }): Promise<CleanupRun> {
  const oldestKept = isoWeek(options.now - (options.retentionWeeks ?? CLAIM_RETENTION_WEEKS) * 7 * 86_400_000);
  const maxDeletes = options.maxDeletes ?? CLEANUP_MAX_DELETES;
  const { directories } = await store.list("claims/", { directories: true });
  // "claims/2026-W44" sorts as its week does: ISO weeks are zero-padded.
  const expired = directories.map((directory) => directory.replace(/^claims\//, "").replace(/\/$/, "")).filter((week) => week < oldestKept).sort();
  const run: CleanupRun = { weeks: [], deleted: 0, more: false };
  for (const week of expired) {
    const { keys } = await store.list(`claims/${week}/`);
    // The local Blobs server lists a week's folder after its last key is gone: nothing to do there.
    if (keys.length === 0) continue;
    run.weeks.push(week);
    for (const key of keys) {
      if (run.deleted >= maxDeletes) return { ...run, more: true };
      await store.delete(key);
      run.deleted += 1;
    }
  }
  return run;
}

/** Discord's parked button values and form contexts (platforms/discord/parking.ts): entries that carry their own `until`. */
export const DISCORD_PARKED_PREFIX = "discord/parked/";
/** Every prefix whose entries are Expiring; the clean-up deletes each past its `until`. */
export const EXPIRING_PREFIXES: readonly string[] = [DISCORD_PARKED_PREFIX];
/** Entries read per prefix and run (one read each): a backlog is finished by later runs. */
export const EXPIRING_MAX_READS = 500;

/** An entry that says when it may be deleted (ms since the epoch). */
export interface Expiring {
  until: number;
}

/**
 * Deletes the entries under `prefixes` whose `until` has passed (or that carry none: they could
 * never expire otherwise), reading at most `maxReads` per prefix, starting at a place that moves
 * each day so a long list of live entries cannot hide expired ones behind it for good. Rejects with StoreError.
 */
export async function cleanUpExpiring(store: Store, options: { now: number; prefixes?: readonly string[]; maxReads?: number }): Promise<{ deleted: number; more: boolean }> {
  const maxReads = options.maxReads ?? EXPIRING_MAX_READS;
  let deleted = 0;
  let more = false;
  for (const prefix of options.prefixes ?? EXPIRING_PREFIXES) {
    const { keys } = await store.list(prefix);
    const start = keys.length > maxReads ? (Math.floor(options.now / 86_400_000) * maxReads) % keys.length : 0;
    const turn = [...keys.slice(start), ...keys.slice(0, start)].slice(0, maxReads);
    more ||= keys.length > maxReads;
    for (const key of turn) {
      const entry = await store.read<Partial<Expiring>>(key);
      if (entry === undefined || (typeof entry.value.until === "number" && entry.value.until > options.now)) continue;
      await store.delete(key);
      deleted += 1;
    }
  }
  return { deleted, more };
}
