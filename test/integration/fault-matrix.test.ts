/**
 * The fault matrix: every remote call the bot makes, in the flows that make it, under every way a
 * call fails: refused (Slack's `ok:false`, a Notion 4xx), 429 with Retry-After, 500, 503, no answer
 * until the timeout, and connection refused. Each row shows the flow's defined outcome, and every
 * row checks the same promises: acknowledged in under 3 s, the person told in words they can act on
 * (or the flow still works), their input kept or sent back, nothing written twice, no claim that
 * something failed when it landed, a log line that says what failed, and no unhandled rejection.
 *
 * One table (MATRIX), keyed by Slack method and Notion route. A call the product makes without
 * rows fails "every remote call has a row for every fault": calls are collected from the Slack port
 * (a new SlackApi method does not compile until it is named in SLACK_PORT) and from the emulators
 * across a run of every flow's happy path.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../../src/features/process-reminder/reminder-message.js";
import { COMPLETE_TASK_ACTION } from "../../src/features/task-status/status-buttons.js";
import { HOME_NEW_TASK_ACTION } from "../../src/platforms/slack/home/home-view.js";
import { CREATE_TASK_FROM_MENTION_ACTION } from "../../src/platforms/slack/mention/answer-mention.js";
import { createSlackApi, type SlackApi } from "../../src/platforms/slack/client.js";
import { FAULTED_TIMEOUT_MS, HEALTHY_TIMEOUT_MS, startHarness, type Answer, type Harness, type HarnessOptions } from "../../dev/harness.js";
import { REFUSED_ORIGIN } from "../../dev/netlify-dev.js";
import type { NotionFault, NotionRoute } from "../../dev/notion-emulator.js";
import { imChannelIdFor, SLACK_SEED, type OpenedView, type SlackFault } from "../../dev/slack-emulator.js";
import { appHomeOpened, appMention, clickButton, clickEphemeralButton, clickHomeButton, eventCallback, messageAction, messageTs, slackMessage } from "../../dev/slack-payloads.js";
import type { BlobsFault } from "../../dev/blobs-server.js";

// ---------------------------------------------------------------------------------------------
// Calls and faults

type SlackMethod = "views.open" | "views.update" | "views.publish" | "chat.postMessage" | "chat.postEphemeral" | "chat.getPermalink" | "users.info" | "response_url";
/** The store's calls, by what they do: a claim writes (and reads last week's key, or the claim it lost to). */
type StoreCall = "write" | "read" | "delete";
type RemoteCall = `slack ${SlackMethod}` | `notion ${NotionRoute}` | `store ${StoreCall}`;

const STORE_METHODS: Record<StoreCall, string> = { write: "PUT", read: "GET", delete: "DELETE" };

/** Every method of the Slack port and the call it makes. */
const SLACK_PORT: Record<keyof SlackApi, SlackMethod> = {
  openView: "views.open",
  updateView: "views.update",
  publishView: "views.publish",
  postMessage: "chat.postMessage",
  postEphemeral: "chat.postEphemeral",
  respond: "response_url",
  getPermalink: "chat.getPermalink",
  getUser: "users.info",
};

const FAULTS = ["refused", "rate_limited", "server_error_500", "unavailable_503", "no_answer", "connection_refused"] as const;
type FaultName = (typeof FAULTS)[number];

/** Slack's `ok:false` code for each method: a realistic refusal (the response_url has no `ok`: it answers 404). */
const SLACK_REFUSALS: Record<Exclude<SlackMethod, "response_url">, string> = {
  "views.open": "expired_trigger_id",
  "views.update": "not_found",
  // A Home tab the app settings have not enabled.
  "views.publish": "not_enabled",
  "chat.postMessage": "not_in_channel",
  "chat.postEphemeral": "user_not_in_channel",
  "chat.getPermalink": "message_not_found",
  "users.info": "user_not_found",
};

function slackFault(method: SlackMethod, fault: Exclude<FaultName, "connection_refused">): SlackFault {
  switch (fault) {
    case "refused":
      return method === "response_url" ? { kind: "http", status: 404 } : { kind: "error", error: SLACK_REFUSALS[method] };
    case "rate_limited":
      return { kind: "rate_limited", retryAfterSeconds: 1 };
    case "server_error_500":
      return { kind: "http", status: 500 };
    case "unavailable_503":
      return { kind: "http", status: 503 };
    case "no_answer":
      return { kind: "hang" };
  }
}

function storeFault(fault: Exclude<FaultName, "connection_refused">): BlobsFault {
  switch (fault) {
    case "refused":
      return { kind: "status", status: 401 };
    case "rate_limited":
      return { kind: "status", status: 429 };
    case "server_error_500":
      return { kind: "status", status: 500 };
    case "unavailable_503":
      return { kind: "status", status: 503 };
    case "no_answer":
      return { kind: "hang" };
  }
}

