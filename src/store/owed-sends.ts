/**
 * Sends owed: what a chat platform refused for now (a 429 whose Retry-After outlasts the invocation,
 * or a 5xx to a Slack Home tab's publish; a message answered 5xx may have landed, and is never owed)
 * is kept here, one entry per thing owed, `owed/<kind>:<id>`, until one delivery lands. Each names
 * the platform it goes to (a status message: its task record's requester's). Ids
 * and times only: what is posted is rebuilt from Notion and the task's record when it is delivered,
 * so a late message says where the task is then, and nothing a person typed is kept.
 *
 * Once: a deliverer takes an entry by writing its lease over the etag it read (`onlyIfMatch`); of
 * two instances, one write lands. After its attempt it deletes the entry only if it is still the one
 * it took: a send owed again meanwhile (Slack refused once more, or a newer change of the same task)
 * is a new write, with a new etag, and stays for the next delivery.
 *
 * A message cannot be taken back, and the store can fail between the post and the delete (or stay
 * down for the rest of the run). So before a post the deliverer marks the entry `posting`, over its
 * lease's etag; a deliverer whose mark does not land does not post. A marked entry whose lease has
 * ended is never delivered again, whether its post landed or its deliverer stopped mid-way (the
 * noise budget is one message per change, as after a timeout): the next taker deletes it. A Home tab
 * needs no mark: publishing it twice shows the same tab.
 */
import { PLATFORMS, type Platform } from "../chat/model.js";
import { dashedNotionId } from "../notion/ids.js";
import type { StatusGroup } from "../tasks/status.js";
import type { Entry, Store } from "./store.js";

export const OWED_PREFIX = "owed/";
/** An owed send older than this is dropped: news of a task a day late is no news, and Slack's limits last minutes. */
export const OWED_MAX_AGE_MS = 24 * 3_600_000;

export type OwedSend =
  /**
   * The requester was not told their task moved to `group` (pressed by `by`, when from a button:
   * the presser's platform, id and, when the press gave it, the name it showed them, which names
   * them to a requester on another platform). It goes to the platform of the task record's
   * requester. Written before the port as `bySlackUserId`, read as a Slack presser; one written
   * before names were kept has none (takeOwedSends).
   */
  | { kind: "status"; pageId: string; group: StatusGroup; by?: { platform: Platform; userId: string; displayName?: string | undefined } | undefined }
  /** A new task was not announced in `channel` of `platform` (absent: Slack, written before the port). */
  | { kind: "announcement"; pageId: string; requester: string; channel: string; platform?: Platform | undefined }
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
  /** Its deliverer was about to post it (TakenSend.posting): it may have landed, so it is never posted again. */
  posting?: true | undefined;
}

/** `owed/status:<page>`, `owed/announcement:<page>` or `owed/home:<user>`: one entry per task or person, the latest kept. */
export function owedKey(send: OwedSend): string {
  const id = send.kind === "home" ? encodeURIComponent(send.userId) : (dashedNotionId(send.pageId) ?? send.pageId);
  return `${OWED_PREFIX}${send.kind}:${id}`;
}

/**
 * Keeps `send` owed until `notBefore` at the earliest, replacing what was owed under its key (a
 * task's newer status replaces the older one). The same send owed again (Slack refused its delivery
 * once more) keeps when it was first owed, so it still expires a day after that; a different one (a
 * newer status, another presser) counts from now, as does one owed after a post that may have landed.
 * Rejects with StoreError.
 */
export async function oweSend(store: Store, send: OwedSend, times: { now: number; notBefore: number }): Promise<void> {
  const key = owedKey(send);
  await store.exclusive(key, async () => {
    const existing = await store.read<OwedRecord>(key).catch(() => undefined);
    const earlier = existing && isOwedRecord(existing.value) ? { ...existing.value, send: currentSend(existing.value.send) } : undefined;
    // A posting entry whose lease is over was posted, or may have been: this is news of a later change.
    const same = earlier !== undefined && sameSend(earlier.send, send) && !(earlier.posting && (earlier.leaseUntil ?? 0) <= times.now);
    const since = same ? Math.min(earlier.since, times.now) : times.now;
    await store.write<OwedRecord>(key, { v: 1, send, since, notBefore: times.notBefore });
  });
}

/** An owed send this deliverer holds: deliver it (`posting` first, for a message), then `settle`. */
export interface TakenSend {
  key: string;
  record: OwedRecord;
  /**
   * Marks the entry as being posted, over the lease's etag: from then on no deliverer takes it again,
   * even if `settle` never lands. Resolves false when it was owed again since it was taken (the newer
   * send stays, for the next delivery, and this one is not posted). Rejects with StoreError: do not post.
   */
  posting(): Promise<boolean>;
  /**
   * Deletes the entry unless it was owed again since it was taken (then the new one stays); tries the
   * delete twice, since a failed settle of a posted entry leaves it until its lease ends. Rejects with StoreError.
   */
  settle(): Promise<void>;
}

export interface TakeResult {
  taken: TakenSend[];
  /** Entries older than OWED_MAX_AGE_MS, deleted without a delivery. */
  expired: OwedRecord[];
  /** Entries marked posting whose lease ended unsettled: deleted (or left for the next taker), never posted again. */
  unsettled: OwedRecord[];
  /** Entries not yet due (Retry-After not passed) or held by another deliverer. */
  waiting: number;
}

