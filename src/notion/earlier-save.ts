/**
 * The page an earlier save of a request made, on any board: Notion may create a page and lose the
 * answer that says so (an HTML 502 or 504 from its edge, a timeout, a reset after the request went
 * out: makenotion/notion-sdk-js#457), so a save looks here before it creates, and after an answer
 * that may hide a write, and a resubmission never makes a second page.
 */
import type { Client, PageObjectResponse, QueryDataSourceParameters } from "@notionhq/client";
import type { NewTask } from "../tasks/task.js";
import type { Board } from "./board.js";
import { BLOCKS_PER_REQUEST, isRequestMark } from "./properties.js";
import { isFullPage } from "./task-queries.js";

/**
 * How far back, before a save, an earlier save of the same request is looked for on a board without
 * Request ID: a form is submitted again within a day (save-once's horizon), and its earlier pages
 * were made since.
 */
export const EARLIER_SAVE_WINDOW_MS = 24 * 3_600_000;
/**
 * Looked for from this long before the save began: Notion's clock is not this instance's, and a
 * page's created_time is cut to the minute.
 */
const CLOCK_SKEW_MS = 60_000;
/** Pages of the request's title, newest first, whose bodies are read for the request's mark. */
const MARK_CANDIDATES = 5;

/** One Notion call, named for its errors (client.ts notionCall). */
type Run = <T>(action: string, work: (client: Client) => Promise<T>) => Promise<T>;

/**
 * The page an earlier save of `task` made, if any: by its Request ID when the board has the
 * property; else among the pages of its title created since `sinceMs` (ms since the epoch), by the
 * mark only this request's page carries in its body (properties.ts requestMark). The whole page, as
 * the query showed it, so the shared snapshot takes it in like a page whose create answered.
 * Rejects with NotionStoreError when Notion cannot be asked.
 */
export async function findEarlierSave(run: Run, target: Board, task: NewTask, sinceMs: number): Promise<PageObjectResponse | undefined> {
  const requestId = target.requestId;
  const filter: NonNullable<QueryDataSourceParameters["filter"]> = requestId
    ? { property: requestId.name, rich_text: { equals: task.requestKey } }
    : {
        and: [
          { property: target.title, title: { equals: task.title } },
          { timestamp: "created_time", created_time: { on_or_after: createdSince(sinceMs) } },
        ],
      };
  const result = await run("looking for an earlier save", (client) =>
    client.dataSources.query({
      data_source_id: target.dataSourceId,
      filter,
      sorts: [{ timestamp: "created_time", direction: "descending" }],
      page_size: requestId ? 1 : MARK_CANDIDATES,
    }),
  );
  const pages = result.results.filter(isFullPage);
  return requestId ? pages[0] : await firstMarked(run, pages, task.requestKey);
}

/** The created_time to look from for a save begun at `ms`: a minute early, on the minute (Notion's created_time is cut to it). */
function createdSince(ms: number): string {
  return new Date(Math.floor((ms - CLOCK_SKEW_MS) / 60_000) * 60_000).toISOString();
}

/** The first of `pages` whose body carries `requestKey`'s mark: one blocks.children.list each, the mark among a body's 100 blocks. */
async function firstMarked<P extends { id: string }>(run: Run, pages: P[], requestKey: string): Promise<P | undefined> {
  for (const page of pages) {
    const body = await run("reading an earlier save", (client) => client.blocks.children.list({ block_id: page.id, page_size: BLOCKS_PER_REQUEST }));
    if (body.results.some((block) => "type" in block && isRequestMark(block, requestKey))) return page;
  }
  return undefined;
}