function notionFault(route: NotionRoute, fault: Exclude<FaultName, "connection_refused">): NotionFault {
  switch (fault) {
    case "refused":
      if (route === "databases.retrieve" || route === "dataSources.retrieve") return { kind: "error", status: 404, code: "object_not_found" };
      if (route === "users.list") return { kind: "error", status: 403, code: "restricted_resource" };
      // A page or user the integration may not read (not shared, deleted): Notion says it does not exist.
      if (route === "pages.retrieve" || route === "users.retrieve" || route === "blocks.children.list") return { kind: "error", status: 404, code: "object_not_found" };
      return { kind: "error", status: 400, code: "validation_error", message: "body failed validation: body.properties.Priority.select.name should be an option" };
    case "rate_limited":
      return { kind: "rate_limited", retryAfterSeconds: 1 };
    case "server_error_500":
      return { kind: "error", status: 500, code: "internal_server_error" };
    case "unavailable_503":
      // A proxy's HTML page, not Notion's JSON: the shape a 503 often has.
      return { kind: "http", status: 503 };
    case "no_answer":
      return { kind: "hang" };
  }
}

/** Which call a request is, from its URL: a Slack method, the response_url, or a Notion route. */
function callOf(url: URL, method: string, origins: { slack: string; notion: string; store: string }): RemoteCall | undefined {
  if (url.origin === origins.store) {
    const verb = method.toUpperCase();
    return verb === "PUT" ? "store write" : verb === "DELETE" ? "store delete" : "store read";
  }
  if (url.origin === origins.slack) {
    if (url.pathname.startsWith("/api/")) return `slack ${url.pathname.slice("/api/".length)}` as RemoteCall;
    if (url.pathname.startsWith("/actions/")) return "slack response_url";
    return undefined;
  }
  if (url.origin !== origins.notion) return undefined;
  const routes: [string, RegExp, NotionRoute][] = [
    ["GET", /^\/v1\/databases\/[^/]+$/, "databases.retrieve"],
    ["GET", /^\/v1\/data_sources\/[^/]+$/, "dataSources.retrieve"],
    ["POST", /^\/v1\/data_sources\/[^/]+\/query$/, "dataSources.query"],
    ["POST", /^\/v1\/pages$/, "pages.create"],
    ["PATCH", /^\/v1\/pages\/[^/]+$/, "pages.update"],
    ["GET", /^\/v1\/pages\/[^/]+$/, "pages.retrieve"],
    ["PATCH", /^\/v1\/blocks\/[^/]+\/children$/, "blocks.children.append"],
    ["GET", /^\/v1\/blocks\/[^/]+\/children$/, "blocks.children.list"],
    ["GET", /^\/v1\/users$/, "users.list"],
    ["GET", /^\/v1\/users\/me$/, "users.me"],
    ["GET", /^\/v1\/users\/[^/]+$/, "users.retrieve"],
  ];
  const route = routes.find(([verb, path]) => verb === method.toUpperCase() && path.test(url.pathname));
  return route ? `notion ${route[2]}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// The flows: what a person does, and what they saw

const TYPED = { command: "Fix the printer on floor 3", title: "Order new toner", description: "The cyan one.\n\nBefore Friday, please." };
const MESSAGE = "Can someone restart the build server?";

interface Observation {
  /** The answer to the request under fault. */
  answer: Answer;
  /** Everything the person was shown about it: the answer, response_url messages, ephemerals, DMs, modal updates. */
  seen: string[];
  /** The flow did what it is for (a modal opened, a task saved and linked, a reminder or review posted). */
  succeeded: boolean;
  /** For typed input: whether it was kept (modal left open, prefilled), sent back or saved. */
  inputSafe?: boolean;
  /** The flow's writes (pages, reminders, reviews) after the request under fault. */
  firstWrites?: number;
  /** The same after the person's retry, when there was one; otherwise `firstWrites`. */
  writes?: number;
  /** Whether the person tried again, once the service was back: then the write must have landed exactly once. */
  retried?: boolean;
  /** The request id of the request under fault. */
  requestId: string;
}

interface Flow {
  harness?: HarnessOptions;
  /** Runs the flow: `inject` applies the fault just before the request under test, `clear` removes it. */
  run(h: Harness, inject: () => void, clear: () => void): Promise<Observation>;
  /**
   * Nobody waits on a schedule: its defined outcome for a failure is its log line, an event named
   * `scheduled.logs` with the fix. Nobody waits on a Notion webhook either (`notion`): it is answered
   * 200 whatever happens after, and a failure is its request's log line.
   */
  scheduled?: { logs: string };
  notion?: boolean;
}

/** What `user` was shown: texts of the answer, response_url posts, ephemerals and DMs to them, and modal updates. */
function seenBy(h: Harness, user: string, answer: Answer, responseUrls: readonly string[]): string[] {
  const json = answer.json ?? {};
  const fromAnswer = [
    typeof json.text === "string" ? json.text : "",
    json.blocks ? JSON.stringify(json.blocks) : "",
    ...Object.values((json.errors as Record<string, string> | undefined) ?? {}),
    json.view ? JSON.stringify(json.view) : "",
  ];
  const responses = h.slack.responses.filter((response) => responseUrls.includes(response.url)).map((response) => `${String(response.body.text)} ${JSON.stringify(response.body.blocks ?? [])}`);
  const messages = h.slack.messages.filter((message) => (message.kind === "ephemeral" && message.user === user) || message.channel === imChannelIdFor(user)).map((message) => message.text);
  const updates = h.slack.callsTo("views.update").map((call) => JSON.stringify(call.args.view));
  return [...fromAnswer, ...responses, ...messages, ...updates].filter((text) => text.trim() !== "");
}

function lastRequestId(h: Harness): string {
  const lines = h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === "request");
  return String(lines.at(-1)?.request_id);
}

async function openModal(h: Harness): Promise<{ view: OpenedView; responseUrl: string }> {
  const responseUrl = h.slack.responseUrl();
  return { view: await h.openTaskModal("", { response_url: responseUrl }), responseUrl };
}

/** Submitting the task modal (opened with /task before the fault); when kept open, pressing Create again once the service is back. */
function submitFlow(variant: { harness?: HarnessOptions; description?: string; withoutResponseUrl?: boolean; setup?: (h: Harness) => void; beforeSubmit?: (h: Harness) => void } = {}): Flow {
  return {
    ...(variant.harness ? { harness: variant.harness } : {}),
    async run(h, inject, clear) {
      variant.setup?.(h);
      const opened = await openModal(h);
      const view = variant.withoutResponseUrl ? { ...opened.view, view: { ...opened.view.view, private_metadata: JSON.stringify({ channelId: SLACK_SEED.general }) } } : opened.view;
      const fields = { title: TYPED.title, description: variant.description ?? TYPED.description };
      // This request's pages: by its Request ID, or on a board without one, by the mark in the body.
      const saved = () => h.notion.pages(h.board.dataSourceId).filter((page) => JSON.stringify([page.properties, h.notion.children(page.id)]).includes(`slack-view:${view.id}"`));
      variant.beforeSubmit?.(h);
      inject();
      const answer = await h.submitTaskModal(view, fields);
      const requestId = lastRequestId(h);
      await h.settle();
      const seen = seenBy(h, SLACK_SEED.alice, answer, [opened.responseUrl]);
      const firstWrites = saved().length;
      const linked = firstWrites === 1 && seen.some((text) => text.includes(saved()[0]!.url));
      const sentBack = seen.some((text) => text.includes(TYPED.title) && text.includes("The cyan one."));
      const keptOpen = answer.json?.response_action === "errors";
      if (keptOpen) {
        clear();
        await h.submitTaskModal(view, fields);
        await h.settle();
      }
      return { answer, seen, succeeded: linked, inputSafe: firstWrites === 1 || keptOpen || sentBack, firstWrites, writes: saved().length, retried: keptOpen, requestId };
    },
  };
}

