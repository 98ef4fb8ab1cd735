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
