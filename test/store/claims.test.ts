import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobsServer } from "@netlify/blobs/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimKey, createClaims, isoWeek } from "../../src/store/claims.js";
import { cleanUpClaims } from "../../src/store/cleanup.js";
import { createBlobsStore, type Store } from "../../src/store/store.js";
import { startBlobsEmulator } from "../../dev/blobs-server.js";

let server: BlobsServer;
let directory: string;
let edgeURL: string;
let site = 0;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "chatops-blobs-"));
  server = new BlobsServer({ directory, token: "test-token", logger: () => {} });
  const { port } = await server.start();
  edgeURL = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.stop();
  rmSync(directory, { recursive: true, force: true });
});

/**
 * Each store call's timeout here: seconds, as dev/harness.ts's HEALTHY_TIMEOUT_MS, since no call
 * below is made to fail; at the store's own 800 ms, a machine running several suites at once timed
 * one out.
 */
const HEALTHY_TIMEOUT_MS = 5_000;

/** A store of its own per test: a fresh site id on the shared server. */
function freshStore(): Store {
  site += 1;
  return createBlobsStore({ connection: { siteID: `site-${site}`, token: "test-token", edgeURL }, timeoutMs: HEALTHY_TIMEOUT_MS });
}

const MONDAY_NOON = Date.parse("2026-11-23T12:00:00Z");
const lease = { leaseMs: 30_000, horizonMs: 86_400_000 };

