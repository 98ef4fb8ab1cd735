/** The daily clean-up of the store: Netlify Blobs keeps every entry until it is deleted (store/cleanup.ts). */
import { describeError, errorCodeOf } from "../../log.js";
import { cleanUpClaims, CLAIM_RETENTION_WEEKS } from "../../store/cleanup.js";
import type { FeatureContext } from "../context.js";

export type CleanupRunResult =
  | { outcome: "cleaned"; deleted: number; weeks: string[]; more: boolean }
  | { outcome: "failed"; failed: "store"; reason: string };

/** Deletes claims older than the retention; a store failure is returned (and logged), never thrown. */
export async function cleanUpStore(ctx: FeatureContext): Promise<CleanupRunResult> {
  try {
    const run = await cleanUpClaims(ctx.store, { now: ctx.now().getTime() });
    ctx.log.info("store.cleaned", { deleted: run.deleted, weeks: run.weeks, more: run.more, retention_weeks: CLAIM_RETENTION_WEEKS });
    return { outcome: "cleaned", ...run };
  } catch (error) {
    const reason = errorCodeOf(error, "unknown");
    ctx.log.error("store.cleanup_failed", { ...describeError(error), fix: "the next run tries again; old claims only take space meanwhile" });
    return { outcome: "failed", failed: "store", reason };
  }
}
