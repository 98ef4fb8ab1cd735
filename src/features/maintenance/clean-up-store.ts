/** The daily clean-up of the store: Netlify Blobs keeps every entry until it is deleted (store/cleanup.ts). */
import { describeError, errorCodeOf } from "../../log.js";
import type { BoardSnapshot } from "../../notion/board-snapshot.js";
import { SNAPSHOT_KEY } from "../../notion/shared-board.js";
import { cleanUpClaims, cleanUpExpiring, CLAIM_RETENTION_WEEKS } from "../../store/cleanup.js";
import type { FeatureContext } from "../context.js";

/**
 * The board snapshot holds the open tasks' titles (shared-board.ts): one Notion has not refreshed for
 * this long (the bot idle or removed) is deleted, so titles do not outlive their use in the store.
 */
export const SNAPSHOT_RETENTION_MS = 7 * 86_400_000;

export type CleanupRunResult =
  | { outcome: "cleaned"; deleted: number; weeks: string[]; more: boolean; snapshotDeleted: boolean; expiredDeleted: number }
  | { outcome: "failed"; failed: "store"; reason: string };

/** Deletes claims older than the retention and expired entries; a store failure is returned (and logged), never thrown. */
export async function cleanUpStore(ctx: FeatureContext): Promise<CleanupRunResult> {
  try {
    const run = await cleanUpClaims(ctx.store, { now: ctx.now().getTime() });
    const snapshot = await ctx.store.read<BoardSnapshot>(SNAPSHOT_KEY);
    const snapshotDeleted = snapshot !== undefined && !(ctx.now().getTime() - snapshot.value.at < SNAPSHOT_RETENTION_MS);
    if (snapshotDeleted) await ctx.store.delete(SNAPSHOT_KEY);
    // Entries that carry their own time (a chat platform's parked button values): deleted once past it.
    const expired = await cleanUpExpiring(ctx.store, { now: ctx.now().getTime() });
    ctx.log.info("store.cleaned", { deleted: run.deleted, weeks: run.weeks, more: run.more || expired.more, retention_weeks: CLAIM_RETENTION_WEEKS, snapshot_deleted: snapshotDeleted, expired_deleted: expired.deleted });
    return { outcome: "cleaned", ...run, more: run.more || expired.more, snapshotDeleted, expiredDeleted: expired.deleted };
  } catch (error) {
    const reason = errorCodeOf(error, "unknown");
    ctx.log.error("store.cleanup_failed", { ...describeError(error), fix: "the next run tries again; old claims only take space meanwhile" });
    return { outcome: "failed", failed: "store", reason };
  }
}
