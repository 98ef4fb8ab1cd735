/**
 * The task store's shapes, as the features and the shared board see them (task-store.ts builds the
 * store; shared-board.ts wraps it): what a save answers, what a read of open tasks answers, the port.
 */
import type { Client } from "@notionhq/client";
import type { Logger } from "../log.js";
import type { NewTask, Task } from "../tasks/task.js";
import type { Board, PropertyNames } from "./board.js";
import type { BoardSnapshot, SnapshotTask } from "./board-snapshot.js";
import type { PersonRole, Requester } from "./task-queries.js";

export interface SavedTask {
  id: string;
  url: string;
  title: string;
  /**
   * True when an earlier submission of this request confirmed the page (and announced it): the
   * caller does neither again. False for a page new to the person: made by this save, or found on
   * the board after a save of this request whose answer was lost, which nobody confirmed.
   */
  existing: boolean;
  /**
   * How the page was come by, when this save did not make it with an answered create:
   *   - "landed": on the board, made by a save of this request whose answer was lost (this one's, or
   *     an earlier one here that ended `unconfirmed`); `existing` false, as nobody confirmed it.
   *   - "earlier": on the board before creating, or after a 409: an earlier submission's, which this
   *     instance cannot say was confirmed; `existing` true, unless the caller's claim knows better
   *     (save-once.ts: a claim won means no earlier submission completed it).
   *   - "remembered": this instance saved it, or is saving it, and that save confirms it; `existing` true.
   */
  found?: "landed" | "earlier" | "remembered";
}

export interface OpenTasks {
  tasks: Task[];
  /** False when the board had more open tasks than the pages read. */
  complete: boolean;
  /** When Notion showed these tasks, ms since the epoch, when they come from the shared snapshot (shared-board.ts). */
  asOf?: number;
}

export interface PersonsTasks extends OpenTasks {
  /**
   * False when the board cannot say: it has no property for the role, or the role is a people
   * property and the person's email matched no Notion user. The tasks are then empty.
   */
  matched: boolean;
}

export interface TaskStore {
  board(): Promise<Board>;
  /** The board if this warm instance has already read it: lets Slack calls go first without waiting. */
  peekBoard(): Board | undefined;
  /** `log`: the request's logger, for what the save had to do without (a requester it could not link). */
  createTask(task: NewTask, options?: { requesterEmail?: () => Promise<string | undefined>; log?: Logger }): Promise<SavedTask>;
  openTasks(options: { maxPages: number; pageSize?: number }): Promise<OpenTasks>;
  /** Newest first; `asOf` when they come from the shared snapshot. */
  tasksRequestedBy(requester: Requester, limit: number): Promise<{ tasks: Task[]; asOf?: number }>;
  /** The person's open tasks in a role, by due date (undated last), one query of at most `pageSize`. */
  /** `maxAgeMs`: from a shared snapshot no older than this (shared-board.ts); a *Refresh* press asks for a fresher one. */
  openTasksOf(person: Requester, role: PersonRole, options: { pageSize: number; maxAgeMs?: number | undefined }): Promise<PersonsTasks>;
  /**
   * A shared snapshot read from Notion (shared-board.ts): the schema and (for a board with a people
   * property) the people unless `known` has them from less than BOARD_TTL_MS ago, and the open tasks,
   * SNAPSHOT_MAX_PAGES pages.
   */
  readSnapshot(known: Pick<BoardSnapshot, "board" | "boardAt" | "people" | "peopleAt"> | undefined): Promise<BoardSnapshot>;
  /** Notion's people as the snapshot keys them (emailKey), read afresh: at most 10 pages of 100. */
  readPeople(): Promise<Record<string, string>>;
}

export interface TaskStoreOptions {
  client: () => Promise<Client>;
  /** A database id, or a data source id: both are accepted. */
  databaseId: string;
  propertyNames: PropertyNames;
  log: Logger;
  now?: () => number;
  /** Every wait the store chooses (before a retry after a conflict); tests pass an instant one. */
  sleep?: (ms: number) => Promise<void>;
  /** Told of each task the bot creates or finds on the board after a save, as Notion showed it: the shared snapshot takes it in (shared-board.ts). */
  seen?: (tasks: SnapshotTask[]) => Promise<void>;
}
