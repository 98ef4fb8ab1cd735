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
 *
 * Without the store, every method is the task store's own (Notion), as before there was a snapshot.
 */
import { randomUUID } from "node:crypto";
import { describeError, type Logger } from "../log.js";
import { StoreError, type Store } from "../store/store.js";
import type { Board } from "./board.js";
import { applySeen, mergeRefresh, personIdFor, tasksOf, type BoardSnapshot, type SnapshotTask } from "./board-snapshot.js";
import { NotionStoreError } from "./client.js";
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

interface Lease {
  owner: string;
  until: number;
}

/** Builds the shared board over the Notion task store. Nothing is read until a method is called. */
export function createSharedBoard(options: SharedBoardOptions): SharedBoard {
  const { notion, store, log, now, sleep } = options;
  /** The last snapshot this instance read or wrote: the schema for a save, and peekBoard. */
  let local: { snapshot: BoardSnapshot } | undefined;
  let loading: Promise<BoardSnapshot> | undefined;

  /** The snapshot to answer from; rejects with NotionStoreError (no snapshot and Notion failed) or StoreError. */
  function snapshot(maxAgeMs = SNAPSHOT_MAX_AGE_MS): Promise<BoardSnapshot> {
    // One store read (and at most one refresh) at a time in this instance, however many ask: a Home tab's two lists share one.
    loading ??= load(maxAgeMs).finally(() => (loading = undefined));
    return loading;
  }

  async function load(maxAgeMs: number): Promise<BoardSnapshot> {
    const current = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
    const fresh = current && current.value.v === 1 && now() - current.value.at < maxAgeMs ? current.value : undefined;
    if (fresh) return keep(fresh);
    const last = current?.value.v === 1 ? current.value : undefined;
    const lease = await takeLease();
    if (lease) return keep(await refresh(last, lease));
    if (last) return keep(last);
    // Someone else is reading the first snapshot: wait for theirs rather than read Notion twice, as
    // long as their lease holds (a refresh Notion rate-limits may take its Retry-After), within WAIT_FOR_REFRESH_MS.
    for (let waited = 0; waited < WAIT_FOR_REFRESH_MS; waited += POLL_MS) {
      await sleep(POLL_MS);
      const theirs = await store.read<BoardSnapshot>(SNAPSHOT_KEY);
      if (theirs?.value.v === 1) return keep(theirs.value);
      const lease = await takeLease();
      if (lease) return keep(await refresh(undefined, lease));
    }
    // Theirs never came and the lease is still held (their instance stopped): read it ourselves.
    return keep(await refresh(undefined, undefined));
  }

  function keep(snapshot: BoardSnapshot): BoardSnapshot {
    local = { snapshot };
    return snapshot;
  }

  /** Reads Notion and writes the merged snapshot; with `last`, a failed read answers with it (reads yield). */
  async function refresh(last: BoardSnapshot | undefined, lease: { release(until?: number): Promise<void> } | undefined): Promise<BoardSnapshot> {
    const startedAt = now();
    let fresh: BoardSnapshot;
    try {
      fresh = await readNotion(last);
    } catch (error) {
      const retryAfter = error instanceof NotionStoreError && error.code === "rate_limited" ? (error.retryAfterSeconds ?? 1) * 1000 : 0;
      // Rate-limited: nobody reads again before Notion's Retry-After has passed.
      await lease?.release(retryAfter > 0 ? now() + retryAfter : undefined);
      if (!last) throw error;
      log.warn("board.snapshot_stale", { outcome: "degraded", age_ms: now() - last.at, ...describeError(error) });
      return last;
    }
    const written = await write((current) => mergeRefresh(fresh, current, startedAt, QUERY_LAG_MS)).catch((error: unknown) => {
      log.warn("board.snapshot_not_kept", { outcome: "degraded", ...describeError(error) });
      return fresh;
    });
    await lease?.release();
    log.info("board.snapshot_read", { tasks: written.tasks.length, complete: written.complete, read_ms: now() - startedAt });
    return written;
  }

  /** The open tasks from Notion; with no snapshot to fall back on, a 429 is waited out (its Retry-After, as given) within FIRST_READ_BUDGET_MS. */
  async function readNotion(last: BoardSnapshot | undefined): Promise<BoardSnapshot> {
    // Counted in the waits asked for, not by the clock: a test's clock may stand still.
    for (let waited = 0; ; ) {
      try {
        return await notion.readSnapshot(last);
      } catch (error) {
        const waitMs = error instanceof NotionStoreError && error.code === "rate_limited" ? (error.retryAfterSeconds ?? 1) * 1000 : undefined;
        if (last || waitMs === undefined || waited + waitMs > FIRST_READ_BUDGET_MS) throw error;
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
  async function takeLease(): Promise<{ release(until?: number): Promise<void> } | undefined> {
    const at = now();
    const current = await store.read<Lease>(REFRESH_LEASE_KEY);
    if (current && current.value.until > at) return undefined;
    const mine: Lease = { owner: randomUUID(), until: at + LEASE_MS };
    const etag = await store.write(REFRESH_LEASE_KEY, mine, current ? { onlyIfMatch: current.etag } : { onlyIfNew: true });
    if (etag === undefined) return undefined;
    return {
      async release(until = 0) {
        await store.write(REFRESH_LEASE_KEY, { ...mine, until }, { onlyIfMatch: etag }).catch((error: unknown) => log.info("board.lease_not_released", describeError(error)));
      },
    };
  }

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
   * if any (Notion's load must not grow because the store is slow), else `fallback` (Notion, as
   * without a snapshot).
   */
  async function fromSnapshot<T>(what: string, work: (snapshot: BoardSnapshot) => Promise<T> | T, fallback: () => Promise<T>, maxAgeMs?: number): Promise<T> {
    let current: BoardSnapshot;
    try {
      current = await snapshot(maxAgeMs);
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      log.warn("store.unavailable", { key: SNAPSHOT_KEY, outcome: "degraded", fallback: local ? "last_snapshot" : `notion_${what}`, ...describeError(error) });
      if (!local) return fallback();
      current = local.snapshot;
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
          if (id === undefined) return [];
          // Newest first, as the query sorted them.
          return tasksOf(current.tasks, "requester", id)
            .sort((a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : 0))
            .slice(0, Math.min(limit, 100));
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