/** `/task <text>`: the modal opens prefilled, or the person is told, with their text. */
const openFlow: Flow = {
  async run(h, inject) {
    const responseUrl = h.slack.responseUrl();
    const before = h.slack.views.length;
    inject();
    const answer = await h.command(TYPED.command, { response_url: responseUrl });
    const requestId = lastRequestId(h);
    await h.settle();
    const seen = seenBy(h, SLACK_SEED.alice, answer, [responseUrl]);
    const opened = h.slack.views.length > before;
    return { answer, seen, succeeded: opened, inputSafe: opened || seen.some((text) => text.includes(TYPED.command)), requestId };
  },
};

/** A message shortcut (or the reminder's button) that opens the modal prefilled from a message. */
function shortcutFlow(kind: "shortcut" | "button"): Flow {
  return {
    async run(h, inject) {
      // A message without user_profile, so the author's name is asked with users.info.
      const message = slackMessage({ user: SLACK_SEED.alice, text: MESSAGE });
      let payload: (triggerId: string, responseUrl: string) => Record<string, unknown>;
      if (kind === "button") {
        await h.interact(messageAction({ callbackId: "remind_process", message, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
        await h.settle();
        const reminder = h.slack.messages.find((posted) => posted.kind === "message" && posted.thread_ts === message.ts)!;
        payload = (triggerId, responseUrl) => clickButton(reminder, CREATE_TASK_FROM_REMINDER_ACTION, { triggerId, responseUrl });
      } else {
        payload = (triggerId, responseUrl) => messageAction({ callbackId: "create_task", user: SLACK_SEED.bob, message, triggerId, responseUrl });
      }
      const responseUrl = h.slack.responseUrl();
      const before = h.slack.views.length;
      inject();
      const answer = await h.interact(payload(h.slack.triggerId(SLACK_SEED.bob), responseUrl));
      const requestId = lastRequestId(h);
      await h.settle();
      const seen = seenBy(h, SLACK_SEED.bob, answer, [responseUrl]);
      return { answer, seen, succeeded: h.slack.views.length > before, requestId };
    },
  };
}

/** "Remind of process": the reply in the thread, posted once, also when the clicker tries again. */
const remindFlow: Flow = {
  async run(h, inject, clear) {
    const message = slackMessage({ user: SLACK_SEED.alice, text: MESSAGE });
    const reminders = () => h.slack.messages.filter((posted) => posted.kind === "message" && posted.thread_ts === message.ts).length;
    const remind = (responseUrl: string) => h.interact(messageAction({ callbackId: "remind_process", user: SLACK_SEED.bob, message, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl }));
    const responseUrl = h.slack.responseUrl();
    inject();
    const answer = await remind(responseUrl);
    const requestId = lastRequestId(h);
    await h.settle();
    const seen = seenBy(h, SLACK_SEED.bob, answer, [responseUrl]);
    const firstWrites = reminders();
    if (firstWrites === 0) {
      clear();
      await remind(h.slack.responseUrl());
      await h.settle();
    }
    return { answer, seen, succeeded: firstWrites === 1, firstWrites, writes: reminders(), retried: firstWrites === 0, requestId };
  },
};

/** `/task list` and `/task review`: read the board and show it, now or through the response_url. */
function readFlow(subcommand: "list" | "review"): Flow {
  return {
    async run(h, inject) {
      h.notion.addPage(h.board.dataSourceId, {
        Name: { title: [{ text: { content: "Seeded task of Alice" } }] },
        Status: { status: { name: "Not started" } },
        "Requested by": { rich_text: [{ text: { content: "alice (U0ALICE)" } }] },
      });
      const responseUrl = h.slack.responseUrl();
      inject();
      const answer = await h.command(subcommand, { response_url: responseUrl });
      const requestId = lastRequestId(h);
      await h.settle();
      const seen = seenBy(h, SLACK_SEED.alice, answer, [responseUrl]);
      return { answer, seen, succeeded: seen.some((text) => text.includes("Seeded task of Alice")), requestId };
    },
  };
}

/** What `user` sees of the bot's answers to their events, blocks included: their Home tab, replies in a thread, ephemerals. */
function seenInSlack(h: Harness, user: string, threadTs?: string): string[] {
  const home = h.slack.homeView(user);
  const answers = h.slack.messages
    .filter((message) => (message.kind === "message" && threadTs !== undefined && message.thread_ts === threadTs) || (message.kind === "ephemeral" && message.user === user))
    .map((message) => `${message.text} ${JSON.stringify(message.blocks ?? [])}`);
  return [...(home ? [JSON.stringify(home.view.blocks)] : []), ...answers];
}

/** A task on the board that Alice asked for (and does: Alice is a Notion user, so Assigned to me is read too). */
function seedAlicesTask(h: Harness): void {
  const alice = h.notion.addUser({ name: "Alice", email: "alice@example.com" });
  h.notion.addPage(h.board.dataSourceId, {
    Name: { title: [{ text: { content: "Seeded task of Alice" } }] },
    Status: { status: { name: "Not started" } },
    "Requested by": { rich_text: [{ text: { content: "alice (U0ALICE)" } }] },
    Assignee: { people: [{ id: alice.id }] },
  });
}

/** Alice opens the Home tab: it is published with her task, or shows why the board could not be read. */
const homeFlow: Flow = {
  async run(h, inject) {
    seedAlicesTask(h);
    inject();
    const answer = await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.alice })));
    const requestId = lastRequestId(h);
    await h.settle();
    const seen = [...seenBy(h, SLACK_SEED.alice, answer, []), ...seenInSlack(h, SLACK_SEED.alice)];
    return { answer, seen, succeeded: seen.some((text) => text.includes("Seeded task of Alice")), requestId };
  },
};

