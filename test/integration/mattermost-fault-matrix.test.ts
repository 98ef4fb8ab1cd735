/**
 * The fault matrix for Mattermost (fault-matrix.test.ts holds Slack's and Notion's, discord- and
 * teams-fault-matrix Discord's and Teams'): every Mattermost route the bot answers (`/task help`,
 * `/task list`, `/task <title>` opening the dialog, the dialog's submission, `/task remind <link>`
 * and `/task from <link>`, whether the post's read or what follows it fails, and the Start button)
 * under every way what it calls fails: Notion (500, no answer, 429 with Retry-After) and the
 * Mattermost server (500, 429 with Retry-After and X-Ratelimit-Reset as its rate limiter sends them,
 * no answer past the bot's deadline, an answer held past it that lands late). Every row: the request
 * is answered within the house deadline with a body Mattermost shows, a typed request is saved, kept
 * in the dialog (`{errors}`) or sent back, nothing is done twice, what cannot be finished is owed and
 * finished once later, and the request's log lines say what happened, without what was typed or a
 * token. Faults come from the emulators; a late answer is held and released by the test
 * (`releaseHeld`), never timed.
 */
import { describe, expect, it } from "vitest";
import { FAULTED_TIMEOUT_MS, HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import { MATTERMOST_SEED, type EmulatedDialog, type EmulatedPost, type MattermostFault } from "../../dev/mattermost-emulator.js";
import { startMattermostHarness, type MattermostAnswer, type MattermostHarness } from "../../dev/mattermost-harness.js";
import type { NotionRoute } from "../../dev/notion-emulator.js";
import { TASK_INPUTS } from "../../src/features/task-request/modal.js";
import { DEFAULT_ACK_DEADLINE_MS } from "../../src/runtime.js";
import { runMatrixRows } from "./matrix-rows.js";

const ROUTES = ["/task help", "/task list", "/task <title>", "dialog submission", "/task remind <link>", "/task remind <link>, post read", "/task from <link>", "/task from <link>, post read", "Start"] as const;
type Route = (typeof ROUTES)[number];
const FAULTS = ["notion_500", "notion_timeout", "notion_429", "mattermost_500", "mattermost_429", "mattermost_hang", "mattermost_held"] as const;
type Fault = (typeof FAULTS)[number];

/** What each row must show, beyond what every row must. */
type Outcome =
  /** The route did what it is for, as if nothing failed (or nothing it calls was touched). */
  | "works"
  /** The dialog stays open with why (what was typed is kept by Mattermost), or what was typed is sent back; nothing saved; sent again once Notion is back, saved once. */
  | "kept"
  /** The person is told why, in the request's answer, and to try again; nothing done. */
  | "told"
  /** Mattermost cannot be reached to say anything: a line names the failure; nothing is done twice. */
  | "logged"
  /** The server took the call but answered past the bot's deadline: logged as a timeout; what was sent lands late, once, and is not sent again. */
  | "late"
  /** The task moved; the requester's message is owed, and delivered once by the next task sync after the wait. */
  | "owed";

const NOTION: Record<Route, Outcome> = {
  "/task help": "works",
  // Lists come from the board: no snapshot yet, so the person is told why.
  "/task list": "told",
  // The board's priorities are a late addition: the dialog opens with the defaults.
  "/task <title>": "works",
  "dialog submission": "kept",
  // The reminder is posted without the board's link.
  "/task remind <link>": "works",
  "/task remind <link>, post read": "works",
  "/task from <link>": "works",
  "/task from <link>, post read": "works",
  Start: "told",
};
/** The Mattermost server failing: what is answered in the response still is; what goes through the API cannot be. */
const MATTERMOST: Record<Route, Outcome> = {
  "/task help": "works",
  "/task list": "works",
  // The dialog cannot open: the answer says why, with what was typed.
  "/task <title>": "told",
  // Saved, and the dialog closes; the confirmation and the announcement are what fail.
  "dialog submission": "logged",
  // The post cannot be read: the answer says why.
  "/task remind <link>": "told",
  // The reply cannot be posted: the person is told why, through the API, which fails too.
  "/task remind <link>, post read": "logged",
  "/task from <link>": "told",
  "/task from <link>, post read": "told",
  // Moved and redrawn in the answer; the requester's message is what fails.
  Start: "logged",
};

function outcomeOf(route: Route, fault: Fault): Outcome {
  if (fault.startsWith("notion_")) return NOTION[route];
  // Nothing was sent (a 429 carries nothing out): the requester's message is owed.
  if (route === "Start" && fault === "mattermost_429") return "owed";
  // What the server holds lands when it answers: a dialog opens after the person was told it could not.
  if (fault === "mattermost_held" && (MATTERMOST[route] === "logged" || route === "/task <title>" || route === "/task from <link>, post read")) return "late";
  return MATTERMOST[route];
}

const NOTION_ROUTES: NotionRoute[] = ["databases.retrieve", "dataSources.retrieve", "dataSources.query", "pages.create", "pages.retrieve", "pages.update", "blocks.children.append", "blocks.children.list", "users.list", "users.me", "users.retrieve"];
/** Longer than the bot waits in one invocation: what it cannot send now is owed. */
const RETRY_AFTER_SECONDS = 60;

/** What a person typed in the rows: none of it may reach a log. */
const TYPED = { title: "Fix the printer zq17", description: "Toner zq17 is out", message: "Can someone restart the build zq17?" };
const TYPED_MARK = "zq17";

/** Every post the bot made from `from` on, as who sees it where: a post made twice shows twice. */
const postTexts = (h: MattermostHarness, from = 0) => h.mattermost.posts.slice(from).filter((post) => post.user_id === MATTERMOST_SEED.botUserId).map((post) => `${post.channel_id} ${post.ephemeralFor ?? "all"} ${post.root_id} ${post.message} ${JSON.stringify(post.props)}`);
/** What Mattermost shows of an answer: a command's or a button's text, a dialog's errors. */
const shown = (answer: MattermostAnswer) => String(answer.json?.["text"] ?? answer.json?.["ephemeral_text"] ?? JSON.stringify(answer.json?.["errors"] ?? answer.json?.["error"] ?? ""));

/** The task dialog as `/task <title>` opens it. */
async function openedDialog(h: MattermostHarness): Promise<EmulatedDialog> {
  await h.command(TYPED.title);
  await h.settle();
  const dialog = h.mattermost.dialogs.at(-1);
  if (dialog === undefined) throw new Error(`no dialog opened:\n${h.logs.join("\n")}`);
  return dialog;
}
const filled = { [TASK_INPUTS.title]: TYPED.title, [TASK_INPUTS.description]: TYPED.description, [TASK_INPUTS.priority]: "High", [TASK_INPUTS.due]: null };

interface Prepared {
  /** Sends the request under the fault (again, as is, when the row sends it again). */
  send(): Promise<MattermostAnswer>;
  /** The effect's count (pages, reminders, messages to the requester). */
  saved?: () => number;
  /** Whether the route did what it is for, judged after the request (and its deferred work). */
  done(answer: MattermostAnswer): boolean;
  /** The person's next try from what they were shown, once the service is back. */
  again?(answer: MattermostAnswer): Promise<MattermostAnswer>;
  /** A call the request makes before the one the row faults (the post's read). */
  healthyFirst?: string[];
}

const bobsPost = (h: MattermostHarness) => h.mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: TYPED.message });

