/**
 * Reading the shared board snapshot from Notion (for shared-board.ts, through the task store): the
 * schema and the people when the last snapshot's are stale, and the open tasks, by due date then age.
 */
import type { Client, PageObjectResponse } from "@notionhq/client";
import { describeError, type Logger } from "../log.js";
import type { Board } from "./board.js";
import { snapshotTaskOf, type BoardSnapshot } from "./board-snapshot.js";
import { dueThenCreated, isFullPage, notDone } from "./task-queries.js";

/** The schema (and the people) are re-read after this, so a renamed property is picked up without a redeploy. */
export const BOARD_TTL_MS = 10 * 60_000;
/** Query pages of open tasks a snapshot reads: the weekly review's three pages of 100. */
export const SNAPSHOT_MAX_PAGES = 3;

type Run = <T>(action: string, work: (client: Client) => Promise<T>) => Promise<T>;

/** The board's open tasks as whole pages, at most `maxPages` queries of `pageSize`; `complete` false when there were more. */
export async function readOpenPages(run: Run, target: Board, maxPages: number, pageSize: number): Promise<{ pages: PageObjectResponse[]; complete: boolean }> {
  const filters = notDone(target);
  const pages: PageObjectResponse[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await run("reading open tasks", (client) =>
      client.dataSources.query({
        data_source_id: target.dataSourceId,
        ...(filters.length > 0 ? { filter: { and: filters } } : {}),
        sorts: dueThenCreated(target),
        page_size: pageSize,
        ...(cursor ? { start_cursor: cursor } : {}),
      }),
    );
    pages.push(...result.results.filter(isFullPage));
    if (!result.has_more || !result.next_cursor) return { pages, complete: true };
    cursor = result.next_cursor;
  }
  return { pages, complete: false };
}

export interface SnapshotReads {
  board(): Promise<Board>;
  readPeople(): Promise<Record<string, string>>;
  openPages(target: Board): Promise<{ pages: PageObjectResponse[]; complete: boolean }>;
  now(): number;
  log: Logger;
}

/**
 * A snapshot read from Notion: the schema unless `known`'s is under BOARD_TTL_MS old; for a board
 * with a people property, the people likewise (a failed read keeps what was known: only *Assigned
 * to me* and a people requester need them); then the open tasks. Rejects with NotionStoreError.
 */
export async function readBoardSnapshot(reads: SnapshotReads, known: Pick<BoardSnapshot, "board" | "boardAt" | "people" | "peopleAt"> | undefined): Promise<BoardSnapshot> {
  const startedAt = reads.now();
  const schemaKnown = known !== undefined && startedAt - known.boardAt < BOARD_TTL_MS;
  const target = schemaKnown ? known.board : await reads.board();
  const needsPeople = target.requester?.type === "people" || target.assignee !== undefined;
  const peopleKnown = known !== undefined && known.peopleAt > 0 && startedAt - known.peopleAt < BOARD_TTL_MS;
  const people = needsPeople && !peopleKnown ? await reads.readPeople().catch((error: unknown) => void reads.log.warn("board.people_unread", { outcome: "degraded", ...describeError(error) })) : undefined;
  const read = await reads.openPages(target);
  const at = reads.now();
  return {
    v: 1,
    at,
    board: target,
    boardAt: schemaKnown ? known.boardAt : startedAt,
    people: people ?? known?.people ?? {},
    peopleAt: people ? startedAt : (known?.peopleAt ?? 0),
    tasks: read.pages.map((page) => snapshotTaskOf(page, target, at)),
    complete: read.complete,
    closed: {},
  };
}