/** `@chatops list` (or any other text, offered as a task) in #general: the answer in the thread, or privately. */
function mentionFlow(text: "list" | "offer"): Flow {
  return {
    async run(h, inject) {
      seedAlicesTask(h);
      const ts = messageTs();
      inject();
      const answer = await h.event(eventCallback(appMention({ text: text === "list" ? "list" : "please track: the build server is down", ts })));
      const requestId = lastRequestId(h);
      await h.settle();
      const seen = [...seenBy(h, SLACK_SEED.alice, answer, []), ...seenInSlack(h, SLACK_SEED.alice, ts)];
      const expected = text === "list" ? "Seeded task of Alice" : CREATE_TASK_FROM_MENTION_ACTION;
      return { answer, seen, succeeded: seen.some((shown) => shown.includes(expected)), requestId };
    },
  };
}

/** A button that opens the task modal from an event's answer: the mention's reply, or the Home tab's New task. */
function eventButtonFlow(kind: "mention" | "home"): Flow {
  return {
    async run(h, inject) {
      let click: (triggerId: string) => Record<string, unknown>;
      if (kind === "mention") {
        const ts = messageTs();
        await h.event(eventCallback(appMention({ text: MESSAGE, ts })));
        await h.settle();
        const reply = h.slack.messages.find((posted) => posted.kind === "message" && posted.thread_ts === ts)!;
        click = (triggerId) => clickButton(reply, CREATE_TASK_FROM_MENTION_ACTION, { user: SLACK_SEED.bob, triggerId, responseUrl: h.slack.responseUrl() });
      } else {
        await h.event(eventCallback(appHomeOpened({ user: SLACK_SEED.bob })));
        await h.settle();
        click = (triggerId) => clickHomeButton(h.slack.homeView(SLACK_SEED.bob)!, HOME_NEW_TASK_ACTION, { triggerId });
      }
      const before = h.slack.views.length;
      inject();
      const answer = await h.interact(click(h.slack.triggerId(SLACK_SEED.bob)));
      const requestId = lastRequestId(h);
      await h.settle();
      const seen = seenBy(h, SLACK_SEED.bob, answer, h.slack.responses.map((response) => response.url));
      return { answer, seen, succeeded: h.slack.views.length > before, requestId };
    },
  };
}

/** The scheduled weekly review: posted once, or a log line saying what failed and how to fix it. */
const scheduleFlow: Flow = {
  scheduled: { logs: "weekly_review" },
  async run(h, inject) {
    h.notion.addPage(h.board.dataSourceId, { Name: { title: [{ text: { content: "Seeded open task" } }] }, Status: { status: { name: "Not started" } } });
    const reviews = () => h.slack.messages.filter((posted) => posted.kind === "message" && posted.channel === SLACK_SEED.general && posted.thread_ts === undefined).length;
    inject();
    const answer = await h.runWeeklyReview();
    const requestId = lastRequestId(h);
    await h.settle();
    return { answer, seen: [], succeeded: reviews() === 1, firstWrites: reviews(), writes: reviews(), requestId };
  },
};

