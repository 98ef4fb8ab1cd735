/**
 * Slack sends owed: what Slack refused for now (a 429 whose Retry-After outlasts the invocation, or
 * a 5xx) is kept here, one entry per thing owed, `owed/<kind>:<id>`, until one delivery lands. Ids
 * and times only: what is posted is rebuilt from Notion and the task's record when it is delivered,
 * so a late message says where the task is then, and nothing a person typed is kept.
 *
 * Once: a deliverer takes an entry by writing its lease over the etag it read (`onlyIfMatch`); of
 * two instances, one write lands. After its attempt it deletes the entry only if it is still the one
 * it took: a send owed again meanwhile (Slack refused once more, or a newer change of the same task)
 * is a new write, with a new etag, and stays for the next delivery.
 */
import { dashedNotionId } from "../notion/ids.js";
import type { StatusGroup } from "../tasks/status.js";
import type { Entry, Store } from "./store.js";

export const OWED_PREFIX = "owed/";
/** An owed send older than this is dropped: news of a task a day late is no news, and Slack's limits last minutes. */
export const OWED_MAX_AGE_MS = 24 * 3_600_000;

export type OwedSend =
  /** The requester was not told their task moved to `group` (pressed by `bySlackUserId`, when from Slack). */
  | { kind: "status"; pageId: string; group: StatusGroup; bySlackUserId?: string | undefined }
  /** A new task was not announced in `channel`. */
  | { kind: "announcement"; pageId: string; requester: string; channel: string }
  /** A person's Home tab was not published. */
  | { kind: "home"; userId: string };

export interface OwedRecord {
  v: 1;
  send: OwedSend;
  /** When it was first owed, ms since the epoch. */
  since: number;
  /** Not before: when Slack said it may be asked again (its Retry-After), ms since the epoch. */
  notBefore: number;
  /** Taken by a deliverer until then; another may take it after (its instance stopped). */
  leaseUntil?: number | undefined;
}

/** `owed/status:<page>`, `owed/announcement:<page>` or `owed/home:<user>`: one entry per task or person, the latest kept. */
export function owedKey(send: OwedSend): string {
  const id = send.kind === "home" ? encodeURIComponent(send.userId) : (dashedNotionId(send.pageId) ?? send.pageId);
  return `${OWED_PREFIX}${send.kind}:${id}`;
}

/**
 * Keeps `send` owed until `notBefore` at the earliest, replacing what was owed under its key (a
 * task's newer status replaces the older one); an entry already owed keeps when it was first owed.
 * Rejects with StoreError.
 */
export async function oweSend(store: Store, send: OwedSend, times: { now: number; notBefore: number }): Promise<void> {
  const key = owedKey(send);
  await store.exclusive(key, async () => {
    const existing = await store.read<OwedRecord>(key).catch(() => undefined);
    const since = existing && isOwedRecord(existing.value) ? Math.min(existing.value.since, times.now) : times.now;
    await store.write<OwedRecord>(key, { v: 1, send, since, notBefore: times.notBefore });
  });
}

/** An owed send this deliverer holds: deliver it, then `settle`. */
export interface TakenSend {
  key: string;
  record: OwedRecord;
  /** Deletes the entry unless it was owed again since it was taken (then the new one stays). Rejects with StoreError. */
  settle(): Promise<void>;
}

export interface TakeResult {
  taken: TakenSend[];
  /** Entries older than OWED_MAX_AGE_MS, deleted without a delivery. */
  expired: OwedRecord[];
  /** Entries not yet due (Retry-After not passed) or held by another deliverer. */
  waiting: number;
}

/**
 * Takes up to `max` owed sends that are due, each for `leaseMs`; drops the expired. Rejects with
 * StoreError when the list cannot be read; an entry that cannot be read or taken is left for later.
 */
export async function takeOwedSends(store: Store, options: { now: number; leaseMs: number; max: number }): Promise<TakeResult> {
  const { keys } = await store.list(OWED_PREFIX);
  const result: TakeResult = { taken: [], expired: [], waiting: 0 };
  for (const key of keys) {
    if (result.taken.length >= options.max) {
      result.waiting += 1;
      continue;
    }
    const taken = await store.exclusive(key, () => takeOne(store, key, options));
    if (taken === "waiting") result.waiting += 1;
    else if (taken !== undefined && "settle" in taken) result.taken.push(taken);
    else if (taken !== undefined) result.expired.push(taken);
  }
  return result;
}

/** One entry: taken, expired (deleted), waiting, or undefined (unreadable, or another deliverer's write landed first). */
async function takeOne(store: Store, key: string, options: { now: number; leaseMs: number }): Promise<TakenSend | OwedRecord | "waiting" | undefined> {
  const entry = await store.read<OwedRecord>(key).catch(() => undefined);
  if (!entry || !isOwedRecord(entry.value)) return undefined;
  const record = entry.value;
  if (options.now - record.since > OWED_MAX_AGE_MS) {
    await store.delete(key).catch(() => undefined);
    return record;
  }
  if (record.notBefore > options.now || (record.leaseUntil ?? 0) > options.now) return "waiting";
  const held: OwedRecord = { ...record, leaseUntil: options.now + options.leaseMs };
  const etag = await store.write(key, held, { onlyIfMatch: entry.etag }).catch(() => undefined);
  if (etag === undefined) return undefined;
  return { key, record, settle: () => store.exclusive(key, () => deleteIfStill(store, key, etag)) };
}

async function deleteIfStill(store: Store, key: string, etag: string): Promise<void> {
  const current: Entry<OwedRecord> | undefined = await store.read<OwedRecord>(key);
  // Between this read and the delete, a new write could slip in: a window of one store round trip.
  if (current && (etag === "" || current.etag === etag)) await store.delete(key);
}

function isOwedRecord(value: unknown): value is OwedRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as OwedRecord;
  return record.v === 1 && typeof record.send === "object" && record.send !== null && typeof record.since === "number" && typeof record.notBefore === "number";
}
