/**
 * What the bot remembers of each task it created, so it can tell the requester when the task moves
 * without reading Slack's history (no *:history scope): who asked, the thread the task came from,
 * and the status group the requester last heard of. One entry per task, `tasks/<page id>`, holding
 * ids and times only (never a title or what anyone typed).
 *
 * The group is moved with a conditional write (`onlyIfMatch` on the entry read): of two deliveries
 * of the same change (a webhook event and its redelivery, or an event and the hourly sync), only the
 * one whose write lands announces it.
 */
import type { Person, Place } from "../chat/model.js";
import { dashedNotionId } from "../notion/ids.js";
import type { StatusGroup } from "../tasks/status.js";
import type { CallBudget, Entry, Store } from "./store.js";

export const TASK_RECORD_PREFIX = "tasks/";

export interface TaskRecord {
  v: 1;
  /** The requester's Slack user id. */
  requester: string;
  /** The conversation of the message the task was made from (a shortcut's), with `threadTs`. */
  channel?: string | undefined;
  /** The thread to answer in: the message's own thread, or the message itself. */
  threadTs?: string | undefined;
  /**
   * The group the requester last heard of (at creation: the group the task started in), or is owed
   * news of: a message Slack refused for now is kept in owed/ (owed-sends.ts), not by moving this back.
   */
  group?: StatusGroup | undefined;
  /** ms since the epoch. */
  createdAt: number;
  /** When `group` last changed, ms since the epoch. */
  movedAt?: number | undefined;
}

/** The entry's key: `tasks/<page id>`, the id dashed and lower-case whatever form it came in. */
export function taskRecordKey(pageId: string): string {
  return `${TASK_RECORD_PREFIX}${dashedNotionId(pageId) ?? pageId}`;
}

/** The task's record and its etag, or undefined for a task the bot did not create (or made before records). */
export async function readTaskRecord(store: Store, pageId: string, budget?: CallBudget): Promise<Entry<TaskRecord> | undefined> {
  const entry = await store.read<TaskRecord>(taskRecordKey(pageId), budget);
  if (!entry || !isTaskRecord(entry.value)) return undefined;
  return entry;
}

/** Records a new task; an existing record (a resubmission's) is kept. Resolves whether this one was written. */
export async function createTaskRecord(store: Store, pageId: string, record: TaskRecord, budget?: CallBudget): Promise<boolean> {
  return (await store.write(taskRecordKey(pageId), record, { onlyIfNew: true }, budget)) !== undefined;
}

/**
 * Where a new task came from, in the port's words: what a task's record keeps, whatever the
 * platform (record v2, docs/chat-port.md "task-status"). `place` is where to tell the requester
 * (the message a shortcut's task came from: a reply there, or in its Slack thread); `asked` is the
 * conversation the request was made in (Discord: where a refused DM goes instead).
 */
export interface TaskOrigin {
  requester: Pick<Person, "platform" | "workspace" | "userId">;
  place?: Place | undefined;
  asked?: Place | undefined;
  group?: StatusGroup | undefined;
  /** ms since the epoch. */
  createdAt: number;
}

/**
 * Records a new task's origin; an existing record (a resubmission's) is kept. Resolves whether this
 * one was written. Until records are v2 a Slack origin is written as v1, the only kind that exists.
 */
export async function recordTaskOrigin(store: Store, pageId: string, origin: TaskOrigin, budget?: CallBudget): Promise<boolean> {
  const thread = origin.place?.thread ?? origin.place?.message;
  const record: TaskRecord = {
    v: 1,
    requester: origin.requester.userId,
    ...(origin.place && thread !== undefined ? { channel: origin.place.conversation, threadTs: thread } : {}),
    group: origin.group,
    createdAt: origin.createdAt,
  };
  return createTaskRecord(store, pageId, record, budget);
}

/**
 * Moves the record to `group`, unless someone wrote it since `entry` was read. Resolves true when
 * this write landed: the caller, and only it, tells the requester.
 */
export async function moveTaskRecord(store: Store, pageId: string, entry: Entry<TaskRecord>, group: StatusGroup, at: number, budget?: CallBudget): Promise<boolean> {
  const moved: TaskRecord = { ...entry.value, group, movedAt: at };
  return (await store.write(taskRecordKey(pageId), moved, { onlyIfMatch: entry.etag }, budget)) !== undefined;
}

/**
 * Moves the record to `group` unless it is there already, one move per task at a time in this
 * instance (two deliveries handled side by side re-read it in turn; across instances the conditional
 * write decides). Resolves the entry it moved from, or undefined: no record, there already, or
 * another write landed first. `known` stands in when the record cannot be read back.
 */
export function advanceTaskRecord(store: Store, pageId: string, group: StatusGroup, at: number, known?: Entry<TaskRecord>): Promise<Entry<TaskRecord> | undefined> {
  return store.exclusive(taskRecordKey(pageId), async () => {
    const current = (await readTaskRecord(store, pageId)) ?? known;
    if (!current || current.value.group === group) return undefined;
    return (await moveTaskRecord(store, pageId, current, group, at)) ? current : undefined;
  });
}

function isTaskRecord(value: unknown): value is TaskRecord {
  return typeof value === "object" && value !== null && (value as TaskRecord).v === 1 && typeof (value as TaskRecord).requester === "string";
}
