/**
 * The board shared by every instance: one snapshot in the store (board-snapshot.ts), read from
 * Notion at most once a SNAPSHOT_MAX_AGE_MS by one instance at a time, so Notion's load does not
 * grow with the number of people reading (Notion allows an integration about three requests a
 * second, whatever the number of instances). What the Home tab, `/task list`, `/task review`, a
 * mention's lists and the weekly review show comes from it, and a cold instance reads the schema and
 * the people from it too.
 *
 *   - Fresh (under SNAPSHOT_MAX_AGE_MS): used as it is, no Notion request.
 *   - Older: the instance that takes the lease (`board/refresh`, a conditional write) reads Notion and
 *     writes a new one; the others use the last one meanwhile, or, when there is none yet, wait for it.
 *   - Kept fresh between reads by what the bot sees: its own saves and moves, Notion's webhook events
 *     and the hourly sync (`seen`), each a conditional write over the snapshot read.
 *   - A refresh Notion rate-limits keeps the lease until Notion's Retry-After has passed, so no
 *     instance reads again before then: reads yield, people's saves keep their turn.
 *   - A refresh that fails for a reason that passes (a 429, a 5xx, a timeout, no connection) answers
 *     with the last snapshot while it is under STALE_SNAPSHOT_MAX_MS old, and what shows it says its
 *     age (`asOf`); a refusal (a revoked token, a board no longer shared, a changed schema) is thrown,
 *     whatever snapshot there is: an old board shown as today's would hide it.
 *
 * Without the store, every method is the task store's own (Notion), as before there was a snapshot.
 */
import { describeError, type Logger } from "../log.js";
import { takeLease, type HeldLease, type Lease } from "../store/lease.js";
import { StoreError, type Store } from "../store/store.js";
import type { Board } from "./board.js";
import { applySeen, mergeRefresh, personIdFor, tasksOf, type BoardSnapshot, type SnapshotTask } from "./board-snapshot.js";
import { NotionStoreError, type NotionErrorCode } from "./client.js";
import type { PersonRole } from "./task-queries.js";
import { BOARD_TTL_MS } from "./read-board-snapshot.js";
import type { TaskStore } from "./task-store.js";

/** Where the snapshot is kept. */
export const SNAPSHOT_KEY = "board/snapshot";
/** The lease on refreshing it: `{ owner, until }`. */
export const REFRESH_LEASE_KEY = "board/refresh";
/** The whole integration reads the open tasks from Notion at most this often (3 to 6 requests a read). */
export const SNAPSHOT_MAX_AGE_MS = 60_000;
/** A tab or a list built from a snapshot older than this says when Notion showed it. */
export const SNAPSHOT_SAY_AGE_MS = 2 * 60_000;
/**
 * The oldest snapshot answered with when Notion cannot be read for a reason that passes (or the store
 * cannot be reached): a day's outage shown with its age beats no list, an older board misleads. The
 * weekly review allows much less (REVIEW_SNAPSHOT_MAX_AGE_MS).
 */
export const STALE_SNAPSHOT_MAX_MS = 24 * 3_600_000;
/** Failures that pass by themselves: what Notion answers meanwhile is the last snapshot, with its age. */
const PASSING = new Set<NotionErrorCode>(["rate_limited", "unavailable", "timeout", "network_error"]);
/** A refresh may hold the lease this long: longer than its Notion reads take, paced. */
const LEASE_MS = 20_000;
/**
 * With no snapshot yet, the others wait this long for the one refreshing it (its lease), looking
 * every POLL_MS: a cold read of the schema, three query pages and the people, paced, and a 429's wait.
 */
const WAIT_FOR_REFRESH_MS = 15_000;
const POLL_MS = 250;
/** With no snapshot to fall back on, a refresh Notion rate-limits tries again, honouring Retry-After, within this. */
const FIRST_READ_BUDGET_MS = 8_000;
/** Notion's queries may lag its writes by a few seconds: a task seen this long before a refresh began is kept if the refresh missed it. */
const QUERY_LAG_MS = 10_000;
/** Conditional writes tried before giving up on a change (another instance wrote each time in between). */
const WRITE_ATTEMPTS = 4;