/**
 * Takes up to `max` owed sends that are due, each for `leaseMs`; drops the expired. Rejects with
 * StoreError when the list cannot be read; an entry that cannot be read or taken is left for later.
 */
export async function takeOwedSends(store: Store, options: { now: number; leaseMs: number; max: number }): Promise<TakeResult> {
  const { keys } = await store.list(OWED_PREFIX);
  const result: TakeResult = { taken: [], expired: [], unsettled: [], waiting: 0 };
  for (const key of keys) {
    if (result.taken.length >= options.max) {
      result.waiting += 1;
      continue;
    }
    const taken = await store.exclusive(key, () => takeOne(store, key, options));
    if (taken === "waiting") result.waiting += 1;
    else if (taken === undefined) continue;
    else if ("settle" in taken) result.taken.push(taken);
    else if (taken.unsettled) result.unsettled.push(taken.record);
    else result.expired.push(taken.record);
  }
  return result;
}

/** One entry: taken, expired or unsettled (deleted), waiting, or undefined (unreadable, or another deliverer's write landed first). */
async function takeOne(
  store: Store,
  key: string,
  options: { now: number; leaseMs: number },
): Promise<TakenSend | { record: OwedRecord; unsettled: boolean } | "waiting" | undefined> {
  const entry = await store.read<OwedRecord>(key).catch(() => undefined);
  if (!entry || !isOwedRecord(entry.value)) return undefined;
  const record = { ...entry.value, send: currentSend(entry.value.send) };
  const expired = options.now - record.since > OWED_MAX_AGE_MS;
  const unsettled = record.posting === true && (record.leaseUntil ?? 0) <= options.now;
  if (expired || unsettled) {
    // Unconditional (Blobs deletes take no etag): a send owed between the read and the delete is lost, a window of one round trip.
    await store.delete(key).catch(() => undefined);
    // Unsettled first: a post that may have landed is not "dropped" news, whatever its age.
    return { record, unsettled };
  }
  if (record.notBefore > options.now || (record.leaseUntil ?? 0) > options.now) return "waiting";
  const held: OwedRecord = { ...record, leaseUntil: options.now + options.leaseMs };
  const leased = await store.write(key, held, { onlyIfMatch: entry.etag }).catch(() => undefined);
  if (leased === undefined) return undefined;
  // The etag the entry has while this deliverer holds it: the lease's, then the posting mark's.
  let etag = leased;
  return {
    key,
    record,
    posting: () =>
      store.exclusive(key, async () => {
        const ours = etag === "" ? await store.read<OwedRecord>(key) : undefined;
        // No etag from the write (netlify dev's local server): read it, and check the lease is still this one.
        const over = etag !== "" ? etag : ours && ours.value.leaseUntil === held.leaseUntil ? ours.etag : undefined;
        if (over === undefined) return false;
        const marked = await store.write<OwedRecord>(key, { ...held, posting: true }, { onlyIfMatch: over });
        if (marked === undefined) return false;
        etag = marked;
        return true;
      }),
    settle: () =>
      store.exclusive(key, async () => {
        try {
          await deleteIfStill(store, key, etag);
        } catch {
          await deleteIfStill(store, key, etag);
        }
      }),
  };
}

async function deleteIfStill(store: Store, key: string, etag: string): Promise<void> {
  const current: Entry<OwedRecord> | undefined = await store.read<OwedRecord>(key);
  // Between this read and the delete, a new write could slip in: a window of one store round trip.
  if (current && (etag === "" || current.etag === etag)) await store.delete(key);
}

/** The same news: a status of the same group pressed by the same person, the same announcement, a Home tab. */
function sameSend(a: OwedSend, b: OwedSend): boolean {
  if (owedKey(a) !== owedKey(b)) return false;
  if (a.kind === "status" && b.kind === "status") return a.group === b.group && a.by?.platform === b.by?.platform && a.by?.userId === b.by?.userId;
  if (a.kind === "announcement" && b.kind === "announcement") return a.requester === b.requester && a.channel === b.channel && (a.platform ?? "slack") === (b.platform ?? "slack");
  return true;
}

/** A send as written now: a status owed before the port names its presser `bySlackUserId`, a Slack user. */
function currentSend(send: OwedSend): OwedSend {
  if (send.kind !== "status") return send;
  const base = { kind: send.kind, pageId: send.pageId, group: send.group };
  const legacy: unknown = (send as { bySlackUserId?: unknown }).bySlackUserId;
  if (typeof legacy === "string") return { ...base, by: { platform: "slack", userId: legacy } };
  const by: unknown = send.by;
  if (typeof by !== "object" || by === null) return base;
  const { platform, userId, displayName } = by as Record<string, unknown>;
  if (!(PLATFORMS as readonly unknown[]).includes(platform) || typeof userId !== "string") return base;
  return { ...base, by: { platform: platform as Platform, userId, ...(typeof displayName === "string" && displayName !== "" ? { displayName } : {}) } };
}

function isOwedRecord(value: unknown): value is OwedRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as OwedRecord;
  return record.v === 1 && typeof record.send === "object" && record.send !== null && typeof record.since === "number" && typeof record.notBefore === "number";
}
