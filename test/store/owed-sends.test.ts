import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../dev/blobs-server.js";
import { HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import { owedKey, oweSend, OWED_MAX_AGE_MS, takeOwedSends, type OwedSend } from "../../src/store/owed-sends.js";
import { createBlobsStore, type Store } from "../../src/store/store.js";

let blobs: BlobsEmulator;
let site = 0;

beforeAll(async () => {
  blobs = await startBlobsEmulator();
});
afterAll(() => blobs.close());

/** Two instances' stores on one fresh site: what one writes, the other reads. */
function twoInstances(): [Store, Store] {
  site += 1;
  const connection = { ...blobs.connection, siteID: `owed-${site}` };
  // Seconds per call: the calls are answered, and a busy machine must not turn one into a timeout.
  return [createBlobsStore({ connection, timeoutMs: HEALTHY_TIMEOUT_MS }), createBlobsStore({ connection, timeoutMs: HEALTHY_TIMEOUT_MS })];
}

const NOW = Date.parse("2026-12-07T10:00:00Z");
const PAGE = "1f3c9a7e-0000-4000-8000-000000000001";
const status: OwedSend = { kind: "status", pageId: PAGE.replaceAll("-", ""), group: "complete" };
const take = (store: Store, now: number) => takeOwedSends(store, { now, leaseMs: 60_000, max: 20 });

describe("owed sends", () => {
  it("are keyed by kind and dashed page id, or by user", () => {
    expect(owedKey(status)).toBe(`owed/status:${PAGE}`);
    expect(owedKey({ kind: "home", userId: "U0ALICE" })).toBe("owed/home:U0ALICE");
  });

  it("wait until Slack's Retry-After has passed, then go to one instance only, until its lease ends", async () => {
    const [a, b] = twoInstances();
    await oweSend(a, status, { now: NOW, notBefore: NOW + 90_000 });
    expect((await take(b, NOW + 60_000)).taken).toHaveLength(0);
    const first = await take(a, NOW + 90_000);
    expect(first.taken.map((held) => held.record.send)).toEqual([status]);
    expect(await take(b, NOW + 100_000)).toMatchObject({ taken: [], waiting: 1 });
    // A deliverer that stopped without settling: another takes it over once the lease has ended.
    expect((await take(b, NOW + 90_000 + 60_001)).taken).toHaveLength(1);
  });

  it("are deleted once delivered, but one owed again meanwhile stays, keeping when it was first owed", async () => {
    const [a] = twoInstances();
    await oweSend(a, status, { now: NOW, notBefore: NOW });
    const [held] = (await take(a, NOW + 1_000)).taken;
    await oweSend(a, status, { now: NOW + 2_000, notBefore: NOW + 30_000 });
    await held!.settle();
    const again = await take(a, NOW + 30_000);
    expect(again.taken.map((next) => next.record.since)).toEqual([NOW]);
    await again.taken[0]!.settle();
    expect((await a.list("owed/")).keys).toEqual([]);
  });

  it("are never taken again once marked posting, even when the settle after the post never lands", async () => {
    const [a, b] = twoInstances();
    await oweSend(a, status, { now: NOW, notBefore: NOW });
    const [held] = (await take(a, NOW)).taken;
    expect(await held!.posting()).toBe(true);
    // The store is down from here to the end of the deliverer's run: its settle is lost.
    blobs.fail({ kind: "status", status: 503 }, { method: "DELETE", times: Infinity });
    await expect(held!.settle()).rejects.toThrow();
    blobs.clearFaults();
    expect(await take(b, NOW + 30_000)).toMatchObject({ taken: [], waiting: 1 });
    const after = await take(b, NOW + 60_001);
    expect(after).toMatchObject({ taken: [], waiting: 0 });
    expect(after.unsettled.map((record) => record.send)).toEqual([status]);
    expect((await a.list("owed/")).keys).toEqual([]);
  });

  it("are taken again when the posting mark could not be written: nothing was posted", async () => {
    const [a] = twoInstances();
    await oweSend(a, status, { now: NOW, notBefore: NOW });
    const [held] = (await take(a, NOW)).taken;
    blobs.fail({ kind: "status", status: 503 }, { method: "PUT" });
    await expect(held!.posting()).rejects.toThrow();
    expect((await take(a, NOW + 60_001)).taken.map((next) => next.record.send)).toEqual([status]);
  });

  it("are not posted when a newer send was owed since they were taken, and the newer one is delivered next", async () => {
    const [a] = twoInstances();
    const started: OwedSend = { ...status, group: "in_progress" };
    await oweSend(a, started, { now: NOW, notBefore: NOW });
    const [held] = (await take(a, NOW)).taken;
    await oweSend(a, status, { now: NOW + 1_000, notBefore: NOW + 1_000 });
    expect(await held!.posting()).toBe(false);
    expect((await take(a, NOW + 2_000)).taken.map((next) => next.record.send)).toEqual([status]);
  });

  it("keep the newer send when it is owed while the older one is being posted", async () => {
    const [a] = twoInstances();
    const started: OwedSend = { ...status, group: "in_progress" };
    await oweSend(a, started, { now: NOW, notBefore: NOW });
    const [held] = (await take(a, NOW)).taken;
    expect(await held!.posting()).toBe(true);
    await oweSend(a, status, { now: NOW + 1_000, notBefore: NOW + 1_000 });
    await held!.settle();
    const next = await take(a, NOW + 2_000);
    expect(next.taken.map((taken) => [taken.record.send, taken.record.since])).toEqual([[status, NOW + 1_000]]);
    expect(next.unsettled).toEqual([]);
  });

  it("count a day from when a different send was owed, not from an older one under the same key", async () => {
    const [a] = twoInstances();
    await oweSend(a, { ...status, group: "in_progress" }, { now: NOW, notBefore: NOW + 3_600_000 });
    const later = NOW + 23 * 3_600_000;
    await oweSend(a, status, { now: later, notBefore: later });
    const due = await take(a, NOW + OWED_MAX_AGE_MS + 60_000);
    expect(due.expired).toEqual([]);
    expect(due.taken.map((taken) => [taken.record.send, taken.record.since])).toEqual([[status, later]]);
  });

  it("are dropped a day after they were first owed", async () => {
    const [a] = twoInstances();
    await oweSend(a, status, { now: NOW, notBefore: NOW });
    const late = await take(a, NOW + OWED_MAX_AGE_MS + 1);
    expect(late.taken).toEqual([]);
    expect(late.expired.map((record) => record.send)).toEqual([status]);
    expect((await a.list("owed/")).keys).toEqual([]);
  });

  it("name the platform of who pressed the button, and read a status owed before the port as a Slack presser's", async () => {
    const [a, b] = twoInstances();
    const pressed: OwedSend = { ...status, by: { platform: "discord", userId: "1400000000000000002" } };
    await oweSend(a, pressed, { now: NOW, notBefore: NOW });
    expect((await take(b, NOW)).taken.map((next) => next.record.send)).toEqual([pressed]);
    const [c] = twoInstances();
    await c.write(owedKey(status), { v: 1, send: { ...status, bySlackUserId: "U0BOB" }, since: NOW, notBefore: NOW });
    expect((await take(c, NOW)).taken.map((next) => next.record.send)).toEqual([{ ...status, by: { platform: "slack", userId: "U0BOB" } }]);
  });

  it("keep the name the presser's platform gave, and read one owed before names were kept as before, without one", async () => {
    const [a, b] = twoInstances();
    const named: OwedSend = { ...status, by: { platform: "slack", userId: "U0ALICE", displayName: "alice" } };
    await oweSend(a, named, { now: NOW, notBefore: NOW });
    expect((await take(b, NOW)).taken.map((next) => next.record.send)).toEqual([named]);
    const [c] = twoInstances();
    await c.write(owedKey(status), { v: 1, send: { ...status, by: { platform: "slack", userId: "U0ALICE" } }, since: NOW, notBefore: NOW });
    expect((await take(c, NOW)).taken.map((next) => next.record.send)).toEqual([{ ...status, by: { platform: "slack", userId: "U0ALICE" } }]);
    const [d] = twoInstances();
    await d.write(owedKey(status), { v: 1, send: { ...status, by: { platform: "slack", userId: "U0ALICE", displayName: 42 } }, since: NOW, notBefore: NOW });
    expect((await take(d, NOW)).taken.map((next) => next.record.send)).toEqual([{ ...status, by: { platform: "slack", userId: "U0ALICE" } }]);
  });

  it("owed again by the same presser now with a name are the same news: they keep when they were first owed", async () => {
    const [a] = twoInstances();
    await a.write(owedKey(status), { v: 1, send: { ...status, by: { platform: "slack", userId: "U0ALICE" } }, since: NOW, notBefore: NOW + 60_000 });
    await oweSend(a, { ...status, by: { platform: "slack", userId: "U0ALICE", displayName: "alice" } }, { now: NOW + 1_000, notBefore: NOW + 60_000 });
    expect((await take(a, NOW + 60_000)).taken.map((next) => next.record.since)).toEqual([NOW]);
  });

  it("owed again by the same presser under their old name keep when they were first owed", async () => {
    const [a] = twoInstances();
    await a.write(owedKey(status), { v: 1, send: { ...status, bySlackUserId: "U0BOB" }, since: NOW, notBefore: NOW + 60_000 });
    await oweSend(a, { ...status, by: { platform: "slack", userId: "U0BOB" } }, { now: NOW + 1_000, notBefore: NOW + 60_000 });
    expect((await take(a, NOW + 60_000)).taken.map((next) => next.record.since)).toEqual([NOW]);
  });
});
