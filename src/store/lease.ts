/**
 * A lease in the store: the right for one instance at a time to do some work (read the board from
 * Notion, say), held until `until` and then free for anyone. Taken with a conditional write over the
 * entry read, so of two instances taking it at once one wins.
 */
import { randomUUID } from "node:crypto";
import { describeError, type Logger } from "../log.js";
import type { Store } from "./store.js";

/** What a lease entry holds: who took it, and until when (ms since the epoch). */
export interface Lease {
  owner: string;
  until: number;
}

/** A lease this instance holds: `release(until)` frees it, or keeps it until `until` (a Retry-After, say). */
export interface HeldLease {
  release(until?: number): Promise<void>;
}

/**
 * Takes the lease at `key` for `leaseMs` when it is free or has ended; undefined when another holds
 * it or wrote it first. Rejects with StoreError when the store cannot be read or written. A release
 * that fails is logged (`lease_not_released`, under `event`) and the lease ends on its own.
 */
export async function takeLease(store: Store, key: string, options: { now: number; leaseMs: number; log: Logger; event: string }): Promise<HeldLease | undefined> {
  const current = await store.read<Lease>(key);
  if (current && current.value.until > options.now) return undefined;
  const mine: Lease = { owner: randomUUID(), until: options.now + options.leaseMs };
  const etag = await store.write(key, mine, current ? { onlyIfMatch: current.etag } : { onlyIfNew: true });
  if (etag === undefined) return undefined;
  return {
    async release(until = 0) {
      await store.write(key, { ...mine, until }, { onlyIfMatch: etag }).catch((error: unknown) => options.log.info(options.event, describeError(error)));
    },
  };
}