export interface SharedBoard extends TaskStore {
  /** Takes in tasks seen, as Notion showed them (`seen`), and ids seen gone; never rejects. */
  noteSeen(tasks: readonly SnapshotTask[], gone?: readonly string[]): Promise<void>;
}

export interface SharedBoardOptions {
  /** The board in Notion: what refreshes read, what writes go to, and what is used when the store fails. */
  notion: TaskStore;
  store: Store;
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Builds the shared board over the Notion task store. Nothing is read until a method is called. */
export function createSharedBoard(options: SharedBoardOptions): SharedBoard {
  const { notion, store, log, now, sleep } = options;
  /** The last snapshot this instance read or wrote: the schema for a save, and peekBoard. */
  let local: { snapshot: BoardSnapshot } | undefined;
  let loading: { promise: Promise<BoardSnapshot>; maxAgeMs: number } | undefined;

  /** Whether `snapshot` may be answered with when Notion cannot be read for a reason that passes. */
  const usable = (snapshot: BoardSnapshot | undefined): snapshot is BoardSnapshot => snapshot !== undefined && now() - snapshot.at <= STALE_SNAPSHOT_MAX_MS;

  /** The snapshot to answer from; rejects with NotionStoreError (Notion refused, or failed with no usable snapshot) or StoreError. */
  function snapshot(maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<BoardSnapshot> {
    // One store read (and at most one refresh) at a time in this instance, however many ask: a Home tab's two lists share one.
    if (loading && loading.maxAgeMs <= maxAgeMs) return loading.promise;
    // A load begun for a laxer caller (an opened tab's minute) may answer older than a Refresh press asks: after it, its own.
    const joined = loading?.promise.catch(() => undefined);
    const promise: Promise<BoardSnapshot> = (async () => {
      const theirs = await joined;
      return theirs && now() - theirs.at < maxAgeMs ? theirs : load(maxAgeMs);
    })().finally(() => {
      if (loading?.promise === promise) loading = undefined;
    });
    loading = { promise, maxAgeMs };
    return promise;
  }

  async function load(maxAgeMs: number): Promise<BoardSnapshot> {
    const current = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
    const fresh = current && current.value.v === 1 && now() - current.value.at < maxAgeMs ? current.value : undefined;
    if (fresh) return keep(fresh);
    const last = current?.value.v === 1 ? current.value : undefined;
    const lease = await takeRefreshLease();
    if (lease) return keep(await refresh(last, lease, maxAgeMs));
    if (usable(last)) return keep(last);
    // Someone else is reading the first snapshot (or the first in a day): wait for theirs rather than read Notion twice, as
    // long as their lease holds (a refresh Notion rate-limits may take its Retry-After), within WAIT_FOR_REFRESH_MS.
    for (let waited = 0; waited < WAIT_FOR_REFRESH_MS; waited += POLL_MS) {
      await sleep(POLL_MS);
      const theirs = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
      if (theirs?.value.v === 1 && usable(theirs.value)) return keep(theirs.value);
      const lease = await takeRefreshLease();
      if (lease) return keep(await refresh(last, lease, maxAgeMs));
    }
    // Theirs never came and the lease is still held (their instance stopped): read it ourselves.
    return keep(await refresh(last, undefined));
  }

  function keep(snapshot: BoardSnapshot): BoardSnapshot {
    local = { snapshot };
    return snapshot;
  }

  /**
   * Reads Notion and writes the merged snapshot, unless one under `maxAgeMs` old is there by the time
   * `lease` is taken. A read that fails for a reason that passes answers with `last` while it is usable
   * (reads yield); a refusal is thrown, however fresh `last` is.
   */
  async function refresh(last: BoardSnapshot | undefined, lease: HeldLease | undefined, maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<BoardSnapshot> {
    // Its reader may have written it and freed the lease since this instance looked (a slow store, a busy instance): theirs,
    // not Notion read twice. A store that fails this look leaves the refresh to this instance, which holds the lease.
    const entry = lease ? await store.read<BoardSnapshot>(SNAPSHOT_KEY).catch(() => undefined) : undefined;
    if (lease && entry?.value.v === 1 && now() - entry.value.at < maxAgeMs) return lease.release().then(() => entry.value);
    const startedAt = now();
    const fallback = usable(last) ? last : undefined;
    let fresh: BoardSnapshot;
    try {
      fresh = await readNotion(last, fallback !== undefined);
    } catch (error) {
      const retryAfter = error instanceof NotionStoreError && error.code === "rate_limited" ? (error.retryAfterSeconds ?? 1) * 1000 : 0;
      // Rate-limited: nobody reads again before Notion's Retry-After has passed.
      await lease?.release(retryAfter > 0 ? now() + retryAfter : undefined);
      if (!fallback || !(error instanceof NotionStoreError && PASSING.has(error.code))) throw error;
      log.warn("board.snapshot_stale", { outcome: "degraded", age_ms: now() - fallback.at, ...describeError(error) });
      return fallback;
    }
    const written = await write((current) => mergeRefresh(fresh, current, startedAt, QUERY_LAG_MS)).catch((error: unknown) => {
      log.warn("board.snapshot_not_kept", { outcome: "degraded", ...describeError(error) });
      return fresh;
    });
    await lease?.release();
    log.info("board.snapshot_read", { tasks: written.tasks.length, complete: written.complete, read_ms: now() - startedAt });
    return written;
  }

  /** The open tasks from Notion; with no snapshot to fall back on (`canFallBack`), a 429 is waited out (its Retry-After, as given) within FIRST_READ_BUDGET_MS. */
  async function readNotion(last: BoardSnapshot | undefined, canFallBack: boolean): Promise<BoardSnapshot> {
    // Counted in the waits asked for, not by the clock: a test's clock may stand still.
    for (let waited = 0; ; ) {
      try {
        return await notion.readSnapshot(last);
      } catch (error) {
        const waitMs = error instanceof NotionStoreError && error.code === "rate_limited" ? (error.retryAfterSeconds ?? 1) * 1000 : undefined;
        if (canFallBack || waitMs === undefined || waited + waitMs > FIRST_READ_BUDGET_MS) throw error;
        log.info("board.snapshot_waiting", { wait_ms: waitMs });
        await sleep(waitMs);
        waited += waitMs;
      }
    }
  }

  /** Applies `change` to the stored snapshot with a conditional write, again if another instance wrote first. */
  async function write(change: (current: BoardSnapshot | undefined) => BoardSnapshot): Promise<BoardSnapshot> {
    for (let attempt = 1; ; attempt++) {
      const current = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
      const next = change(current?.value.v === 1 ? current.value : undefined);
      const etag = await store.write(SNAPSHOT_KEY, next, current ? { onlyIfMatch: current.etag } : { onlyIfNew: true });
      if (etag !== undefined) return keep(next);
      if (attempt >= WRITE_ATTEMPTS) throw new StoreError("unavailable", `store: ${SNAPSHOT_KEY} changed under ${WRITE_ATTEMPTS} writes in a row`);
    }
  }

  /** The right to refresh: the lease is free or has ended, and this instance wrote it first. */
  const takeRefreshLease = () => takeLease(store, REFRESH_LEASE_KEY, { now: now(), leaseMs: LEASE_MS, log, event: "board.lease_not_released" });

  let readingPeople: Promise<BoardSnapshot> | undefined;

  /**
   * The snapshot with the people, for finding a person on a people property: read from Notion (one
   * users.list page for most workspaces) when the snapshot has none from the last BOARD_TTL_MS, and
   * kept in it for every instance.
   */
  function withPeople(current: BoardSnapshot, role: PersonRole): Promise<BoardSnapshot> {
    const needed = role === "assignee" ? current.board.assignee !== undefined : current.board.requester?.type === "people";
    if (!needed || (current.peopleAt > 0 && now() - current.peopleAt < BOARD_TTL_MS)) return Promise.resolve(current);
    readingPeople ??= (async () => {
      const at = now();
      const people = await notion.readPeople();
      return write((latest) => ({ ...(latest ?? current), people, peopleAt: at })).catch((error: unknown) => {
        log.info("board.snapshot_not_updated", { outcome: "degraded", ...describeError(error) });
        return keep({ ...current, people, peopleAt: at });
      });
    })().finally(() => (readingPeople = undefined));
    return readingPeople;
  }

  /**
   * `work` on the snapshot. When the store cannot be reached: on the last snapshot this instance read,
   * if it is usable (Notion's load must not grow because the store is slow), else `fallback` (Notion,
   * as without a snapshot).
   */
  async function fromSnapshot<T>(what: string, work: (snapshot: BoardSnapshot) => Promise<T> | T, fallback: () => Promise<T>, maxAgeMs?: number): Promise<T> {
    let current: BoardSnapshot;
    try {
      current = await snapshot(maxAgeMs);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      const kept = usable(local?.snapshot) ? local : undefined;
      log.warn("store.unavailable", { key: SNAPSHOT_KEY, outcome: "degraded", fallback: kept ? "last_snapshot" : `notion_${what}`, ...describeError(error) });
      if (!kept) return fallback();
      current = kept.snapshot;
    }
    return work(current);
  }

  return {
    async board(): Promise<Board> {
      // A save must not wait for a refresh of the tasks: the schema from any snapshot under BOARD_TTL_MS, else Notion's.
      const known = local?.snapshot ?? (await store.read<BoardSnapshot>(SNAPSHOT_KEY).then((entry) => entry?.value, () => undefined));
      if (known?.v === 1 && now() - known.boardAt < BOARD_TTL_MS) return known.board;
      // No snapshot yet, and another instance is reading the first one: its schema, rather than a second read of it.
      const lease = known ? undefined : await store.read<Lease>(REFRESH_LEASE_KEY).catch(() => undefined);
      if (lease && lease.value.until > now()) return (await snapshot()).board;
      return notion.board();
    },
    peekBoard: () => local?.snapshot.board ?? notion.peekBoard(),
    createTask: (task, createOptions) => notion.createTask(task, createOptions),

    openTasks: ({ maxPages, pageSize = 100 }) =>
      fromSnapshot(
        "open_tasks",
        (current) => {
          const limit = maxPages * pageSize;
          return { tasks: current.tasks.slice(0, limit), complete: current.complete && current.tasks.length <= limit, asOf: current.at };
        },
        () => notion.openTasks({ maxPages, pageSize }),
      ),

    tasksRequestedBy: (requester, limit) =>
      fromSnapshot(
        "requested_by",
        async (current) => {
          const id = await personIdFor(await withPeople(current, "requester"), requester, "requester");
          if (id === undefined) return { tasks: [], asOf: current.at };
          // Newest first, as the query sorted them.
          const tasks = tasksOf(current.tasks, "requester", id)
            .sort((a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : 0))
            .slice(0, Math.min(limit, 100));
          return { tasks, asOf: current.at };
        },
        () => notion.tasksRequestedBy(requester, limit),
      ),

    openTasksOf: (person, role, { pageSize, maxAgeMs }) =>
      fromSnapshot(
        role,
        async (current) => {
          const id = await personIdFor(await withPeople(current, role), person, role);
          if (id === undefined) return { tasks: [], complete: true, matched: false, asOf: current.at };
          const all = tasksOf(current.tasks, role, id);
          const limit = Math.min(pageSize, 100);
          return { tasks: all.slice(0, limit), complete: current.complete && all.length <= limit, matched: true, asOf: current.at };
        },
        () => notion.openTasksOf(person, role, { pageSize }),
        maxAgeMs,
      ),

    readSnapshot: (known) => notion.readSnapshot(known),
    readPeople: () => notion.readPeople(),

    async noteSeen(tasks, gone = []) {
      if (tasks.length === 0 && gone.length === 0) return;
      const at = now();
      try {
        const current = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
        // No snapshot yet: the first refresh reads these anyway.
        if (current?.value.v !== 1) return;
        await write((latest) => applySeen(latest ?? current.value, tasks, gone.map((id) => ({ id, at }))));
      } catch (error) {
        log.info("board.snapshot_not_updated", { outcome: "degraded", ...describeError(error) });
      }
    },
  };
}
