import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createBlobsStore, type Store } from "../../src/store/store.js";
import { startBlobsEmulator, type BlobsEmulator } from "../../dev/blobs-server.js";

let blobs: BlobsEmulator;
let store: Store;

beforeEach(async () => {
  blobs = await startBlobsEmulator();
  store = createBlobsStore({ connection: blobs.connection, timeoutMs: 200 });
});
afterEach(async () => blobs.close());

describe("one attempt per store call", () => {
  // @netlify/blobs retries a failed request five times, 5 s apart outside tests (1 ms here): every
  // call would then take half a minute against a failing store, whatever its timeout or deadline.
  it("asks a store answering 503 once, and fails as unavailable", async () => {
    blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    await expect(store.write("claims/x", { a: 1 }, { onlyIfNew: true })).rejects.toMatchObject({ name: "StoreError", code: "unavailable" });
    expect(blobs.requests).toHaveLength(1);
  });

  it("never takes a failed conditional write for a written one", async () => {
    blobs.fail({ kind: "status", status: 500 });
    await expect(store.write("claims/y", { a: 1 }, { onlyIfNew: true })).rejects.toMatchObject({ code: "unavailable" });
    // The store is back: the key was never written, so the same write now wins.
    await expect(store.write("claims/y", { a: 1 }, { onlyIfNew: true })).resolves.toEqual(expect.any(String));
  });

  it("aborts a request the store never answers at the timeout, once, and closes its connection", async () => {
    blobs.fail({ kind: "hang" }, { times: Infinity });
    await expect(store.read("claims/z")).rejects.toMatchObject({ code: "timeout" });
    expect(blobs.requests).toHaveLength(1);
    await vi.waitFor(() => expect(blobs.hungConnections()).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it("gives up at once, without a request, when the deadline has passed", async () => {
    await expect(store.read("claims/z", { deadline: { remainingMs: () => 0 } })).rejects.toMatchObject({ code: "timeout" });
    expect(blobs.requests).toHaveLength(0);
  });

  it("takes a deadline with a fraction of a millisecond left (AbortSignal.timeout wants whole ones)", async () => {
    await expect(store.write("claims/w", { a: 1 }, {}, { deadline: { remainingMs: () => 150.7 } })).resolves.toEqual(expect.any(String));
    expect(blobs.requests).toHaveLength(1);
  });

  it("reads, writes and deletes as before when the store answers", async () => {
    expect(await store.write("claims/v", { a: 1 }, { onlyIfNew: true })).toEqual(expect.any(String));
    expect(await store.write("claims/v", { a: 2 }, { onlyIfNew: true })).toBeUndefined();
    expect((await store.read("claims/v"))?.value).toEqual({ a: 1 });
    await store.delete("claims/v");
    expect(await store.read("claims/v")).toBeUndefined();
  });
});