function remind(h: MattermostHarness, healthyFirst?: string[]): Prepared {
  const root = bobsPost(h);
  const replies = () => h.mattermost.posts.filter((post) => post.root_id === root.id && post.ephemeralFor === undefined).length;
  return { send: () => h.command(`remind ${h.mattermost.permalinkOf(root)}`), saved: replies, done: () => replies() === 1, ...(healthyFirst ? { healthyFirst } : {}) };
}

function from(h: MattermostHarness, healthyFirst?: string[]): Prepared {
  const root = bobsPost(h);
  const opened = () => h.mattermost.dialogs.filter((dialog) => JSON.stringify(dialog.dialog).includes("restart the build")).length;
  return { send: () => h.command(`from ${h.mattermost.permalinkOf(root)}`), saved: opened, done: () => opened() === 1, ...(healthyFirst ? { healthyFirst } : {}) };
}

/** Each route, made ready while all is well; the request under test is sent after the fault is set. */
const PREPARE: Record<Route, (h: MattermostHarness) => Promise<Prepared>> = {
  async "/task help"(h) {
    return { send: () => h.command("help"), done: (answer) => shown(answer).includes("/task list") };
  },
  async "/task list"(h) {
    return { send: () => h.command("list"), done: (answer) => shown(answer).includes("You have no open tasks") };
  },
  async "/task <title>"(h) {
    const opened = () => h.mattermost.dialogs.filter((dialog) => JSON.stringify(dialog.dialog).includes(TYPED.title)).length;
    return { send: () => h.command(TYPED.title), saved: opened, done: () => opened() === 1 };
  },
  async "dialog submission"(h) {
    const dialog = await openedDialog(h);
    const saved = () => h.notion.pages(h.board.dataSourceId).length;
    return {
      send: () => h.submit(dialog, filled),
      saved,
      // In the dialog still open, the same values; after it closed (what was typed sent back), a new one from /task.
      again: async (answer) => h.submit(answer.json?.["errors"] ? dialog : await openedDialog(h), filled),
      done: () => saved() === 1 && postTexts(h).some((text) => text.includes(h.notion.pages(h.board.dataSourceId)[0]!.url) && text.includes(MATTERMOST_SEED.alice)),
    };
  },
  "/task remind <link>": async (h) => remind(h),
  "/task remind <link>, post read": async (h) => remind(h, ["get_post"]),
  "/task from <link>": async (h) => from(h),
  "/task from <link>, post read": async (h) => from(h, ["get_post", "get_user"]),
  async Start(h) {
    // Alice's task, announced in ~tasks; Bob presses Start on it, so Alice is told.
    await h.submit(await openedDialog(h), filled);
    await h.settle();
    const announcement = h.mattermost.posts.find((post) => post.channel_id === MATTERMOST_SEED.tasks && JSON.stringify(post.props).includes('"name":"Start"'));
    if (announcement === undefined) throw new Error("the announcement has no Start button");
    const pageId = h.notion.pages(h.board.dataSourceId)[0]!.id;
    const told = () => {
      const dm = h.mattermost.directChannelOf(MATTERMOST_SEED.alice);
      return h.mattermost.posts.filter((post) => post.channel_id === dm && post.message.includes("Your task")).length;
    };
    const moved = () => JSON.stringify(h.notion.page(pageId)?.properties.Status).includes("In progress");
    // The press as Mattermost posts it, once: the same body each time (a stale client's second press).
    const action = h.mattermost.actionRequest(announcement, "Start", { userId: MATTERMOST_SEED.bob })!;
    return {
      async send() {
        const answer = await h.post("/mattermost/actions", JSON.stringify(action.body), { "content-type": "application/json" });
        if (answer.status === 200) h.mattermost.receiveActionResponse(announcement, MATTERMOST_SEED.bob, answer.json);
        return answer;
      },
      saved: told,
      done: (answer) => moved() && told() === 1 && JSON.stringify(answer.json?.["update"]).includes("In progress"),
    };
  },
};