/** A task Alice made with /task, and the response_url its confirmation (with the status buttons) went to. */
async function aliceTask(h: Harness): Promise<{ pageId: string; responseUrl: string }> {
  const responseUrl = h.slack.responseUrl();
  await h.command(TYPED.title, { response_url: responseUrl });
  await h.settle();
  await h.submitTaskModal(h.slack.views.at(-1)!, { title: TYPED.title });
  await h.settle();
  const page = h.notion.pages(h.board.dataSourceId).find((candidate) => JSON.stringify(candidate.properties.Name).includes(TYPED.title))!;
  return { pageId: page.id, responseUrl };
}

const dmsToAlice = (h: Harness) => h.slack.messages.filter((message) => message.kind === "message" && message.channel === imChannelIdFor(SLACK_SEED.alice)).length;
const statusName = (h: Harness, pageId: string) => (h.notion.page(pageId)?.properties.Status as { status: { name: string } | null } | undefined)?.status?.name;

/** The webhook delivery as the answer to the request under test: Notion is the one waiting. */
function deliveryAnswer(delivery: { status: number | undefined } | undefined, ms: number): Answer {
  return { status: delivery?.status ?? 0, text: "", json: undefined, ms };
}

/** A person moves Alice's task to Done in Notion: Alice gets one direct message, or the failure is logged; Notion always gets 200. */
const notionEventFlow: Flow = {
  notion: true,
  async run(h, inject) {
    const { pageId } = await aliceTask(h);
    inject();
    const started = performance.now();
    const delivery = await h.notion.setStatus(pageId, "Done");
    const ms = performance.now() - started;
    await h.settle();
    const told = dmsToAlice(h);
    return { answer: deliveryAnswer(delivery, ms), seen: [], succeeded: told === 1, firstWrites: told, writes: told, requestId: lastRequestId(h) };
  },
};

/** Alice presses Done on her confirmation; Notion's event about the bot's own write says nothing, whoever Notion says the bot is. */
const ownChangeFlow: Flow = {
  notion: true,
  async run(h, inject) {
    const { responseUrl } = await aliceTask(h);
    const confirmation = h.slack.responses.filter((response) => response.url === responseUrl).at(-1)!.body as { blocks?: unknown[] };
    inject();
    await h.interact(clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    const delivery = h.notion.webhooks.deliveries.at(-1);
    return { answer: deliveryAnswer(delivery, 0), seen: [], succeeded: delivery !== undefined && dmsToAlice(h) === 0, requestId: lastRequestId(h) };
  },
};

/** Alice presses Done on her confirmation: the task is Done in Notion and the message redrawn, or she is told why not. */
const doneButtonFlow: Flow = {
  async run(h, inject) {
    const { pageId, responseUrl } = await aliceTask(h);
    const confirmation = h.slack.responses.filter((response) => response.url === responseUrl).at(-1)!.body as { blocks?: unknown[] };
    const clickUrl = h.slack.responseUrl();
    inject();
    const answer = await h.interact(clickEphemeralButton(confirmation, COMPLETE_TASK_ACTION, { user: SLACK_SEED.alice, triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: clickUrl }));
    const requestId = lastRequestId(h);
    await h.settle();
    const moved = statusName(h, pageId) === "Done";
    return { answer, seen: seenBy(h, SLACK_SEED.alice, answer, [clickUrl]), succeeded: moved, requestId };
  },
};

/** The hourly sync finds a change no event delivered and tells Alice once, or logs what failed with the fix. */
const taskSyncFlow: Flow = {
  scheduled: { logs: "task_sync" },
  harness: { notionWebhooks: false },
  async run(h, inject) {
    const { pageId } = await aliceTask(h);
    await h.notion.setStatus(pageId, "Done");
    inject();
    const answer = await h.runTaskSync();
    const requestId = lastRequestId(h);
    await h.settle();
    const told = dmsToAlice(h);
    return { answer, seen: [], succeeded: told === 1, firstWrites: told, writes: told, requestId };
  },
};

const FLOWS = {
  "/task": openFlow,
  "submit the task modal": submitFlow(),
  "submit, tasks channel announced": submitFlow({ harness: { env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } } }),
  "submit, modal without response_url": submitFlow({ withoutResponseUrl: true }),
  "submit, requester a Notion person": submitFlow({
    harness: { schema: { "Requested by": { people: {} } } },
    setup: (h) => void h.notion.addUser({ name: "Alice", email: "alice@example.com" }),
  }),
  "submit, 150-paragraph description": submitFlow({ description: `The cyan one.\n\n${Array.from({ length: 150 }, (_, i) => `Paragraph ${i}.`).join("\n\n")}` }),
  // Notion makes the page, then its edge answers an HTML 502: the bot looks for the page by the mark in its body.
  "submit, answer lost, board without Request ID": submitFlow({
    harness: { schema: { "Request ID": null } },
    beforeSubmit: (h) => h.notion.fail("pages.create", { kind: "http", status: 502, commitFirst: true }),
  }),
  "Create task shortcut": shortcutFlow("shortcut"),
  "reminder's button": shortcutFlow("button"),
  "Remind of process": remindFlow,
  "/task list": readFlow("list"),
  "/task review": readFlow("review"),
  "weekly review": scheduleFlow,
  "status changed in Notion": notionEventFlow,
  "the bot's own change in Notion": ownChangeFlow,
  "Done button": doneButtonFlow,
  "hourly task sync": taskSyncFlow,
  "Home tab opened": homeFlow,
  "Home tab's New task": eventButtonFlow("home"),
  "@chatops list": mentionFlow("list"),
  "@chatops with a request": mentionFlow("offer"),
  "mention's Create task button": eventButtonFlow("mention"),
} satisfies Record<string, Flow>;
type FlowName = keyof typeof FLOWS;

