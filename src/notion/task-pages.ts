/**
 * One task page at a time, for the status loop: read a page a webhook event names, move a task to
 * another status, list what changed since a moment, and who is who (the integration's own bot user,
 * a person's name). Beside task-store.ts, which saves and lists tasks; both share the board it reads.
 */
import type { Client, PageObjectResponse, QueryDataSourceParameters } from "@notionhq/client";
import { groupOf, type StatusGroup } from "../tasks/status.js";
import type { Task } from "../tasks/task.js";
import type { Board } from "./board.js";
import { snapshotTaskOf, type SnapshotTask } from "./board-snapshot.js";
import { dashedNotionId } from "./ids.js";
import { NotionStoreError, notionCall } from "./client.js";
import { fromNotionPage } from "./properties.js";
import { isFullPage } from "./task-queries.js";

/** A task as the status loop sees it: the board's reading, its status group and when it last changed. */
export interface TaskPage extends Task {
  /** Undefined when the board has no status property or the page's status is empty or unknown. */
  group: StatusGroup | undefined;
  /** ISO 8601, as Notion gives it (to the minute). */
  lastEditedTime: string;
  /** The user (or bot) who created the page: the integration's bot user for every task the bot made. */
  createdBy: string | undefined;
}

export type PageLookup =
  | { kind: "task"; page: TaskPage; board: Board }
  /** A page, but not on the task board (another database, a plain page). */
  | { kind: "outside" }
  /** On the board, in Notion's trash. */
  | { kind: "trashed" }
  /** Deleted for good, or not shared with the integration: Notion says the same for both. */
  | { kind: "not_found" };

export interface ChangedTasks {
  /** Oldest change first. */
  pages: TaskPage[];
  /** False when more changed than the pages read: the next run goes on from the last one's time. */
  complete: boolean;
}

export interface TaskPages {
  /** The page as it is now; rejects with NotionStoreError for anything but "not there" (see PageLookup). */
  read(pageId: string): Promise<PageLookup>;
  /** Writes `option` into the board's status property; resolves with the page as Notion answered it. */
  setStatus(pageId: string, option: string): Promise<TaskPage>;
  /** The board's tasks edited at or after `since` (ISO 8601), oldest first, at most `maxPages` pages of `pageSize`. */
  changedSince(since: string, options: { maxPages: number; pageSize?: number }): Promise<ChangedTasks>;
  /** The integration's own bot user (users.me), asked once per warm instance. */
  botUserId(): Promise<string>;
  /** A Notion user's name (users.retrieve), remembered per warm instance; undefined when Notion has none. */
  personName(userId: string): Promise<string | undefined>;
}

export interface TaskPagesOptions {
  client: () => Promise<Client>;
  /** The board as the task store reads it (cached there). */
  board: () => Promise<Board>;
  /**
   * Told of every task page read, moved or found changed, and of pages found gone (trashed,
   * deleted), with the clock's `now`: the shared snapshot takes them in (shared-board.ts). Awaited; never rejects.
   */
  seen?: (tasks: SnapshotTask[], gone?: string[]) => Promise<void>;
  now?: () => number;
}

/** Builds the port. Nothing is fetched until a method is called. */
export function createTaskPages(options: TaskPagesOptions): TaskPages {
  let botUser: Promise<string> | undefined;
  const names = new Map<string, string | undefined>();

  const run = <T>(action: string, work: (client: Client) => Promise<T>): Promise<T> => notionCall(options.client, action, work);
  const now = options.now ?? Date.now;
  const saw = (pages: PageObjectResponse[], board: Board) => options.seen?.(pages.map((page) => snapshotTaskOf(page, board, now())));
  const sawGone = (pageId: string) => options.seen?.([], [dashedNotionId(pageId) ?? pageId]);

  function toTaskPage(page: PageObjectResponse, board: Board): TaskPage {
    const task = fromNotionPage(page, board);
    return { ...task, group: board.status ? groupOf(board.status.groups, task.status) : undefined, lastEditedTime: page.last_edited_time, createdBy: page.created_by?.id };
  }

  return {
    async read(pageId) {
      const board = await options.board();
      let page;
      try {
        page = await run("reading a task", (client) => client.pages.retrieve({ page_id: pageId }));
      } catch (error) {
        if (error instanceof NotionStoreError && error.code === "not_found") {
          await sawGone(pageId);
          return { kind: "not_found" };
        }
        throw error;
      }
      if (!isFullPage(page)) return { kind: "not_found" };
      if (!onBoard(page, board)) return { kind: "outside" };
      if (page.in_trash) {
        await sawGone(page.id);
        return { kind: "trashed" };
      }
      await saw([page], board);
      return { kind: "task", page: toTaskPage(page, board), board };
    },

    async setStatus(pageId, option) {
      const board = await options.board();
      const status = board.status;
      if (!status) throw new NotionStoreError("invalid_request", "The board has no status property to write");
      const value = status.type === "status" ? { status: { name: option } } : { select: { name: option } };
      const page = await run("moving a task", (client) => client.pages.update({ page_id: pageId, properties: { [status.name]: value } }));
      if (!isFullPage(page)) throw new NotionStoreError("not_found", "Notion did not return the moved task");
      await saw([page], board);
      return toTaskPage(page, board);
    },

    async changedSince(since, { maxPages, pageSize = 100 }) {
      const board = await options.board();
      const filter: NonNullable<QueryDataSourceParameters["filter"]> = { timestamp: "last_edited_time", last_edited_time: { on_or_after: since } };
      const pages: TaskPage[] = [];
      let cursor: string | undefined;
      for (let read = 0; read < maxPages; read++) {
        const result = await run("reading changed tasks", (client) =>
          client.dataSources.query({
            data_source_id: board.dataSourceId,
            filter,
            sorts: [{ timestamp: "last_edited_time", direction: "ascending" }],
            page_size: pageSize,
            ...(cursor ? { start_cursor: cursor } : {}),
          }),
        );
        const read = result.results.filter(isFullPage);
        await saw(read, board);
        pages.push(...read.map((page) => toTaskPage(page, board)));
        if (!result.has_more || !result.next_cursor) return { pages, complete: true };
        cursor = result.next_cursor;
      }
      return { pages, complete: false };
    },

    botUserId() {
      botUser ??= run("asking who the bot is", async (client) => (await client.users.me({})).id);
      // A failed ask must not stick: the next event asks again.
      botUser.catch(() => (botUser = undefined));
      return botUser;
    },

    async personName(userId) {
      if (names.has(userId)) return names.get(userId);
      const user = await run("reading a user", (client) => client.users.retrieve({ user_id: userId }));
      const name = user.name ?? undefined;
      names.set(userId, name);
      if (names.size > 500) names.delete(names.keys().next().value as string);
      return name;
    },
  };
}

/** Whether a page is one of the board's rows: its parent is the board's data source. */
function onBoard(page: PageObjectResponse, board: Board): boolean {
  const parent = page.parent as { type: string; data_source_id?: string; database_id?: string };
  return parent.type === "data_source_id" ? parent.data_source_id === board.dataSourceId : false;
}