interface Observation {
  answer: MattermostAnswer;
  ms: number;
  /** After the request and its deferred work (held calls released, when the row held them). */
  done: boolean;
  /** The request's own log lines. */
  lines: Record<string, unknown>[];
  /** Whether the request met the fault (a faulted call was made). */
  met: boolean;
  /** The effect's count after the request, and after what the row does later. */
  first: number | undefined;
  later: number | undefined;
  doneLater: boolean;
  /** Every post the bot made from the request on, and any dialog opened twice. */
  sentAfter: string[];
  dialogsAfter: string[];
  /** What the person was told: the answer, then (past the deadline, on a busy machine) through the response_url or an ephemeral post. */
  told: string;
  /** What was typed came back in a post, with why (the dialog had closed at the deadline). */
  sentBack: boolean;
  seen: string;
  allLogs: string;
}

function inject(h: MattermostHarness, fault: Fault, healthyFirst: string[]): void {
  const times = 1_000;
  // A route's own queue is read before "*": a no-op fault lets the request's first calls through.
  const mattermost = (what: MattermostFault) => {
    for (const route of healthyFirst) h.mattermost.fail(route, { kind: "delay", ms: 0 });
    h.mattermost.fail("*", what, { times });
  };
  switch (fault) {
    case "notion_500":
      return NOTION_ROUTES.forEach((route) => h.notion.fail(route, { kind: "error", status: 500, code: "internal_server_error" }, { times: Infinity }));
    case "notion_timeout":
      return NOTION_ROUTES.forEach((route) => h.notion.fail(route, { kind: "hang" }, { times: Infinity }));
    case "notion_429":
      return NOTION_ROUTES.forEach((route) => h.notion.fail(route, { kind: "rate_limited", retryAfterSeconds: RETRY_AFTER_SECONDS }, { times: Infinity }));
    case "mattermost_500":
      return mattermost({ kind: "error", status: 500, id: "app.post.save.app_error" });
    case "mattermost_429":
      return mattermost({ kind: "rate_limited", retryAfterSeconds: RETRY_AFTER_SECONDS });
    case "mattermost_hang":
      return mattermost({ kind: "hang" });
    case "mattermost_held":
      return mattermost({ kind: "hold" });
  }
}