// ---------------------------------------------------------------------------------------------
// The matrix: each call, in the flows that make it, under each fault, and the defined outcome

type Outcome =
  /** The call is not essential to the flow: it still does what it is for. */
  | { works: true }
  /** The flow failed and the person was told, in words matching this. */
  | { told: RegExp }
  /**
   * Nowhere to tell the person: a schedule failed (its request line says failed, with the error's
   * code, and a line gives the fix), or the Home tab itself could not be published (a line of the
   * event's request names the failure).
   */
  | { logged: true };

const works: Outcome = { works: true };
const logged: Outcome = { logged: true };
const told = (words: RegExp): Outcome => ({ told: words });
const every = (outcome: Outcome): Record<FaultName, Outcome> => Object.fromEntries(FAULTS.map((fault) => [fault, outcome])) as Record<FaultName, Outcome>;

/** Words a person can act on. */
const TRY_AGAIN = /try again/i;
const SAVE_FAILED = /Not saved: .+ Your text is kept; press Create task to try again|couldn't save your task to Notion: .+try again with `\/task`/s;
const CANNOT_TELL = /can't tell whether the task was saved\. Your text is kept; press Create task again|couldn't tell whether your task was saved/;
const BOARD_UNREADABLE = /couldn't read the board: .*(admin|try again)/i;
const MOVE_FAILED = /couldn't move .+: .+|isn't on the board any more/;

const MATRIX: Partial<Record<RemoteCall, Partial<Record<FlowName, Record<FaultName, Outcome>>>>> = {
  "slack views.open": {
    "/task": every(told(TRY_AGAIN)),
    "Create task shortcut": every(told(TRY_AGAIN)),
    "reminder's button": every(told(TRY_AGAIN)),
    // Told by direct message: a Home tab click has no channel and no response_url.
    "Home tab's New task": every(told(TRY_AGAIN)),
    "mention's Create task button": every(told(TRY_AGAIN)),
  },
  "slack views.publish": {
    // The tab is the only place to say it; the event's claim is released, so Slack's retry (if any) or the next open tries again.
    "Home tab opened": every(logged),
  },
  "slack views.update": {
    // Late additions to an open modal (the board's priorities, the permalink): it works without them.
    "/task": every(works),
    "Create task shortcut": every(works),
  },
  "slack chat.postMessage": {
    "Remind of process": every(told(/try again|Check the thread|add me/i)),
    // The thread refuses the reply: it comes ephemerally instead.
    "@chatops list": every(works),
    "@chatops with a request": every(works),
    "submit, tasks channel announced": every(works),
    "weekly review": every(logged),
    // A refusal goes by DM; a busy Slack is waited out (Retry-After as given) while the invocation has
    // time, then owed for the next sync (test/integration/owed-sends.test.ts); each logged, Notion still gets 200.
    "status changed in Notion": every(logged),
    "hourly task sync": every(logged),
  },
  "slack chat.postEphemeral": {
    // Falls back to a direct message.
    "submit, modal without response_url": every(works),
  },
  "slack response_url": {
    // Falls back to an ephemeral message.
    "submit the task modal": every(works),
    // The task moved; the message is not redrawn, and the clicker is told by an ephemeral instead.
    "Done button": every(works),
  },
  "slack chat.getPermalink": {
    // The modal keeps the link it was opened with.
    "Create task shortcut": every(works),
  },
  "slack users.info": {
    // The author is named by id; the requester is written as text.
    "Create task shortcut": every(works),
    "submit, requester a Notion person": every(works),
    // No email, so no "Assigned to me": the tab says so and shows the person's requests.
    "Home tab opened": every(works),
  },
  "notion databases.retrieve": {
    "submit the task modal": every(told(SAVE_FAILED)),
    "/task list": every(told(BOARD_UNREADABLE)),
    "weekly review": every(logged),
    "Home tab opened": every(told(BOARD_UNREADABLE)),
    "@chatops list": every(told(BOARD_UNREADABLE)),
    // The webhook's work is after its answer: nothing is posted, and the hourly sync tries again.
    "status changed in Notion": every(logged),
    "hourly task sync": every(logged),
  },
  "notion dataSources.retrieve": {
    "submit the task modal": every(told(SAVE_FAILED)),
    "Home tab opened": every(told(BOARD_UNREADABLE)),
    "status changed in Notion": every(logged),
  },
  "notion dataSources.query": {
    "submit the task modal": every(told(SAVE_FAILED)),
    "/task list": every(told(BOARD_UNREADABLE)),
    "/task review": every(told(BOARD_UNREADABLE)),
    "weekly review": every(logged),
    "Home tab opened": every(told(BOARD_UNREADABLE)),
    "@chatops list": every(told(BOARD_UNREADABLE)),
    "hourly task sync": every(logged),
  },
  "notion pages.retrieve": {
    "status changed in Notion": every(logged),
    "Done button": every(told(MOVE_FAILED)),
  },
  "notion pages.update": {
    "Done button": every(told(MOVE_FAILED)),
  },
  "notion users.me": {
    // Who the bot is stays unknown: the task's record still says the change was the bot's own.
    "the bot's own change in Notion": every(works),
  },
  "notion users.retrieve": {
    // The message names nobody.
    "status changed in Notion": every(works),
  },
  "notion blocks.children.list": {
    // The page landed, but the look for it failed: never "not saved"; pressing Create task again finds it.
    "submit, answer lost, board without Request ID": every(told(CANNOT_TELL)),
  },
  "notion pages.create": {
    "submit the task modal": every(told(SAVE_FAILED)),
    "submit, 150-paragraph description": every(told(SAVE_FAILED)),
  },
  // The store: each claim falls back to what works without it (the look for an earlier save, this
  // instance's memory, posting without a claim) and logs store.unavailable.
  "store write": {
    "submit the task modal": every(works),
    "Remind of process": every(works),
    "weekly review": every(works),
  },
  "store read": {
    // Claims made near a week's turn read last week's key: the reminder's and the review's always do.
    "Remind of process": every(works),
    "weekly review": every(works),
  },
  "notion users.list": {
    // The requester is written as text in the page body.
    "submit, requester a Notion person": every(works),
    // Only "Assigned to me" needs it: the tab says it could not be read and shows the person's requests.
    "Home tab opened": every(works),
  },
};

