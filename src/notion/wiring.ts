/**
 * Notion's parts for a runtime (runtime.ts), as each platform's are wired in platforms/x/wiring.ts:
 * the client (built on first use, so a path that never calls Notion never loads it), the task store
 * behind the board every instance shares through the store (shared-board.ts), and the task pages.
 * Every function reads and writes the board, so every runtime builds these.
 */
import type { Env } from "../env.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { createNotionClient } from "./client.js";
import { createPacer, type PaceOptions } from "./pace-requests.js";
import { createSharedBoard, type SharedBoard } from "./shared-board.js";
import { createTaskPages, type TaskPages } from "./task-pages.js";
import { createTaskStore, type TaskStore, type TaskStoreOptions } from "./task-store.js";

/** Notion's variables, as env.ts read them (the board's property names have their defaults). */
export type NotionVariables = Env<"NOTION_TOKEN" | "NOTION_DATABASE_ID">;

/** Notion's parts: the board every instance shares (a TaskStore), and the pages the bot writes. */
export interface NotionLoaded {
  tasks: SharedBoard;
  pages: TaskPages;
}

/** What Notion's parts are built over: the runtime's store, log, clock and fetch. */
export interface NotionIo {
  store: Store;
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  fetch?: typeof fetch | undefined;
  /** Per Notion request (NOTION_TIMEOUT_MS by default). */
  timeoutMs?: number | undefined;
  /** When set, requests are paced under Notion's ~3 a second (pace-requests.ts), by this clock when it has one. */
  pace?: PaceOptions | undefined;
}

/** Builds Notion's parts; nothing is called until a feature reads or writes the board. */
export function wireNotion(env: NotionVariables, io: NotionIo): NotionLoaded {
  const { store, log, now, sleep } = io;
  const notion = notionClientFactory(env, io);
  // The board every instance shares through the store (notion/shared-board.ts); what the bot sees of a task goes into it.
  let shared: SharedBoard | undefined;
  const seen = (found: Parameters<SharedBoard["noteSeen"]>[0], gone?: string[]) => shared?.noteSeen(found, gone) ?? Promise.resolve();
  const tasks = (shared = createSharedBoard({ notion: buildTaskStore(env, notion, log, now, sleep, seen), store, log, now, sleep }));
  return { tasks, pages: createTaskPages({ client: notion, board: () => tasks.board(), seen, now }) };
}

/** The Notion client, built on first use and shared by the task store and the task pages. */
function notionClientFactory(env: NotionVariables, io: NotionIo): () => ReturnType<typeof createNotionClient> {
  let notion: ReturnType<typeof createNotionClient> | undefined;
  return () =>
    (notion ??= createNotionClient({
      token: env.NOTION_TOKEN,
      baseUrl: env.NOTION_API_URL,
      log: io.log,
      sleep: io.sleep,
      ...(io.fetch ? { fetch: io.fetch } : {}),
      ...(io.pace ? { pacer: createPacer(io.pace) } : {}),
      ...(io.timeoutMs ? { timeoutMs: io.timeoutMs } : {}),
    }));
}

function buildTaskStore(
  env: NotionVariables,
  client: () => ReturnType<typeof createNotionClient>,
  log: Logger,
  now: () => number,
  sleep: (ms: number) => Promise<void>,
  seen: TaskStoreOptions["seen"],
): TaskStore {
  return createTaskStore({
    client,
    databaseId: env.NOTION_DATABASE_ID,
    propertyNames: {
      status: env.NOTION_STATUS_PROPERTY,
      priority: env.NOTION_PRIORITY_PROPERTY,
      due: env.NOTION_DUE_PROPERTY,
      requester: env.NOTION_REQUESTER_PROPERTY,
      slackLink: env.NOTION_SLACK_LINK_PROPERTY,
      requestId: env.NOTION_REQUEST_ID_PROPERTY,
      assignee: env.NOTION_ASSIGNEE_PROPERTY,
    },
    log,
    now,
    sleep,
    seen,
  });
}