async function runRow(route: Route, fault: Fault): Promise<Observation> {
  let offset = 0;
  const service = fault.startsWith("notion_") ? "notion" : "mattermost";
  const h = await startMattermostHarness({
    now: () => Date.now() + offset,
    env: { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks },
    notionTimeoutMs: service === "notion" ? FAULTED_TIMEOUT_MS : HEALTHY_TIMEOUT_MS,
    mattermostTimeoutMs: service === "mattermost" ? FAULTED_TIMEOUT_MS : HEALTHY_TIMEOUT_MS,
  });
  try {
    const prepared = await PREPARE[route](h);
    const logsFrom = h.logs.length;
    const postsFrom = h.mattermost.posts.length;
    const dialogsFrom = h.mattermost.dialogs.length;
    const responsesFrom = h.mattermost.responses.length;
    const notionFrom = h.notion.requests.length;
    const callsFrom = h.mattermost.calls.length;
    inject(h, fault, prepared.healthyFirst ?? []);
    const started = performance.now();
    const answer = await prepared.send();
    const ms = performance.now() - started;
    await h.settle();
    // Every line from here is this request's or its deferred work's: one request is sent.
    const requestId = h.logs.slice(logsFrom).map((line) => (JSON.parse(line) as { request_id?: string }).request_id).find((id) => id !== undefined);
    const ofRequest = () => h.logs.slice(logsFrom).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.request_id === requestId);
    const faultedCalls = h.mattermost.calls.slice(callsFrom).length - (prepared.healthyFirst?.length ?? 0);
    const met = service === "notion" ? h.notion.requests.length > notionFrom : faultedCalls > 0;
    // A call held past the bot's deadline lands now, once: the bot must not have sent it again.
    if (fault === "mattermost_held") {
      await h.mattermost.releaseHeld();
      await h.settle();
    }
    const done = prepared.done(answer);
    const sentBack = postTexts(h, postsFrom).some((text) => text.includes(TYPED.description) && text.includes("everything you typed"));
    const first = prepared.saved?.();
    const seen = `${answer.text}\n${postTexts(h).join("\n")}`;
    const toldLater = [...h.mattermost.responses.slice(responsesFrom).map((response) => JSON.stringify(response.body)), ...h.mattermost.posts.slice(postsFrom).filter((post) => post.ephemeralFor !== undefined).map((post) => post.message)];
    const told = [shown(answer), ...toldLater].join("\n");
    const lines = ofRequest();

    // Later: the service is back. What was kept is sent again; what was owed is delivered by the
    // next task sync after its wait.
    h.notion.reset();
    h.mattermost.clearFaults();
    await h.mattermost.releaseHeld();
    offset += (RETRY_AFTER_SECONDS + 1) * 1_000;
    let later = answer;
    if (outcomeOf(route, fault) === "kept" && prepared.again) {
      later = await prepared.again(answer);
      await h.settle();
    }
    await h.runSchedule("task-sync");
    await h.settle();
    await h.runSchedule("task-sync");
    await h.settle();
    const sentAfter = postTexts(h, postsFrom);
    const dialogsAfter = h.mattermost.dialogs.slice(dialogsFrom).map((dialog) => JSON.stringify(dialog.dialog.elements));
    return { answer, ms, done, lines, met, first, later: prepared.saved?.(), doneLater: prepared.done(later), sentAfter, dialogsAfter, told, sentBack, seen, allLogs: h.logs.join("\n") };
  } finally {
    await h.close();
  }
}

const ROWS = ROUTES.flatMap((route) => FAULTS.map((fault) => [route, fault, outcomeOf(route, fault)] as const));
const PARALLEL_ROWS = 8;
/** The house deadline (runtime.ts) with room for a busy two-core machine; Mattermost itself waits 30 s for a command (ServiceSettings' outgoing integrations timeout). */
const ANSWER_WINDOW_MS = DEFAULT_ACK_DEADLINE_MS + 1_000;

const { results, unhandled } = runMatrixRows(ROWS, runRow, { parallel: PARALLEL_ROWS });