interface Row {
  call: RemoteCall;
  flow: FlowName;
  fault: FaultName;
  outcome: Outcome;
}

const ROWS: Row[] = Object.entries(MATRIX).flatMap(([call, flows]) =>
  Object.entries(flows ?? {}).flatMap(([flow, faults]) => FAULTS.map((fault) => ({ call: call as RemoteCall, flow: flow as FlowName, fault, outcome: faults[fault] }))),
);

// ---------------------------------------------------------------------------------------------
// Running the rows: each on its own emulators and handlers, several at once

/** Slack's window for an acknowledgement. */
const SLACK_WINDOW_MS = 3_000;
/**
 * The faulted service's timeout is FAULTED_TIMEOUT_MS, so "no answer" is reached in under a second,
 * while the request's deadline stays as in production (2 s): a timeout and the follow-up lookup then
 * still fit inside it. The healthy services keep a long one: a row tests its fault, never how fast a
 * busy two-core machine answers everything else.
 */
const TEST_TIMEOUTS = { slackTimeoutMs: FAULTED_TIMEOUT_MS, notionTimeoutMs: FAULTED_TIMEOUT_MS, storeTimeoutMs: FAULTED_TIMEOUT_MS };
const PARALLEL_ROWS = 12;

/** The timeouts for a row whose fault is in `service`: short there, long everywhere else. */
function timeoutsFor(service: string): Pick<HarnessOptions, "slackTimeoutMs" | "notionTimeoutMs" | "storeTimeoutMs"> {
  const timeout = (own: string) => (service === own ? FAULTED_TIMEOUT_MS : HEALTHY_TIMEOUT_MS);
  return { slackTimeoutMs: timeout("slack"), notionTimeoutMs: timeout("notion"), storeTimeoutMs: timeout("store") };
}

const results = new Map<Row, Observation | Error>();
const logsOf = new Map<Row, Record<string, unknown>[]>();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

async function runRow(row: Row): Promise<void> {
  const refused = new Set<RemoteCall>();
  let origins = { slack: "", notion: "", store: "" };
  // Connection refused, for real: the call's requests go to a port nothing can listen on.
  const refusingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const call = callOf(url, method, origins);
    if (call && refused.has(call)) return fetch(`${REFUSED_ORIGIN}${url.pathname}${url.search}`, init);
    return fetch(input, init);
  };
  const flow: Flow = FLOWS[row.flow];
  const h = await startHarness({ ...timeoutsFor(row.call.split(" ")[0]!), ...flow.harness, fetch: refusingFetch });
  origins = { slack: h.slack.origin, notion: new URL(h.notion.url).origin, store: new URL(h.blobs.connection.edgeURL).origin };
  const [service, name] = row.call.split(" ") as ["slack" | "notion" | "store", string];
  const inject = () => {
    if (row.fault === "connection_refused") refused.add(row.call);
    else if (service === "slack") h.slack.fail(name, slackFault(name as SlackMethod, row.fault), { times: Infinity });
    else if (service === "store") h.blobs.fail(storeFault(row.fault), { times: Infinity, method: STORE_METHODS[name as StoreCall] });
    else h.notion.fail(name as NotionRoute, notionFault(name as NotionRoute, row.fault), { times: Infinity });
  };
  const clear = () => {
    refused.clear();
    h.slack.clearFaults();
    h.blobs.clearFaults();
    h.notion.reset();
  };
  try {
    results.set(row, await flow.run(h, inject, clear));
  } catch (error) {
    results.set(row, error instanceof Error ? error : new Error(String(error)));
  } finally {
    logsOf.set(row, h.logs.map((line) => JSON.parse(line) as Record<string, unknown>));
    await h.close();
  }
}

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  const queue = [...ROWS];
  await Promise.all(
    Array.from({ length: PARALLEL_ROWS }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await runRow(row);
    }),
  );
  // Under a minute quiet; 62 s beside two busy loops on two cores.
}, 300_000);

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

