/**
 * The board as one snapshot every instance shares through the store (shared-board.ts keeps it):
 * the schema, the people (by a hash of their email), and the open tasks with what says whose they
 * are. Pure: how a Notion page becomes a snapshot task, how a person's tasks are picked out of it,
 * and how a refresh and the changes seen since it started are merged.
 */
import { createHash } from "node:crypto";
import type { PageObjectResponse } from "@notionhq/client";
import type { Task } from "../tasks/task.js";
import type { Board } from "./board.js";
import { fromNotionPage } from "./properties.js";
import { requesterKey, requesterKeys, type RequesterId } from "./requester.js";
import type { PersonRole } from "./task-queries.js";

/** A task as the snapshot keeps it: the board's reading, and the ids that say whose it is. */
export interface SnapshotTask extends Task {
  /** Slack ids in a text requester ("Bob (U0BOB), from a message by Alice (U0ALICE)"), or Notion ids of a people requester. */
  requesterIds: string[];
  /** Notion ids of the assignee property's people. */
  assigneeIds: string[];
  /** When Notion showed the task like this, ms since the epoch (a refresh's copy: when its query began, less Notion's query lag, mergeRefresh): the later sighting wins a merge. */
  seenAt: number;
}

/** The snapshot as the store holds it under SNAPSHOT_KEY. */
export interface BoardSnapshot {
  v: 1;
  /** When the open tasks were last read whole from Notion, ms since the epoch. */
  at: number;
  board: Board;
  /** When the schema was read. */
  boardAt: number;
  /** Notion user id by emailKey(email): who a Slack person is on a people property, without holding the email. */
  people: Record<string, string>;
  /** When the people were read (0: not read, the board needs none). */
  peopleAt: number;
  /** Open tasks, soonest due first (undated last), then oldest first: the order the queries used. */
  tasks: SnapshotTask[];
  /** False when the board had more open tasks than a refresh reads. */
  complete: boolean;
  /** Tasks seen closed (done, trashed, deleted) since the last refresh, with when: a refresh that read them earlier must not bring them back. */
  closed: Record<string, number>;
}

/** A person's email as the snapshot keys it: SHA-256 of the lower-cased address, so the store holds no email. */
export function emailKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** A Notion page as the snapshot keeps it. */
export function snapshotTaskOf(page: Pick<PageObjectResponse, "id" | "url" | "created_time" | "properties">, board: Board, seenAt: number): SnapshotTask {
  const task = fromNotionPage(page, board);
  const value = (name: string | undefined) => (name === undefined ? undefined : page.properties[name]);
  const peopleIds = (property: ReturnType<typeof value>) => (property?.type === "people" ? property.people.map((person) => person.id) : []);
  const requester = value(board.requester?.name);
  const requesterIds =
    requester?.type === "rich_text" ? requesterKeys(requester.rich_text.map((item) => item.plain_text).join("")) : peopleIds(requester);
  return { ...task, requesterIds, assigneeIds: peopleIds(value(board.assignee?.name)), seenAt };
}

/** Whether a task in this status is no longer open (the board's Complete options). */
export function isClosed(board: Board, status: string | undefined): boolean {
  return status !== undefined && (board.status?.done.includes(status) ?? false);
}

/**
 * Who the person is on the role's property: their id on a text requester (requesterKey: a Slack id
 * bare, as snapshots have always kept it, another platform's with its name), their Notion id
 * (found by email) on a people property; undefined when the board cannot tell (no such property, or
 * no Notion person with their email), as `personCondition` in task-queries.ts decides for a query.
 */
export async function personIdFor(snapshot: Pick<BoardSnapshot, "board" | "people">, person: RequesterId & { email?: () => Promise<string | undefined> }, role: PersonRole): Promise<string | undefined> {
  const property = role === "requester" ? snapshot.board.requester : snapshot.board.assignee && { type: "people" as const };
  if (!property) return undefined;
  if (property.type === "rich_text") return requesterKey(person);
  const email = await person.email?.();
  return email ? snapshot.people[emailKey(email)] : undefined;
}

/** The open tasks whose role names `id`, in the snapshot's order. */
export function tasksOf(tasks: readonly SnapshotTask[], role: PersonRole, id: string): SnapshotTask[] {
  return tasks.filter((task) => (role === "requester" ? task.requesterIds : task.assigneeIds).includes(id));
}

/** Soonest due first, undated last, then oldest first: `dueThenCreated` in task-queries.ts, in memory. */
export function byDueThenCreated(a: Task, b: Task): number {
  if (a.due !== b.due) {
    if (a.due === undefined) return 1;
    if (b.due === undefined) return -1;
    return a.due < b.due ? -1 : 1;
  }
  return a.createdTime < b.createdTime ? -1 : a.createdTime > b.createdTime ? 1 : 0;
}

/**
 * Tasks seen (created, moved, read by a webhook event or the sync) applied to a snapshot: an open
 * one replaces or joins its entry, a closed one (or a `gone` id) leaves and is remembered as closed.
 * A sighting older than the one held is ignored.
 */
export function applySeen(snapshot: BoardSnapshot, seen: readonly SnapshotTask[], gone: readonly { id: string; at: number }[]): BoardSnapshot {
  const tasks = new Map(snapshot.tasks.map((task) => [task.id, task]));
  const closed = { ...snapshot.closed };
  for (const task of seen) {
    const held = tasks.get(task.id);
    if (held && held.seenAt > task.seenAt) continue;
    if ((closed[task.id] ?? 0) > task.seenAt) continue;
    if (isClosed(snapshot.board, task.status)) {
      tasks.delete(task.id);
      closed[task.id] = task.seenAt;
    } else {
      tasks.set(task.id, task);
      delete closed[task.id];
    }
  }
  for (const { id, at } of gone) {
    tasks.delete(id);
    closed[id] = Math.max(closed[id] ?? 0, at);
  }
  return { ...snapshot, tasks: [...tasks.values()].sort(byDueThenCreated), closed };
}

/**
 * A refresh read from Notion, merged with the snapshot as it is now: what was seen after the
 * refresh began (less `marginMs`, for Notion's queries lagging its writes) is newer than the
 * refresh and stays, even for a task the refresh read too. Closed marks older than that are
 * dropped: the refresh itself is newer.
 */
export function mergeRefresh(fresh: BoardSnapshot, current: BoardSnapshot | undefined, startedAt: number, marginMs: number): BoardSnapshot {
  const after = startedAt - marginMs;
  // A lagging query may show a task as it was up to `marginMs` before the refresh began, though it
  // answered later: its copy counts as seen then, so a move the bot saw since (a Start pressed just
  // before the refresh) beats it now and whenever its sighting is written after the refresh.
  const read = { ...fresh, tasks: fresh.tasks.map((task) => ({ ...task, seenAt: Math.min(task.seenAt, after) })) };
  if (!current) return read;
  const seen = current.tasks.filter((task) => task.seenAt >= after);
  const gone = Object.entries(current.closed)
    .filter(([, at]) => at >= after)
    .map(([id, at]) => ({ id, at }));
  return applySeen(read, seen, gone);
}
