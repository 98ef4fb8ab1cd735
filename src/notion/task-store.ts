/**
 * The task board as the features see it: save a task once, read open tasks. Wraps the Notion client
 * (2025-09-03 data sources) and is the only place that knows property shapes and filters.
 */
import type { Client, PageObjectResponse } from "@notionhq/client";
import type { SavedTask, TaskStore, TaskStoreOptions } from "./task-store-types.js";
import { describeError, type Logger } from "../log.js";
import type { NewTask } from "../tasks/task.js";
import { detectBoard, type Board } from "./board.js";
import { emailKey, snapshotTaskOf } from "./board-snapshot.js";
import { BOARD_TTL_MS, readBoardSnapshot, readOpenPages, SNAPSHOT_MAX_PAGES } from "./read-board-snapshot.js";
import { NotionStoreError, notionCall } from "./client.js";
import { resolveDataSource } from "./data-source.js";
import { EARLIER_SAVE_WINDOW_MS, findEarlierSave } from "./earlier-save.js";
import { listPeopleByEmail } from "./people.js";
import { fromNotionPage, pageUrl, toNotionProperties, toPageBody } from "./properties.js";
import { platformName } from "../chat/platform-name.js";
import { describeRequester } from "./requester.js";
import { dueThenCreated, isFullPage, notDone, personCondition } from "./task-queries.js";

export type { PersonRole, Requester } from "./task-queries.js";

/** Saved request keys remembered per warm instance: a second guard beside the look on the board. */
const RECENT_KEYS = 500;
/**
 * The waits before each new pages.create after a 409 conflict_error, in ms: Notion wrote nothing and
 * asks for a retry. Short, so a retry usually lands within the acknowledgement budget (the caller
 * waits for the save until its deadline, then lets it finish after the answer).
 */
export const CONFLICT_RETRY_DELAYS_MS = [250, 500] as const;

export type { OpenTasks, PersonsTasks, SavedTask, TaskStore, TaskStoreOptions } from "./task-store-types.js";

/** Codes of a call that may have been carried out although no answer said so. */
const UNANSWERED: ReadonlySet<string> = new Set(["timeout", "network_error", "unavailable"]);

