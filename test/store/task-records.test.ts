/**
 * Task records, both versions: v1 (Slack's, before the chat port) and v2 (any platform), read into
 * the same normalized record, moved in the version they were read in, against the real Blobs server.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../dev/blobs-server.js";
import { HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import {
  advanceTaskRecord,
  createTaskRecord,
  isRequester,
  moveTaskRecord,
  normalizeTaskRecord,
  readTaskRecord,
  recordTaskOrigin,
  REQUESTER_NAME_MAX,
  taskRecordKey,
  type TaskOrigin,
} from "../../src/store/task-records.js";
import { createBlobsStore, type Store } from "../../src/store/store.js";

let blobs: BlobsEmulator;
let site = 0;

beforeAll(async () => {
  blobs = await startBlobsEmulator();
});
afterAll(() => blobs.close());

function freshStore(): Store {
  site += 1;
  return createBlobsStore({ connection: { ...blobs.connection, siteID: `records-${site}` }, timeoutMs: HEALTHY_TIMEOUT_MS });
}

const PAGE = "1f3c9a7e-0000-4000-8000-000000000001";
const NOW = Date.parse("2026-12-07T10:00:00Z");
const raw = async (store: Store) => (await store.read<unknown>(taskRecordKey(PAGE)))?.value;

const discordOrigin: TaskOrigin = {
  requester: { platform: "discord", workspace: "1200000000000000001", userId: "1400000000000000002" },
  place: { platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001", message: "1500000000000000001" },
  asked: { platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001" },
  group: "to_do",
  createdAt: NOW,
};

describe("a v1 record (Slack's, written before the port)", () => {
  it("reads as a Slack requester with the thread as the place to tell, the workspace unknown", async () => {
    const store = freshStore();
    await createTaskRecord(store, PAGE, { v: 1, requester: "U0ALICE", channel: "C0GENERAL", threadTs: "1700000000.000100", group: "to_do", createdAt: NOW });
    expect((await readTaskRecord(store, PAGE))?.value).toEqual({
      requester: { platform: "slack", workspace: "", userId: "U0ALICE" },
      place: { platform: "slack", workspace: "", conversation: "C0GENERAL", thread: "1700000000.000100" },
      group: "to_do",
      createdAt: NOW,
      stored: 1,
    });
  });

  it("has no place without a thread (a /task task: told by direct message)", () => {
    expect(normalizeTaskRecord({ v: 1, requester: "U0ALICE", group: "to_do", createdAt: NOW })).toEqual({
      requester: { platform: "slack", workspace: "", userId: "U0ALICE" },
      group: "to_do",
      createdAt: NOW,
      stored: 1,
    });
  });

  it("is moved as v1, so the code that wrote it still reads it", async () => {
    const store = freshStore();
    await createTaskRecord(store, PAGE, { v: 1, requester: "U0ALICE", channel: "C0GENERAL", threadTs: "1700000000.000100", group: "to_do", createdAt: NOW });
    expect(await advanceTaskRecord(store, PAGE, "complete", NOW + 1)).toBeDefined();
    expect(await raw(store)).toEqual({ v: 1, requester: "U0ALICE", channel: "C0GENERAL", threadTs: "1700000000.000100", group: "complete", createdAt: NOW, movedAt: NOW + 1 });
  });
});

describe("a v2 record", () => {
  it("is what recordTaskOrigin writes: the requester as a person, places in their text form", async () => {
    const store = freshStore();
    expect(await recordTaskOrigin(store, PAGE, discordOrigin)).toBe(true);
    expect(await raw(store)).toEqual({
      v: 2,
      requester: discordOrigin.requester,
      place: "discord:1200000000000000001:1300000000000000001::1500000000000000001",
      asked: "discord:1200000000000000001:1300000000000000001",
      group: "to_do",
      createdAt: NOW,
    });
    expect((await readTaskRecord(store, PAGE))?.value).toEqual({ ...discordOrigin, stored: 2 });
  });

  it("keeps the requester's name as their platform gave it (Teams mentions by name), cut to its bound; a record without one reads as before", async () => {
    const store = freshStore();
    const teams = { ...discordOrigin, requester: { platform: "teams" as const, workspace: "tenant", userId: "29:1alice", displayName: `  Alice ${"x".repeat(REQUESTER_NAME_MAX)}` } };
    await recordTaskOrigin(store, PAGE, teams);
    const kept = (await readTaskRecord(store, PAGE))?.value.requester;
    expect(kept?.displayName).toBe(`Alice ${"x".repeat(REQUESTER_NAME_MAX)}`.slice(0, REQUESTER_NAME_MAX));
    expect(normalizeTaskRecord({ v: 2, requester: { platform: "teams", workspace: "tenant", userId: "29:1alice" }, group: "to_do", createdAt: NOW })?.requester).toEqual({ platform: "teams", workspace: "tenant", userId: "29:1alice" });
    expect(normalizeTaskRecord({ v: 2, requester: { platform: "teams", workspace: "tenant", userId: "29:1alice", displayName: 42 }, group: "to_do", createdAt: NOW })?.requester).toEqual({ platform: "teams", workspace: "tenant", userId: "29:1alice" });
  });

  it("keeps the first origin when a resubmission records again", async () => {
    const store = freshStore();
    await recordTaskOrigin(store, PAGE, discordOrigin);
    expect(await recordTaskOrigin(store, PAGE, { ...discordOrigin, place: undefined })).toBe(false);
    expect((await readTaskRecord(store, PAGE))?.value.place).toEqual(discordOrigin.place);
  });

  it("is moved as v2, once of two moves from the same reading", async () => {
    const store = freshStore();
    await recordTaskOrigin(store, PAGE, discordOrigin);
    const entry = (await readTaskRecord(store, PAGE))!;
    expect(await moveTaskRecord(store, PAGE, entry, "in_progress", NOW + 1)).toBe(true);
    expect(await moveTaskRecord(store, PAGE, entry, "complete", NOW + 2)).toBe(false);
    expect(await raw(store)).toMatchObject({ v: 2, requester: discordOrigin.requester, place: "discord:1200000000000000001:1300000000000000001::1500000000000000001", group: "in_progress", movedAt: NOW + 1 });
  });

  it("leaves out a place no platform produces rather than fail the save", async () => {
    const store = freshStore();
    await recordTaskOrigin(store, PAGE, { ...discordOrigin, place: { ...discordOrigin.place!, conversation: "has space" } });
    expect(await raw(store)).not.toHaveProperty("place");
    expect((await readTaskRecord(store, PAGE))?.value.asked).toEqual(discordOrigin.asked);
  });
});

describe("corrupt records", () => {
  it("ignore a place that does not decode, and a group that is not one, and still name the requester", () => {
    const record = normalizeTaskRecord({ v: 2, requester: discordOrigin.requester, place: "discord:1:2:%zz", asked: 7, group: "doing", createdAt: NOW });
    expect(record).toEqual({ requester: discordOrigin.requester, group: undefined, createdAt: NOW, stored: 2 });
    expect(normalizeTaskRecord({ v: 1, requester: "U0ALICE", channel: "C0 GENERAL", threadTs: "1.2", createdAt: NOW })?.place).toBeUndefined();
  });

  it("are no record when nobody can be told: no requester, an unknown platform, an unknown version", () => {
    for (const value of [
      null,
      "tasks",
      { v: 1, requester: "" },
      { v: 1, requester: { userId: "U0ALICE" } },
      { v: 2, requester: "U0ALICE" },
      { v: 2, requester: { platform: "irc", workspace: "", userId: "alice" } },
      { v: 2, requester: { platform: "slack", workspace: "T1" } },
      { v: 3, requester: "U0ALICE" },
    ]) {
      expect(normalizeTaskRecord(value)).toBeUndefined();
    }
  });

  it("never throw, whatever the store holds", () => {
    const record = fc.record(
      { v: fc.constantFrom(1, 2, 3, "2"), requester: fc.oneof(fc.string(), fc.record({ platform: fc.constantFrom("slack", "discord", "x"), workspace: fc.string(), userId: fc.string() }), fc.anything()), place: fc.oneof(fc.string(), fc.anything()), asked: fc.anything(), channel: fc.anything(), threadTs: fc.anything(), group: fc.anything(), createdAt: fc.anything() },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(record, fc.anything()), (value) => void normalizeTaskRecord(value)));
  });
});

describe("isRequester", () => {
  it("matches the platform and the user, whatever workspace a v1 record did not keep", () => {
    const v1 = normalizeTaskRecord({ v: 1, requester: "U0ALICE", createdAt: NOW })!;
    expect(isRequester(v1, { platform: "slack", userId: "U0ALICE" })).toBe(true);
    expect(isRequester(v1, { platform: "discord", userId: "U0ALICE" })).toBe(false);
    expect(isRequester(v1, { platform: "slack", userId: "U0BOB" })).toBe(false);
  });
});