describe("every Mattermost route under every fault", () => {
  it.each(ROWS)("%s, %s: %s", (route, fault, outcome) => {
    const observed = results.get(`${route} ${fault}`);
    if (observed instanceof Error) throw observed;
    const o = observed!;
    const context = `seen:\n${o.seen}\nlog:\n${o.lines.map((line) => JSON.stringify(line)).join("\n")}`;

    // Answered within the deadline, 200 with JSON Mattermost reads, never the bare "went wrong".
    expect(o.ms, "answered within the house deadline").toBeLessThan(ANSWER_WINDOW_MS);
    expect(o.answer.status).toBe(200);
    expect(o.answer.json, "a body Mattermost reads").toBeDefined();
    expect(o.told, context).not.toMatch(/Something went wrong on my side/);

    switch (outcome) {
      case "works":
        expect(o.done, `the route still works; ${context}`).toBe(true);
        break;
      case "kept": {
        // In the dialog (Mattermost keeps what was typed in it), or (past the deadline: the dialog closed) sent back.
        const errors = o.answer.json?.["errors"];
        if (errors !== undefined) expect(JSON.stringify(errors), "why it was not saved").toMatch(/Not saved|couldn't|can't tell/);
        else expect(o.sentBack, `the dialog stays open, or what was typed is sent back; ${context}`).toBe(true);
        expect(o.first, "nothing saved").toBe(0);
        expect(o.later, "sent again once Notion is back: saved once").toBe(1);
        expect(o.doneLater, context).toBe(true);
        break;
      }
      case "told":
        expect(o.done, context).toBe(false);
        // A wait the server gave is passed on as given.
        if (fault === "mattermost_429") expect(o.told, context).toContain(`in ${RETRY_AFTER_SECONDS} seconds`);
        expect(o.told, `the person is told why, and to try again; ${context}`).toMatch(/try again|Try again/);
        if (o.first !== undefined) expect(o.first, "nothing done, also after the held calls landed").toBe(0);
        break;
      case "logged":
        expect(o.done, `Mattermost could not be reached; ${context}`).toBe(false);
        break;
      case "late":
        // A dialog held past the deadline: the person is told it may still open (it does, once, below).
        if (route === "/task <title>" || route.startsWith("/task from")) expect(o.told, context).toMatch(/may not have opened: if it opens after all, use it/);
        // The bot gave up at its deadline; what it sent lands when the server answers, once.
        expect(o.lines.some((line) => line.error_code === "timeout" || line.error_code === "mattermost_timeout" || String(line.error_cause ?? "").includes("timeout")), `the line says the server did not answer in time; ${context}`).toBe(true);
        break;
      case "owed":
        expect(o.first, "not told yet").toBe(0);
        expect(o.lines.some((line) => line.event === "task_status.owed"), `owed; ${context}`).toBe(true);
        expect(o.later, "told once, by the next task sync").toBe(1);
        break;
    }

    // Nothing done twice, also after the held calls landed and the syncs ran.
    expect(o.sentAfter.filter((text, index) => o.sentAfter.indexOf(text) !== index), "no post made twice").toEqual([]);
    expect(o.dialogsAfter.filter((text, index) => o.dialogsAfter.indexOf(text) !== index), "no dialog opened twice").toEqual([]);
    if (o.first !== undefined) expect(o.first).toBeLessThanOrEqual(1);
    if (o.later !== undefined) expect(o.later).toBeLessThanOrEqual(1);

    // The request's line says what happened; when the fault was met, a line of the request names it.
    const request = o.lines.filter((line) => line.event === "request");
    expect(request).toHaveLength(1);
    expect(request[0]!.outcome).toEqual(expect.any(String));
    // A route that still works may have answered before what it met failed (a busy machine at the deadline): then its line says ok.
    if (o.met && !(outcome === "works" && request[0]!.outcome === "ok")) expect(o.lines.some((line) => typeof line.error_code === "string"), `a line names the failure; ${context}`).toBe(true);
    else expect(request[0]!.outcome, context).toBe("ok");
    // Never what was typed or a token.
    expect(o.allLogs).not.toContain(TYPED_MARK);
    expect(o.allLogs).not.toContain(MATTERMOST_SEED.botToken);
    expect(o.allLogs).not.toContain(MATTERMOST_SEED.commandToken);
  });

  it("no row left an unhandled rejection", () => {
    expect(unhandled).toEqual([]);
  });
});