describe("isoWeek", () => {
  it("names weeks as ISO 8601 does, in UTC, across a year's end", () => {
    expect(isoWeek(Date.parse("2026-11-23T00:00:00Z"))).toBe("2026-W48");
    expect(isoWeek(Date.parse("2026-11-29T23:59:59Z"))).toBe("2026-W48");
    expect(isoWeek(Date.parse("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(Date.parse("2025-12-29T12:00:00Z"))).toBe("2026-W01");
  });

  it("dates a claim's key by it", () => {
    expect(claimKey("view:V123", MONDAY_NOON)).toBe("claims/2026-W48/view:V123");
  });
});

describe("claims on the real Blobs server", () => {
  it("gives the first claimant the work and the second what it left", async () => {
    const claims = createClaims(freshStore());
    const first = await claims.claim<{ pageId: string }>("view:V1", { now: MONDAY_NOON, ...lease });
    expect(first.kind).toBe("won");
    const second = await claims.claim<{ pageId: string }>("view:V1", { now: MONDAY_NOON + 1_000, ...lease });
    expect(second).toEqual({ kind: "pending", at: MONDAY_NOON });
    if (first.kind === "won") await first.complete({ pageId: "p1" });
    const third = await createClaims(freshStoreLike(claims)).claim("view:V1", { now: MONDAY_NOON + 2_000, ...lease });
    expect(third).toEqual({ kind: "done", at: MONDAY_NOON, result: { pageId: "p1" } });
  });

  it("lets a claim be taken over once its holder's lease has run out", async () => {
    const store = freshStore();
    const claims = createClaims(store);
    const first = await claims.claim("view:V2", { now: MONDAY_NOON, ...lease });
    expect(first.kind).toBe("won");
    const later = await createClaims(store).claim("view:V2", { now: MONDAY_NOON + 31_000, ...lease });
    expect(later.kind).toBe("won");
  });

  it("frees a released claim for the next claimant", async () => {
    const store = freshStore();
    const first = await createClaims(store).claim("reminder:C1:1.2", { now: MONDAY_NOON, ...lease });
    if (first.kind !== "won") throw new Error("expected to win");
    await first.release();
    expect((await createClaims(store).claim("reminder:C1:1.2", { now: MONDAY_NOON + 1, ...lease })).kind).toBe("won");
  });

  it("sees last week's claim within the horizon, so a retry across Monday 00:00 UTC is not done twice", async () => {
    const store = freshStore();
    const sunday = Date.parse("2026-11-22T23:59:00Z");
    const first = await createClaims(store).claim<{ ts: string }>("view:V3", { now: sunday, ...lease });
    if (first.kind !== "won") throw new Error("expected to win");
    await first.complete({ ts: "1.2" });
    const retry = await createClaims(store).claim<{ ts: string }>("view:V3", { now: sunday + 120_000, ...lease });
    expect(retry).toEqual({ kind: "done", at: sunday, result: { ts: "1.2" } });
    expect((await store.list("claims/2026-W48/")).keys).toEqual([]);
  });

  it("answers unavailable, never throwing, when the store cannot be reached", async () => {
    const claims = createClaims(createBlobsStore({ connection: { siteID: "s", token: "t", edgeURL: "http://127.0.0.1:9" } }));
    const outcome = await claims.claim("view:V4", { now: MONDAY_NOON, ...lease });
    expect(outcome.kind).toBe("unavailable");
  });
});

describe("cleanUpClaims", () => {
  it("deletes the claims of weeks past the retention and keeps the rest", async () => {
    const store = freshStore();
    const claims = createClaims(store);
    for (const weeksAgo of [0, 3, 5, 9]) await claims.claim(`view:W${weeksAgo}`, { now: MONDAY_NOON - weeksAgo * 7 * 86_400_000, ...lease, horizonMs: 0 });
    const run = await cleanUpClaims(store, { now: MONDAY_NOON });
    expect(run).toEqual({ weeks: ["2026-W39", "2026-W43"], deleted: 2, more: false });
    expect((await store.list("claims/")).keys.sort()).toEqual(["claims/2026-W45/view:W3", "claims/2026-W48/view:W0"]);
  });
});

/** Another instance's view of the same store (a second function instance). */
function freshStoreLike(_claims: unknown): Store {
  return createBlobsStore({ connection: { siteID: `site-${site}`, token: "test-token", edgeURL }, timeoutMs: HEALTHY_TIMEOUT_MS });
}

/**
 * The timeout of the store these claimants use: seconds, so the healthy calls around a faulted write
 * (the other claimants' reads, the settling writes) fit on a busy machine. The faulted write is never
 * answered, so the claimant still gives up on it: after this long, whatever the load.
 */
const CLAIMANT_TIMEOUT_MS = 2_000;

describe("a claim whose write timed out but landed", () => {
  it("is settled by the claimant that fell back: freed when its work failed, recorded when it succeeded", async () => {
    const blobs = await startBlobsEmulator();
    try {
      const store = createBlobsStore({ connection: blobs.connection, timeoutMs: CLAIMANT_TIMEOUT_MS });
      // The store takes both writes but never answers: both claimants give up, one waiting for both.
      blobs.fail({ kind: "late" }, { method: "PUT", times: 2 });
      const [failed, landed] = await Promise.all([
        createClaims(store).claim("view:TIMED-OUT", { now: MONDAY_NOON, ...lease }),
        createClaims(store).claim<{ pageId: string }>("view:TIMED-OUT-2", { now: MONDAY_NOON, ...lease }),
      ]);
      if (failed.kind !== "unavailable" || landed.kind !== "unavailable") throw new Error(`expected unavailable twice, got ${failed.kind} and ${landed.kind}`);
      expect((await store.list("claims/")).keys.sort()).toEqual([claimKey("view:TIMED-OUT", MONDAY_NOON), claimKey("view:TIMED-OUT-2", MONDAY_NOON)]);
      // Another claimant would now be told the work is under way, for the whole lease...
      expect((await createClaims(store).claim("view:TIMED-OUT", { now: MONDAY_NOON + 1, ...lease })).kind).toBe("pending");
      // ...until the first one, whose fallback work failed, frees it.
      await failed.release();
      expect((await createClaims(store).claim("view:TIMED-OUT", { now: MONDAY_NOON + 2, ...lease })).kind).toBe("won");
      // The second one's work succeeded: it records what it left.
      await landed.complete({ pageId: "p-9" });
      expect(await createClaims(store).claim("view:TIMED-OUT-2", { now: MONDAY_NOON + 3, ...lease })).toMatchObject({ kind: "done", result: { pageId: "p-9" } });
    } finally {
      await blobs.close();
    }
  });

  it("is settled even when the timed-out write lands only after the claimant settled it", async () => {
    const blobs = await startBlobsEmulator();
    try {
      const store = createBlobsStore({ connection: blobs.connection, timeoutMs: CLAIMANT_TIMEOUT_MS });
      // The writes are held: they reach the store when the test says, after both claimants gave up and settled.
      blobs.fail({ kind: "delay" }, { method: "PUT", times: 2 });
      const [done, freed] = await Promise.all([
        createClaims(store).claim<{ pageId: string }>("view:LANDS-LATE", { now: MONDAY_NOON, ...lease }),
        createClaims(store).claim("view:LANDS-LATE-FREED", { now: MONDAY_NOON, ...lease }),
      ]);
      if (done.kind !== "unavailable" || freed.kind !== "unavailable") throw new Error(`expected unavailable twice, got ${done.kind} and ${freed.kind}`);
      await done.complete({ pageId: "p-10" });
      await freed.release();
      expect(await blobs.releaseHeld()).toBe(2);
      expect((await store.list("claims/")).keys).toHaveLength(2);
      expect(await createClaims(store).claim("view:LANDS-LATE", { now: MONDAY_NOON + 1, ...lease })).toMatchObject({ kind: "done", result: { pageId: "p-10" } });
      expect((await createClaims(store).claim("view:LANDS-LATE-FREED", { now: MONDAY_NOON + 2, ...lease })).kind).toBe("won");
    } finally {
      await blobs.close();
    }
  });
});
