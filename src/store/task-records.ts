/**
 * What the bot remembers of each task it created, so it can tell the requester when the task moves
 * without reading a platform's history (no Slack *:history scope, no Discord Gateway): who asked, on
 * which platform, where to tell them, and the status group they last heard of. One entry per task,
 * `tasks/<page id>`, holding ids and times only (never a title or what anyone typed).
 *
 * Two versions are stored: v1 (Slack's, before the chat port: a user id, a channel and thread ts)
 * and v2 (any platform: the requester as a person, places in their text form). recordTaskOrigin
 * writes v2; every reader gets the same normalized TaskRecord from either (readTaskRecord).
 *
 * The group is moved with a conditional write (`onlyIfMatch` on the entry read): of two deliveries
 * of the same change (a webhook event and its redelivery, or an event and the hourly sync), only the
 * one whose write lands announces it.
 */
import { PLATFORMS, type Person, type Place } from "../chat/model.js";
import { decodePlace, encodePlace } from "../chat/place.js";
import { dashedNotionId } from "../notion/ids.js";
import { STATUS_GROUPS, type StatusGroup } from "../tasks/status.js";
import type { CallBudget, Entry, Store } from "./store.js";

export const TASK_RECORD_PREFIX = "tasks/";

/**
 * Who asked for a task: the person to tell, on their own platform, with the name their platform
 * gave when they asked (kept for a platform whose mention carries a name: Teams' `<at>Name</at>`;
 * absent in records written before it was kept, and on Slack's v1 records).
 */
export type Requester = Pick<Person, "platform" | "workspace" | "userId"> & { displayName?: string | undefined };

/** The most of a requester's name a record keeps (UTF-16 units): a display name on any platform is shorter. */
export const REQUESTER_NAME_MAX = 256;

/**
 * A task's record as every reader gets it, whichever version is stored (readTaskRecord normalizes
 * v1 and v2). `stored` is the version on disk: a move writes the record back in it, so a v1
 * record stays readable by the code that wrote it.
 */
export interface TaskRecord {
  requester: Requester;
  /** Where to tell the requester: a reply to the message the task came from, or in its Slack thread. Absent: a direct message. */
  place?: Place | undefined;
  /** The conversation the task was asked for in: where a direct message the requester refuses goes instead (Discord 50007). */
  asked?: Place | undefined;
  /**
   * The group the requester last heard of (at creation: the group the task started in), or is owed
   * news of: a message the platform refused for now is kept in owed/ (owed-sends.ts), not by moving this back.
   */
  group?: StatusGroup | undefined;
  /** ms since the epoch. */
  createdAt: number;
  /** When `group` last changed, ms since the epoch. */
  movedAt?: number | undefined;
  stored: 1 | 2;
}

/** Version 1, Slack's only: written before the chat port (and by a deploy rolled back past it). */
export interface TaskRecordV1 {
  v: 1;
  /** The requester's Slack user id. */
  requester: string;
  /** The conversation of the message the task was made from (a shortcut's), with `threadTs`. */
  channel?: string | undefined;
  /** The thread to answer in: the message's own thread, or the message itself. */
  threadTs?: string | undefined;
  group?: StatusGroup | undefined;
  createdAt: number;
  movedAt?: number | undefined;
}

/** Version 2, any platform: places in their text form (chat/place.ts). */
export interface TaskRecordV2 {
  v: 2;
  requester: Requester;
  place?: string | undefined;
  asked?: string | undefined;
  group?: StatusGroup | undefined;
  createdAt: number;
  movedAt?: number | undefined;
}

/** What the store holds under `tasks/<page id>`. */
export type StoredTaskRecord = TaskRecordV1 | TaskRecordV2;

/** The entry's key: `tasks/<page id>`, the id dashed and lower-case whatever form it came in. */
export function taskRecordKey(pageId: string): string {
  return `${TASK_RECORD_PREFIX}${dashedNotionId(pageId) ?? pageId}`;
}

/** The task's record, normalized from whichever version is stored, and its etag; undefined for a task the bot did not create (or made before records), or a record that names nobody. */
export async function readTaskRecord(store: Store, pageId: string, budget?: CallBudget): Promise<Entry<TaskRecord> | undefined> {
  const entry = await store.read<unknown>(taskRecordKey(pageId), budget);
  const record = entry && normalizeTaskRecord(entry.value);
  return entry && record && { value: record, etag: entry.etag };
}

/** Records a new task as given (v1 or v2); an existing record (a resubmission's) is kept. Resolves whether this one was written. */
export async function createTaskRecord(store: Store, pageId: string, record: StoredTaskRecord, budget?: CallBudget): Promise<boolean> {
  return (await store.write(taskRecordKey(pageId), record, { onlyIfNew: true }, budget)) !== undefined;
}

/**
 * Where a new task came from, in the port's words: what a task's record keeps, whatever the
 * platform (record v2, docs/chat-port.md "task-status"). `place` is where to tell the requester
 * (the message a shortcut's task came from: a reply there, or in its Slack thread); `asked` is the
 * conversation the request was made in (Discord: where a refused DM goes instead).
 */
export interface TaskOrigin {
  requester: Requester;
  place?: Place | undefined;
  asked?: Place | undefined;
  group?: StatusGroup | undefined;
  /** ms since the epoch. */
  createdAt: number;
}