describe("a private answer that may have landed", () => {
  /** Alice's dialog, submitted while Notion is well and the server holds `route` past the bot's deadline. */
  async function submitHolding(route: string) {
    const h = await startMattermostHarness({ env: { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks }, mattermostTimeoutMs: FAULTED_TIMEOUT_MS });
    const dialog = await openedDialog(h);
    h.mattermost.fail(route, { kind: "hold" });
    const answer = await h.submit(dialog, filled);
    await h.settle();
    expect(await h.mattermost.releaseHeld()).toBe(1);
    await h.settle();
    const url = h.notion.pages(h.board.dataSourceId)[0]!.url;
    const confirmations = h.mattermost.posts.filter((post) => post.channel_id !== MATTERMOST_SEED.tasks && post.message.includes(url));
    return { h, answer, confirmations };
  }

  it("is not sent again by another road: the confirmation's ephemeral post answered past the deadline lands once, and no direct message repeats it", async () => {
    const { h, answer, confirmations } = await submitHolding("create_ephemeral_post");
    try {
      expect(answer.json).toEqual({});
      expect(confirmations.map((post) => post.ephemeralFor)).toEqual([MATTERMOST_SEED.alice]);
      expect(h.mattermost.callsTo("create_direct_channel")).toEqual([]);
      expect(h.logs.some((line) => line.includes('"error_code":"timeout"'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  it("a confirmation that failed does not keep the task from its announcement, nor say the saved task was not saved", async () => {
    const { h, confirmations } = await submitHolding("create_ephemeral_post");
    try {
      expect(confirmations).toHaveLength(1);
      expect(h.mattermost.posts.filter((post) => post.channel_id === MATTERMOST_SEED.tasks && post.ephemeralFor === undefined)).toHaveLength(1);
      expect(h.logs.join("\n")).not.toContain("task.save_failed");
    } finally {
      await h.close();
    }
  });

  it("after a save that outlasted the answer, a confirmation that failed never tells the requester the saved task was not saved", async () => {
    const h = await startMattermostHarness({ env: { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks }, ackDeadlineMs: 50 });
    try {
      const dialog = await openedDialog(h);
      // The save outlasts the 50 ms answer; the "saving" notice and the confirmation both meet a 502.
      h.notion.fail("pages.create", { kind: "delay", ms: 300 });
      h.mattermost.fail("create_ephemeral_post", { kind: "error", status: 502, id: "api.post.create_post.app_error" }, { times: 2 });
      expect((await h.submit(dialog, filled)).json).toEqual({});
      await h.settle();
      expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
      expect(h.logs.join("\n")).not.toContain("task.save_failed");
      expect(h.mattermost.posts.filter((post) => post.message.includes("couldn't save"))).toEqual([]);
      expect(h.mattermost.posts.filter((post) => post.channel_id === MATTERMOST_SEED.tasks)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it("a rate-limited confirmation does not keep the announcement from being owed and posted once, by the next task sync after the wait", async () => {
    let offset = 0;
    const h = await startMattermostHarness({ now: () => Date.now() + offset, env: { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks }, mattermostTimeoutMs: FAULTED_TIMEOUT_MS });
    try {
      const dialog = await openedDialog(h);
      h.mattermost.fail("*", { kind: "rate_limited", retryAfterSeconds: RETRY_AFTER_SECONDS }, { times: 1_000 });
      expect((await h.submit(dialog, filled)).json).toEqual({});
      await h.settle();
      expect(h.logs.some((line) => line.includes('"event":"task.announce_owed"'))).toBe(true);
      h.mattermost.clearFaults();
      offset += (RETRY_AFTER_SECONDS + 1) * 1_000;
      for (const _ of [1, 2]) {
        await h.runSchedule("task-sync");
        await h.settle();
      }
      expect(h.mattermost.posts.filter((post) => post.channel_id === MATTERMOST_SEED.tasks)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it("a command's answer through its response_url, answered past the deadline, is not posted again as an ephemeral post", async () => {
    const h = await startMattermostHarness({ mattermostTimeoutMs: FAULTED_TIMEOUT_MS, ackDeadlineMs: 50 });
    try {
      // Notion held past the 50 ms deadline: the list is answered later, through the response_url.
      h.notion.fail("dataSources.query", { kind: "delay", ms: 300 });
      h.mattermost.fail("response_url", { kind: "hold" });
      await h.command("list");
      await h.settle();
      expect(await h.mattermost.releaseHeld()).toBe(1);
      await h.settle();
      expect(h.mattermost.responses).toHaveLength(1);
      expect(h.mattermost.callsTo("create_ephemeral_post")).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