/** Builds the store. Nothing is fetched until a method is called. */
export function createTaskStore(options: TaskStoreOptions): TaskStore {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let cachedBoard: { board: Promise<Board>; at: number } | undefined;
  let lastBoard: Board | undefined;
  const inflight = new Map<string, Promise<SavedTask>>();
  const recent = new Map<string, SavedTask>();
  /** Request keys whose save may have landed unseen (`unconfirmed`): a later failed look says so again. */
  const unsure = new Set<string>();
  let notionUsers: Promise<Map<string, string>> | undefined;

  const run = <T>(action: string, work: (client: Client) => Promise<T>): Promise<T> => notionCall(options.client, action, work);

  function board(): Promise<Board> {
    if (cachedBoard && now() - cachedBoard.at < BOARD_TTL_MS) return cachedBoard.board;
    const loading = run("reading the board", async (client) => {
      const { dataSource } = await resolveDataSource(client, options.databaseId);
      const detected = detectBoard(dataSource, options.propertyNames);
      for (const warning of detected.warnings) options.log.warn("notion.board", { warning });
      lastBoard = detected;
      return detected;
    });
    cachedBoard = { board: loading, at: now() };
    // A failed read must not stick: the next request tries again.
    loading.catch(() => {
      if (cachedBoard?.board === loading) cachedBoard = undefined;
    });
    return loading;
  }

  async function notionUserIdFor(email: string | undefined): Promise<string | undefined> {
    if (!email) return undefined;
    return (await people()).get(email.toLowerCase());
  }

  /** Notion's people by lower-cased email, read once per warm instance (a failed read is not kept). */
  function people(): Promise<Map<string, string>> {
    notionUsers ??= run("listing users", listPeopleByEmail);
    notionUsers.catch(() => (notionUsers = undefined));
    return notionUsers;
  }

  /** The requester as a Notion person; when Slack or Notion cannot say who, undefined (the page body names them). */
  async function requesterAsPerson(requesterEmail: (() => Promise<string | undefined>) | undefined, log: Logger): Promise<string | undefined> {
    try {
      return await notionUserIdFor(await requesterEmail?.());
    } catch (error) {
      log.warn("task.requester_not_linked", { outcome: "saved_requester_as_text", ...describeError(error) });
      return undefined;
    }
  }

  async function save(task: NewTask, requesterEmail: (() => Promise<string | undefined>) | undefined, log: Logger): Promise<SavedTask> {
    const target = await board();
    const startedAt = now();
    // A resubmission after an error or a timeout may follow a save that did land: look first, on any board.
    let earlier: PageObjectResponse | undefined;
    try {
      earlier = await findEarlierSave(run, target, task, startedAt - EARLIER_SAVE_WINDOW_MS);
    } catch (error) {
      // Nothing was written now; but if an earlier save of this request may have landed, "not saved" could be untrue.
      throw unsure.has(task.requestKey) ? unconfirmed(task.requestKey, error) : error;
    }
    // An earlier save here ended `unconfirmed`: a page on the board is the one it made, which nobody confirmed.
    const wasUnsure = unsure.delete(task.requestKey);
    if (earlier) return foundOnBoard(earlier, target, wasUnsure ? "landed" : "earlier", log);

    const requesterNotionId = target.requester?.type === "people" ? await requesterAsPerson(requesterEmail, log) : undefined;
    const requesterKept = target.requester !== undefined && (target.requester.type === "rich_text" || requesterNotionId !== undefined);
    // The requester is never lost: when the board cannot hold them, the page body names them.
    const extraLines = requesterKept ? [] : [`Requested by ${describeRequester(task)} in ${platformName(task.requester.platform)}.`];
    // Without a Request ID property, the body's last line marks the page as this request's.
    const body = toPageBody(task.description, extraLines, { requestKey: target.requestId ? undefined : task.requestKey });

    let page;
    for (let attempt = 0; ; attempt++) {
      try {
        page = await run("creating the task", (client) =>
          client.pages.create({
            parent: { type: "data_source_id", data_source_id: target.dataSourceId },
            properties: toNotionProperties(task, target, { requesterNotionId }),
            // toPageBody keeps to one request's worth of blocks: the page and its body land together.
            children: body,
          }),
        );
        break;
      } catch (error) {
        // No answer is not "not saved": Notion may have created the page and lost the reply (an HTML
        // 502 or 504 from its edge, a timeout, a reset after the request went out). Look, on any board.
        if (error instanceof NotionStoreError && UNANSWERED.has(error.code)) {
          const landed = await findLanded(target, task, startedAt, error, log);
          if (landed) return foundOnBoard(landed, target, "landed", log);
        }
        const wait = error instanceof NotionStoreError && error.code === "conflict" ? CONFLICT_RETRY_DELAYS_MS[attempt] : undefined;
        if (wait === undefined) throw error;
        // A 409 wrote nothing, but another submission of the same form may have saved it meanwhile: look first.
        const earlier = await findEarlierSave(run, target, task, startedAt - EARLIER_SAVE_WINDOW_MS).catch(() => undefined);
        if (earlier) return foundOnBoard(earlier, target, "earlier", log);
        log.info("notion.conflict_retry", { attempt: attempt + 1, wait_ms: wait });
        await sleep(wait);
      }
    }
    const url = "url" in page ? page.url : pageUrl(page.id);
    if (isFullPage(page)) await noteSeen(page, target, log);
    return { id: page.id, url, title: task.title, existing: false };
  }

  /** A page a save found on the board, given to the shared snapshot as a created one is (no request more: the look read it whole). */
  async function foundOnBoard(page: PageObjectResponse, target: Board, how: "landed" | "earlier", log: Logger): Promise<SavedTask> {
    await noteSeen(page, target, log);
    return { id: page.id, url: page.url, title: fromNotionPage(page, target).title, existing: how === "earlier", found: how };
  }

  /** Tells the shared snapshot of a page as Notion showed it now; a failure costs it only freshness. */
  async function noteSeen(page: PageObjectResponse, target: Board, log: Logger): Promise<void> {
    await options.seen?.([snapshotTaskOf(page, target, now())]).catch((error: unknown) => log.info("board.snapshot_not_updated", describeError(error)));
  }

  /**
   * After a create that got no answer: the page it made, or undefined when the board shows none (the
   * caller then fails with the create's own error, and a resubmission looks again before saving).
   * Rejects with `unconfirmed` when the board cannot be asked: the page may exist.
   */
  async function findLanded(target: Board, task: NewTask, startedAt: number, error: NotionStoreError, log: Logger): Promise<PageObjectResponse | undefined> {
    let landed: PageObjectResponse | undefined;
    try {
      landed = await findEarlierSave(run, target, task, startedAt);
    } catch (lookError) {
      log.warn("task.answer_lost", { outcome: "unconfirmed", ...describeError(error), look_error_code: describeError(lookError).error_code });
      throw unconfirmed(task.requestKey, error);
    }
    unsure.delete(task.requestKey);
    log.info("task.answer_lost", { outcome: landed ? "found_on_board" : "not_on_board", ...describeError(error) });
    return landed;
  }

  /** The `unconfirmed` failure of `requestKey`'s save (caused by `error`), remembered until a look succeeds. */
  function unconfirmed(requestKey: string, error: unknown): NotionStoreError {
    unsure.add(requestKey);
    if (unsure.size > RECENT_KEYS) unsure.delete(unsure.values().next().value as string);
    return new NotionStoreError("unconfirmed", "Notion creating the task: no answer, and the board could not be checked for the page", { cause: error });
  }

  /** Notion's people as the snapshot keys them, read afresh. */
  async function readPeople(): Promise<Record<string, string>> {
    notionUsers = undefined;
    return Object.fromEntries([...(await people())].map(([email, id]) => [emailKey(email), id]));
  }

  /** The open tasks' pages, by due date then age, at most `maxPages` queries of `pageSize`. */
  const openPages = (target: Board, maxPages: number, pageSize: number) =>
    readOpenPages((action, work) => run(action, work), target, maxPages, pageSize);

  function remember(key: string, saved: SavedTask) {
    recent.set(key, { ...saved, existing: true, found: "remembered" });
    if (recent.size > RECENT_KEYS) recent.delete(recent.keys().next().value as string);
  }

  return {
    board,
    peekBoard: () => lastBoard,

    async createTask(task, { requesterEmail, log = options.log } = {}) {
      const known = recent.get(task.requestKey);
      if (known) return known;
      // A double click inside one warm instance joins the save already under way.
      const pending = inflight.get(task.requestKey);
      if (pending) return pending.then((saved) => ({ ...saved, existing: true, found: "remembered" as const }));
      const saving = save(task, requesterEmail, log);
      inflight.set(task.requestKey, saving);
      try {
        const saved = await saving;
        remember(task.requestKey, saved);
        return saved;
      } finally {
        inflight.delete(task.requestKey);
      }
    },

    async openTasks({ maxPages, pageSize = 100 }) {
      const target = await board();
      const read = await openPages(target, maxPages, pageSize);
      return { tasks: read.pages.map((p) => fromNotionPage(p, target)), complete: read.complete };
    },

    readSnapshot: (known) => readBoardSnapshot({ board, readPeople, openPages: (target) => openPages(target, SNAPSHOT_MAX_PAGES, 100), now, log: options.log }, known),

    readPeople,

    async tasksRequestedBy(requester, limit) {
      const target = await board();
      const byRequester = await personCondition(target, requester, "requester", notionUserIdFor);
      if (!byRequester) return { tasks: [] };
      const result = await run("reading your tasks", (client) =>
        client.dataSources.query({
          data_source_id: target.dataSourceId,
          filter: { and: [byRequester, ...notDone(target)] },
          sorts: [{ timestamp: "created_time", direction: "descending" }],
          page_size: Math.min(limit, 100),
        }),
      );
      return { tasks: result.results.filter(isFullPage).map((p) => fromNotionPage(p, target)) };
    },

    async openTasksOf(person, role, { pageSize }) {
      const target = await board();
      const byPerson = await personCondition(target, person, role, notionUserIdFor);
      if (!byPerson) return { tasks: [], complete: true, matched: false };
      const result = await run(role === "requester" ? "reading your requests" : "reading your assigned tasks", (client) =>
        client.dataSources.query({
          data_source_id: target.dataSourceId,
          filter: { and: [byPerson, ...notDone(target)] },
          sorts: dueThenCreated(target),
          page_size: Math.min(pageSize, 100),
        }),
      );
      const tasks = result.results.filter(isFullPage).map((p) => fromNotionPage(p, target));
      return { tasks, complete: !result.has_more, matched: true };
    },
  };
}