/**
 * Records a new task's origin as a v2 record; an existing record (a resubmission's) is kept.
 * Resolves whether this one was written. A place no platform produces (encodePlace's RangeError) is
 * left out, not thrown: the requester then hears back by direct message. Rejects with StoreError.
 */
export async function recordTaskOrigin(store: Store, pageId: string, origin: TaskOrigin, budget?: CallBudget): Promise<boolean> {
  const record: TaskRecordV2 = {
    v: 2,
    requester: requesterField(origin.requester),
    ...placeField("place", origin.place),
    ...placeField("asked", origin.asked),
    group: origin.group,
    createdAt: origin.createdAt,
  };
  return createTaskRecord(store, pageId, record, budget);
}

/**
 * Moves the record to `group`, unless someone wrote it since `entry` was read; written back in the
 * version it was read in. Resolves true when this write landed: the caller, and only it, tells the requester.
 */
export async function moveTaskRecord(store: Store, pageId: string, entry: Entry<TaskRecord>, group: StatusGroup, at: number, budget?: CallBudget): Promise<boolean> {
  const moved = storedForm({ ...entry.value, group, movedAt: at });
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

/** True when `person` asked for the task: the same platform and user (a v1 record does not know the workspace). */
export function isRequester(record: Pick<TaskRecord, "requester">, person: { platform: Requester["platform"]; userId: string }): boolean {
  return record.requester.platform === person.platform && record.requester.userId === person.userId;
}

/**
 * A stored record (v1 or v2) as readers see it, or undefined when it is not one, or names no
 * requester. A corrupt place is dropped (the requester hears back by direct message), a group that
 * is not one is read as unknown; nothing here throws on what the store holds.
 * A v1 record is Slack's: its channel and thread become a Slack place whose workspace is unknown ("").
 */
export function normalizeTaskRecord(value: unknown): TaskRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const times = {
    group: typeof raw["group"] === "string" && (STATUS_GROUPS as readonly string[]).includes(raw["group"]) ? (raw["group"] as StatusGroup) : undefined,
    createdAt: typeof raw["createdAt"] === "number" ? raw["createdAt"] : 0,
    ...(typeof raw["movedAt"] === "number" ? { movedAt: raw["movedAt"] } : {}),
  };
  if (raw["v"] === 1) {
    if (typeof raw["requester"] !== "string" || raw["requester"] === "") return undefined;
    const channel = raw["channel"];
    const thread = raw["threadTs"];
    const place = typeof channel === "string" && typeof thread === "string" ? checkedPlace({ platform: "slack", workspace: "", conversation: channel, thread }) : undefined;
    return { requester: { platform: "slack", workspace: "", userId: raw["requester"] }, ...(place ? { place } : {}), ...times, stored: 1 };
  }
  if (raw["v"] === 2) {
    const requester = readRequester(raw["requester"]);
    if (!requester) return undefined;
    const place = typeof raw["place"] === "string" ? decodePlace(raw["place"]) : undefined;
    const asked = typeof raw["asked"] === "string" ? decodePlace(raw["asked"]) : undefined;
    return { requester, ...(place ? { place } : {}), ...(asked ? { asked } : {}), ...times, stored: 2 };
  }
  return undefined;
}

/** The record as the store keeps it, in the version it was read in (a v1 record is Slack's, with a thread). */
function storedForm(record: TaskRecord): StoredTaskRecord {
  const times = { group: record.group, createdAt: record.createdAt, ...(record.movedAt === undefined ? {} : { movedAt: record.movedAt }) };
  if (record.stored === 1) {
    const thread = record.place?.thread ?? record.place?.message;
    return { v: 1, requester: record.requester.userId, ...(record.place && thread !== undefined ? { channel: record.place.conversation, threadTs: thread } : {}), ...times };
  }
  return { v: 2, requester: record.requester, ...placeField("place", record.place), ...placeField("asked", record.asked), ...times };
}

/** The requester as a record keeps them: a name only when it is a non-empty string, cut to REQUESTER_NAME_MAX. */
function requesterField(requester: Requester): Requester {
  const { platform, workspace, userId, displayName } = requester;
  const name = typeof displayName === "string" ? displayName.trim().slice(0, REQUESTER_NAME_MAX) : "";
  return name === "" ? { platform, workspace, userId } : { platform, workspace, userId, displayName: name };
}

function readRequester(value: unknown): Requester | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { platform, workspace, userId, displayName } = value as Record<string, unknown>;
  if (typeof platform !== "string" || !(PLATFORMS as readonly string[]).includes(platform)) return undefined;
  if (typeof workspace !== "string" || typeof userId !== "string" || userId === "") return undefined;
  return requesterField({ platform: platform as Requester["platform"], workspace, userId, displayName: typeof displayName === "string" ? displayName : undefined });
}

/** `{ [name]: text form }`, or nothing for a place that is absent or that no platform produces. */
function placeField(name: "place" | "asked", place: Place | undefined): Partial<Record<"place" | "asked", string>> {
  if (!place) return {};
  try {
    return { [name]: encodePlace(place) };
  } catch {
    return {};
  }
}

/** The place when its text form round-trips (a v1 channel holding a colon or a space is not one). */
function checkedPlace(place: Place): Place | undefined {
  const text = placeField("place", place).place;
  return text === undefined ? undefined : decodePlace(text);
}