function describeOutcome(outcome: Outcome): string {
  return "works" in outcome ? "still works" : "logged" in outcome ? "logs what failed and the fix" : `tells the person (${outcome.told.source.slice(0, 40)}…)`;
}

describe("the fault matrix", () => {
  it.each(ROWS.map((row) => [row.call, row.flow, row.fault, describeOutcome(row.outcome), row] as const))("%s in %s, %s: %s", (_call, _flow, _fault, _outcome, row) => {
    const observed = results.get(row);
    if (observed instanceof Error) throw observed;
    expect(observed, "the row ran").toBeDefined();
    const seen = observed!.seen.join("\n---\n");
    const lines = logsOf.get(row) ?? [];
    const flow: Flow = FLOWS[row.flow];

    // Acknowledged in time, without an error Slack would show as its own; Notion always gets 200.
    if (flow.scheduled) {
      expect([200, 500]).toContain(observed!.answer.status);
    } else if (flow.notion) {
      expect(observed!.answer.status, "never a 5xx Notion would retry").toBe(200);
    } else {
      expect(observed!.answer.status).toBe(200);
      expect(observed!.answer.ms).toBeLessThan(SLACK_WINDOW_MS);
      expect(observed!.answer.text).not.toMatch(/Something went wrong on my side/);
    }

    // The defined outcome.
    if ("works" in row.outcome) {
      expect(observed!.succeeded, `the flow still works; the person saw:\n${seen}`).toBe(true);
    } else if ("told" in row.outcome) {
      expect(observed!.succeeded, "the flow failed").toBe(false);
      expect(seen, "the person is told in words they can act on").toMatch(row.outcome.told);
    } else if (flow.scheduled) {
      expect(observed!.succeeded).toBe(false);
      expect(observed!.answer.status).toBe(500);
      const line = lines.find((candidate) => candidate.event === "request" && candidate.request_id === observed!.requestId);
      expect(line).toMatchObject({ kind: "schedule", outcome: "failed", error_code: expect.any(String) });
      expect(lines.some((candidate) => candidate.event === flow.scheduled!.logs && typeof candidate.fix === "string")).toBe(true);
    } else {
      // Acknowledged as usual (a Slack event, a Notion webhook); the work failed after the answer, in a line of its own (checked below).
      expect(observed!.succeeded).toBe(false);
    }

    // Their input is kept, sent back or saved.
    if (observed!.inputSafe !== undefined) expect(observed!.inputSafe, `input kept or sent back; the person saw:\n${seen}`).toBe(true);

    // Nothing written twice, not even after the person's retry; and never "not saved" about a save that landed.
    if (observed!.writes !== undefined) expect(observed!.writes).toBeLessThanOrEqual(1);
    if (observed!.firstWrites !== undefined && observed!.firstWrites > 0) expect(seen).not.toMatch(/Not saved|couldn't save|wasn't posted|couldn't post/i);
    if (observed!.retried) expect(observed!.writes, `the retry landed, once:\n${lines.map((line) => JSON.stringify(line)).join("\n")}`).toBe(1);

    // The log says what failed: a line of the request, with the error's code.
    const ofRequest = lines.filter((line) => line.request_id === observed!.requestId);
    expect(ofRequest.filter((line) => line.event === "request")).toHaveLength(1);
    const failure = ofRequest.find((line) => typeof line.error_code === "string");
    expect(failure, `a log line of the request names the failure:\n${ofRequest.map((line) => JSON.stringify(line)).join("\n")}`).toBeDefined();
  });

  it("no row left an unhandled rejection", () => {
    expect(unhandled).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Completeness: no remote call without its rows

describe("completeness", () => {
  it("names every method of the Slack port", () => {
    const port = createSlackApi({ token: "xoxb-completeness-check" });
    expect(Object.keys(port).sort()).toEqual(Object.keys(SLACK_PORT).sort());
  });

  it("every remote call has a row for every fault: the Slack port's, and every call each flow makes when all is well", async () => {
    const made = new Set<RemoteCall>(Object.values(SLACK_PORT).map((method) => `slack ${method}` as const));
    for (const [name, flow] of Object.entries(FLOWS) as [FlowName, Flow][]) {
      const h = await startHarness({ ...TEST_TIMEOUTS, ...flow.harness });
      try {
        const observed = await flow.run(h, () => undefined, () => undefined);
        expect(observed.succeeded, `${name} works when all is well`).toBe(true);
        for (const call of h.slack.calls) made.add(`slack ${call.method}` as RemoteCall);
        if (h.slack.responses.length > 0) made.add("slack response_url");
        for (const request of h.notion.requests) made.add(`notion ${request.route}` as RemoteCall);
        for (const request of h.blobs.requests) made.add(`store ${request.method === "PUT" ? "write" : request.method === "DELETE" ? "delete" : "read"}`);
      } finally {
        await h.close();
      }
    }
    const missing = [...made].flatMap((call) => {
      const flows = Object.values(MATRIX[call] ?? {});
      if (flows.length === 0) return [`${call}: no row`];
      return flows.flatMap((faults) => FAULTS.filter((fault) => !(fault in faults)).map((fault) => `${call}: no ${fault} row`));
    });
    expect(missing).toEqual([]);
  });
});
