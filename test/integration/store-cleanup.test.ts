import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SNAPSHOT_KEY } from "../../src/notion/shared-board.js";
import { claimKey } from "../../src/store/claims.js";

let h: Harness;
afterEach(async () => h?.close());

const NOW = Date.parse("2026-11-25T03:17:00Z");
const WEEK_MS = 7 * 86_400_000;

describe("the scheduled store clean-up", () => {
  it("deletes claims of weeks past the retention, keeps the rest, and says what it did in its log line", async () => {
    h = await startHarness({ now: () => NOW });
    for (const [name, at] of [["view:OLD", NOW - 6 * WEEK_MS], ["view:RECENT", NOW - WEEK_MS], ["view:NOW", NOW]] as const) {
      await h.store.write(claimKey(name, at), { state: "done", owner: "o", at, leaseUntil: at });
    }
    const answer = await h.runSchedule("store-cleanup");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ outcome: "cleaned", deleted: 1, more: false });
    expect((await h.store.list("claims/")).keys.sort()).toEqual([claimKey("view:RECENT", NOW - WEEK_MS), claimKey("view:NOW", NOW)].sort());
    expect(h.logs.join("\n")).toMatch(/"event":"request".*"callback_id":"store-cleanup".*"outcome":"cleaned"/);
  });

  it("deletes a board snapshot (which holds task titles) Notion has not refreshed for a week, and keeps a recent one", async () => {
    h = await startHarness({ now: () => NOW });
    await h.store.write(SNAPSHOT_KEY, { v: 1, at: NOW - WEEK_MS - 1, tasks: [{ title: "Fix login" }] });
    expect((await h.runSchedule("store-cleanup")).json).toMatchObject({ outcome: "cleaned", snapshotDeleted: true });
    expect(await h.store.read(SNAPSHOT_KEY)).toBeUndefined();
    await h.store.write(SNAPSHOT_KEY, { v: 1, at: NOW - 60_000, tasks: [] });
    expect((await h.runSchedule("store-cleanup")).json).toMatchObject({ outcome: "cleaned", snapshotDeleted: false });
    expect(await h.store.read(SNAPSHOT_KEY)).toBeDefined();
  });

  it("answers 500 with the store's failure when the store cannot be reached, so Netlify's log shows a failed run", async () => {
    h = await startHarness({ now: () => NOW });
    h.blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    const answer = await h.runSchedule("store-cleanup");
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "store", reason: "unavailable" });
    expect(h.logs.join("\n")).toMatch(/"event":"store.cleanup_failed"/);
  });
});
