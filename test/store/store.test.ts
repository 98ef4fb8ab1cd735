import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../dev/blobs-server.js";
import { HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import { createBlobsStore, StoreError } from "../../src/store/store.js";

let blobs: BlobsEmulator;
beforeAll(async () => {
  blobs = await startBlobsEmulator();
});
afterAll(() => blobs.close());

/** A store whose answered calls get seconds: at the store's own 800 ms a busy machine turns an answer into a timeout. */
const healthyStore = () => createBlobsStore({ connection: blobs.connection, timeoutMs: HEALTHY_TIMEOUT_MS });

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(error)}`);
  return error;
}

describe("the Blobs store port", () => {
  it("writes only if new, and only over the etag it read", async () => {
    const store = healthyStore();
    const first = await store.write("records/one", { n: 1 }, { onlyIfNew: true });
    expect(first).toEqual(expect.any(String));
    expect(await store.write("records/one", { n: 2 }, { onlyIfNew: true })).toBeUndefined();
    const read = await store.read<{ n: number }>("records/one");
    expect(read?.value).toEqual({ n: 1 });
    expect(await store.write("records/one", { n: 3 }, { onlyIfMatch: '"not-the-etag"' })).toBeUndefined();
    expect(await store.write("records/one", { n: 3 }, { onlyIfMatch: read!.etag })).toEqual(expect.any(String));
    expect((await store.read<{ n: number }>("records/one"))?.value).toEqual({ n: 3 });
  });

  it("reads an entry's etag even from the local Blobs server, which sends none with the entry, so a write over a stale read is refused", async () => {
    const store = healthyStore();
    await store.write("records/etag", { n: 1 });
    const first = await store.read<{ n: number }>("records/etag");
    expect(first?.etag).toMatch(/^".+"$/);
    // Another instance writes in between (a millisecond later: the local server's etag is the file's time).
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await store.read<{ n: number }>("records/etag");
    expect(await store.write("records/etag", { n: 2 }, { onlyIfMatch: second!.etag })).toEqual(expect.any(String));
    expect(await store.write("records/etag", { n: 3 }, { onlyIfMatch: first!.etag })).toBeUndefined();
    expect((await store.read<{ n: number }>("records/etag"))?.value).toEqual({ n: 2 });
  });

  it("refuses a conditional write without an etag rather than writing unconditionally", async () => {
    const store = healthyStore();
    const error = await rejection(store.write("records/no-etag", { n: 1 }, { onlyIfMatch: "" }));
    expect(error.code).toBe("unavailable");
    expect(await store.read("records/no-etag")).toBeUndefined();
  });

  it("fails at once on a 503, without the client's own retries (five, 5 s apart on Netlify)", async () => {
    const store = healthyStore();
    const before = blobs.requests.length;
    blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    const error = await rejection(store.write("records/two", {}, { onlyIfNew: true }));
    blobs.clearFaults();
    expect(error.code).toBe("unavailable");
    // Counted for this key: a request an earlier test gave up on may reach the store only now.
    expect(blobs.requests.slice(before).filter((request) => request.path.endsWith("/records/two"))).toHaveLength(1);
  });

  it("names a refused request (4xx) apart from an unavailable store", async () => {
    const store = healthyStore();
    blobs.fail({ kind: "status", status: 401 }, { times: Infinity });
    const error = await rejection(store.read("records/three"));
    blobs.clearFaults();
    expect(error.code).toBe("refused");
  });

  it("stops at the store's timeout when the store never answers, and closes the connection", async () => {
    const store = createBlobsStore({ connection: blobs.connection, timeoutMs: 50 });
    blobs.fail({ kind: "hang" }, { times: Infinity });
    const error = await rejection(store.read("records/four"));
    blobs.clearFaults();
    expect(error.code).toBe("timeout");
    await expect.poll(() => blobs.hangingConnections()).toBe(0);
  });

  it("stops at a caller's deadline when less is left of it than the store's timeout", async () => {
    const store = createBlobsStore({ connection: blobs.connection, timeoutMs: 60_000 });
    blobs.fail({ kind: "hang" }, { times: Infinity });
    const error = await rejection(store.read("records/five", { deadline: { remainingMs: () => 30 } }));
    blobs.clearFaults();
    expect(error.code).toBe("timeout");
  });

  it("refuses at once when the deadline has passed, sending nothing", async () => {
    const store = healthyStore();
    const before = blobs.requests.length;
    const error = await rejection(store.read("records/six", { deadline: { remainingMs: () => 0 } }));
    expect(error.code).toBe("timeout");
    expect(blobs.requests.length).toBe(before);
  });

  it("never takes a failed conditional write for a written one", async () => {
    const store = healthyStore();
    // For this key only: a read an earlier test gave up on (its deadline, 30 ms) can reach the store
    // late on a busy machine, and took the fault meant for this write, which then landed.
    blobs.fail({ kind: "status", status: 500 }, { key: "records/eight" });
    expect((await rejection(store.write("records/eight", { n: 1 }, { onlyIfNew: true }))).code).toBe("unavailable");
    // The store is back: the key was never written, so the same write now wins.
    await expect(store.write("records/eight", { n: 1 }, { onlyIfNew: true })).resolves.toEqual(expect.any(String));
  });

  it("takes a deadline with a fraction of a millisecond left", async () => {
    // Seconds of it, shorter than the store's own timeout: the deadline's fraction is the one used.
    const store = createBlobsStore({ connection: blobs.connection, timeoutMs: 60_000 });
    await expect(store.write("records/nine", { n: 1 }, {}, { deadline: { remainingMs: () => 5_000.7 } })).resolves.toEqual(expect.any(String));
  });

  it("says so when Blobs is not configured here (no environment, no connection)", async () => {
    const error = await rejection(createBlobsStore().read("records/seven"));
    expect(error.code).toBe("not_configured");
  });
});
