/**
 * Load: 1,000 signed requests (slash commands, modal submissions, message shortcuts and the
 * reminder's button, mixed) at concurrency 20 against the real `netlify dev` on loopback, with the
 * Slack and Notion emulators behind it. Reports errors (which must be zero) and p50/p99 latency per
 * kind and overall, then checks that nothing was lost: every submission is a page, every reminder
 * a post, every modal opened. A benchmark, not a test: `npm run load [-- --requests N --concurrency C]`.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, setPriority } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeReminderButton } from "../src/features/process-reminder/reminder-message.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../dev/emulator-env.js";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, snapshotProject, startNetlifyDev, type NetlifyDev } from "../dev/netlify-dev.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../dev/notion-emulator.js";
import { signedHeaders } from "../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type OpenedView, type SlackEmulator } from "../dev/slack-emulator.js";
import { blockActions, interactionBody, messageAction, messageTs, slackMessage, slashCommandBody, taskModalValues, viewSubmission } from "../dev/slack-payloads.js";
import { markdownTable, percentile, round, runPool } from "./stats.js";

const DEFAULTS = { requests: 1_000, concurrency: 20 };
/**
 * netlify dev (27.x) runs every request in a new worker thread (~35 MB) and, while requests keep
 * coming, reaps none of them: 1,000 back to back would hold 1,000 threads and crash it (EAGAIN). So
 * the requests go in waves, each at full concurrency, with a pause for netlify dev to reap between.
 */
const WAVE = 100;
const WAVE_PAUSE_MS = 5_000;
const FLOOR_PATH = "/load-floor";
/** Requests to the floor function: what netlify dev costs a function that does nothing. */
const FLOOR_REQUESTS = 100;
/** The whole run, netlify dev's start included, stops here whatever happens. */
const RUN_DEADLINE_MS = 15 * 60_000;
/**
 * A request still unanswered after this is an error, not a slow sample. Slack itself waits 3 s;
 * answers later than that are counted apart ("over 3 s"), since netlify dev is slower than Netlify.
 */
const REQUEST_TIMEOUT_MS = 30_000;
const SLACK_WINDOW_MS = 3_000;
/** How long deferred work (confirmations, reminders) may take to land after the last answer. */
const SETTLE_TIMEOUT_MS = 30_000;

type Kind = "command_open" | "command_list" | "command_help" | "command_review" | "view_submission" | "shortcut_remind" | "shortcut_create_task" | "button_create_task";

/** The mix, per 100 requests: mostly what people do all day (open the form, submit it, shortcuts). */
const MIX: Record<Kind, number> = {
  command_open: 20,
  view_submission: 25,
  shortcut_remind: 15,
  shortcut_create_task: 10,
  button_create_task: 10,
  command_list: 10,
  command_help: 5,
  command_review: 5,
};

interface Planned {
  kind: Kind;
  path: "/slack/commands" | "/slack/interactions";
  body: string;
  /** Throws when the answer is not what a working bot gives for this request. */
  check(status: number, body: string): void;
}

interface Sample {
  kind: Kind | "floor";
  ms: number;
  error: string | undefined;
}

function parseArgs(argv: readonly string[]): typeof DEFAULTS {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], Number(argv[i + 1])];
    if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} needs a positive whole number`);
    if (name === "--requests") options.requests = Math.min(value, 10_000);
    else if (name === "--concurrency") options.concurrency = Math.min(value, 100);
    else throw new Error(`unknown option ${name}: use --requests N and --concurrency C`);
  }
  return options;
}

/** A fixed, shuffled sequence of kinds (seeded), so every run sends the same mix in the same order. */
function planKinds(count: number): Kind[] {
  const kinds = (Object.entries(MIX) as [Kind, number][]).flatMap(([kind, share]) => Array.from({ length: Math.round((share / 100) * count) }, () => kind));
  while (kinds.length < count) kinds.push("command_open");
  kinds.length = count;
  let seed = 20_251_122;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds;
}

function expectEmpty(kind: string) {
  return (status: number, body: string) => {
    if (status !== 200 || body !== "") throw new Error(`${kind}: expected an empty 200, got ${status} ${body.slice(0, 120)}`);
  };
}

function expectEphemeral(kind: string, words: RegExp, { orDeferred = false } = {}) {
  return (status: number, body: string) => {
    if (status === 200 && body === "" && orDeferred) return;
    if (status !== 200 || !words.test(body) || !body.includes('"ephemeral"')) throw new Error(`${kind}: expected an ephemeral ${words}, got ${status} ${body.slice(0, 160)}`);
  };
}

/** Builds each request just before it is sent: trigger ids and signatures are fresh. */
function planRequest(kind: Kind, index: number, slack: SlackEmulator, modal: OpenedView): Planned {
  const user = index % 2 === 0 ? SLACK_SEED.alice : SLACK_SEED.bob;
  const command = (text: string) => slashCommandBody({ text, user, triggerId: slack.triggerId(user), responseUrl: slack.responseUrl() });
  switch (kind) {
    case "command_open":
      return { kind, path: "/slack/commands", body: command(`Load test request ${index}`), check: expectEmpty(kind) };
    case "command_list":
      return { kind, path: "/slack/commands", body: command("list"), check: expectEphemeral(kind, /open tasks/i, { orDeferred: true }) };
    case "command_help":
      return { kind, path: "/slack/commands", body: command("help"), check: expectEphemeral(kind, /puts a request on/) };
    case "command_review":
      return { kind, path: "/slack/commands", body: command("review"), check: expectEphemeral(kind, /review|open task/i, { orDeferred: true }) };
    case "view_submission": {
      const view: OpenedView = {
        ...modal,
        id: `VLOAD${String(index).padStart(6, "0")}`,
        view: { ...modal.view, private_metadata: JSON.stringify({ channelId: SLACK_SEED.general, responseUrl: slack.responseUrl() }) },
      };
      const payload = viewSubmission({ view, values: taskModalValues({ title: `Load test task ${index}`, description: "Made by bench/load.ts", priority: "Medium" }), user });
      return {
        kind,
        path: "/slack/interactions",
        body: interactionBody(payload),
        check(status, body) {
          // "update" is the saving view: acknowledged in time, the save finishing after the answer.
          if (status !== 200 || !/"response_action":"(clear|update)"/.test(body)) throw new Error(`${kind}: expected the modal closed, got ${status} ${body.slice(0, 160)}`);
        },
      };
    }
    case "shortcut_remind":
    case "shortcut_create_task": {
      const callbackId = kind === "shortcut_remind" ? "remind_process" : "create_task";
      const message = slackMessage({ user: SLACK_SEED.alice, text: `Could someone look at thing ${index}?` });
      return { kind, path: "/slack/interactions", body: interactionBody(messageAction({ callbackId, user, message, triggerId: slack.triggerId(user), responseUrl: slack.responseUrl() })), check: expectEmpty(kind) };
    }
    case "button_create_task": {
      const ts = messageTs();
      const value = encodeReminderButton({ message: { platform: "slack", workspace: SLACK_SEED.teamId, conversation: SLACK_SEED.general, message: ts }, authorId: SLACK_SEED.alice, excerpt: `Could someone look at thing ${index}?` });
      const payload = blockActions({
        user,
        message: { type: "message", subtype: "bot_message", text: "Hi <@U0ALICE>", user: SLACK_SEED.botUserId, bot_id: SLACK_SEED.botId, ts: messageTs(), thread_ts: ts },
        action: { action_id: "create_task_from_reminder", value, text: "Create task from this message" },
        triggerId: slack.triggerId(user),
        responseUrl: slack.responseUrl(),
      });
      return { kind, path: "/slack/interactions", body: interactionBody(payload), check: expectEmpty(kind) };
    }
  }
}

/** A request to the floor function, timed like the others. */
async function sendFloor(dev: NetlifyDev): Promise<Sample> {
  const started = performance.now();
  try {
    const response = await fetch(`${dev.url}${FLOOR_PATH}`, { method: "POST", body: "floor", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await response.text();
    if (response.status !== 200) throw new Error(`the floor function answered ${response.status}`);
    return { kind: "floor", ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { kind: "floor", ms: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

async function send(dev: NetlifyDev, planned: Planned): Promise<Sample> {
  const headers = signedHeaders(planned.body);
  const started = performance.now();
  try {
    const response = await fetch(`${dev.url}${planned.path}`, { method: "POST", headers, body: planned.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await response.text();
    const ms = performance.now() - started;
    planned.check(response.status, body);
    return { kind: planned.kind, ms, error: undefined };
  } catch (error) {
    return { kind: planned.kind, ms: performance.now() - started, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Waits until `count()` reaches `expected`; a problem when it has not after `timeoutMs`. */
async function waitFor(what: string, count: () => number, expected: number, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (count() < expected) {
    if (Date.now() > deadline) return `${what}: ${count()} of ${expected} after ${timeoutMs / 1000} s`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

function row(label: string, samples: readonly Sample[]): string[] {
  const ms = samples.map((sample) => sample.ms);
  const errors = samples.filter((sample) => sample.error !== undefined).length;
  const late = ms.filter((value) => value > SLACK_WINDOW_MS).length;
  return [label, String(samples.length), String(errors), String(round(percentile(ms, 50), 1)), String(round(percentile(ms, 99), 1)), String(round(Math.max(...ms), 1)), String(late)];
}

function table(rows: string[][]): string {
  return markdownTable(["kind", "requests", "errors", "p50 ms", "p99 ms", "max ms", "over 3 s"], rows);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const snapshot = snapshotWithFloor();
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  let dev: NetlifyDev | undefined;
  const deadline = setTimeout(() => {
    console.error(`load: stopped after ${RUN_DEADLINE_MS / 60_000} minutes`);
    void dev?.stop().finally(() => process.exit(2));
  }, RUN_DEADLINE_MS);
  try {
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    seedTasks(notion, board.dataSourceId);
    console.error("load: starting netlify dev on a snapshot of the project…");
    dev = await startNetlifyDev({
      ...emulatorEnv(slack, notion, board.databaseId),
      // netlify dev runs every request in a new worker thread that compiles the bundle again; Node's
      // on-disk compile cache (in the snapshot, gone with it) spares the later ones that work.
      NODE_COMPILE_CACHE: join(snapshot, ".node-compile-cache"),
    }, { cwd: snapshot });
    const running = dev;
    // The emulators stand for Slack's and Notion's own servers, which never wait for the function's
    // CPU: netlify dev (and the workers it starts from now on) yields to them.
    try {
      setPriority(running.pid, 10);
    } catch {
      console.error("load: could not lower netlify dev's priority; the emulators share the CPU with it");
    }

    // Warm-up, not counted: one of each kind, so the figures are for warm instances (each
    // function's first request also bundles and loads it, which bench/cold-start.ts measures).
    const warmModal = await openOneModal(running, slack);
    for (const kind of Object.keys(MIX) as Kind[]) {
      const warm = await send(running, planRequest(kind, 999_000 + Object.keys(MIX).indexOf(kind), slack, warmModal));
      if (warm.error) throw new Error(`warm-up ${kind} failed: ${warm.error}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const before = {
      pages: notion.pages(board.dataSourceId).length,
      reminders: slack.messages.filter((message) => message.kind === "message" && message.thread_ts !== undefined).length,
      opened: slack.views.length,
    };
    const output: string[] = [];
    running.onLine((line) => output.push(line));

    const kinds = planKinds(options.requests);
    console.error(`load: ${kinds.length} requests at concurrency ${options.concurrency}, in waves of ${WAVE}…`);
    const samples: Sample[] = [];
    let busyMs = 0;
    for (let first = 0; first < kinds.length; first += WAVE) {
      const wave = kinds.slice(first, first + WAVE);
      const started = performance.now();
      samples.push(...(await runPool(wave.length, options.concurrency, (index) => send(running, planRequest(wave[index]!, first + index, slack, warmModal)))));
      busyMs += performance.now() - started;
      console.error(`load: ${first + wave.length} sent, ${samples.filter((sample) => sample.error).length} errors`);
      await new Promise((resolve) => setTimeout(resolve, WAVE_PAUSE_MS));
    }

    // Nothing lost: every save lands, every reminder is posted, every modal opens (deferred work included).
    const count = (kind: Kind) => kinds.filter((planned) => planned === kind).length;
    const lost = (
      await Promise.all([
        waitFor("pages", () => notion.pages(board.dataSourceId).length - before.pages, count("view_submission"), SETTLE_TIMEOUT_MS),
        waitFor("reminders", () => slack.messages.filter((m) => m.kind === "message" && m.thread_ts !== undefined).length - before.reminders, count("shortcut_remind"), SETTLE_TIMEOUT_MS),
        waitFor("modals", () => slack.views.length - before.opened, count("command_open") + count("shortcut_create_task") + count("button_create_task"), SETTLE_TIMEOUT_MS),
      ])
    ).filter((problem): problem is string => problem !== undefined);
    const extraPages = notion.pages(board.dataSourceId).length - before.pages - count("view_submission");
    if (extraPages > 0) lost.push(`${extraPages} pages written twice`);

    // The function log: every request line says ok, and no deferred work failed.
    const logLines = output
      .map((text) => text.slice(text.indexOf("{")))
      .filter((text) => text.startsWith('{"level"'))
      .map((text) => JSON.parse(text) as Record<string, unknown>);
    const requestLines = logLines.filter((line) => line.event === "request");
    // Any failure counts, deferred work's too (a reminder that timed out after the answer, say).
    const badLines = logLines.filter((line) => line.level === "error" || typeof line.error_code === "string" || (line.event === "request" && line.outcome !== "ok"));

    // The floor: one wave to a function that reads the body and answers 200, nothing else.
    const floorSamples = await runPool(FLOOR_REQUESTS, options.concurrency, () => sendFloor(running));

    const byKind = (Object.keys(MIX) as Kind[])
      .map((kind) => [kind, samples.filter((sample) => sample.kind === kind)] as const)
      .filter(([, ofKind]) => ofKind.length > 0)
      .map(([kind, ofKind]) => row(kind, ofKind));
    const errors = samples.filter((sample) => sample.error !== undefined);
    console.log(`\nLoad: ${samples.length} signed requests, concurrency ${options.concurrency}, netlify dev on loopback with the Slack and Notion emulators (warm; ${Object.keys(MIX).length} warm-up requests not counted)\n`);
    console.log(table([...byKind, row("all", samples), row("floor function", floorSamples)]));
    console.log(`\n${round(busyMs / 1000, 1)} s sending (${round(samples.length / (busyMs / 1000), 1)} requests/s), ${Math.ceil(kinds.length / WAVE)} waves of ${WAVE}; Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} CPUs`);
    console.log(`function log: ${requestLines.length} request lines, ${badLines.length} with an error or an outcome other than ok`);
    // Inside the function, from the handler's call to its answer: what netlify dev's worker start and queueing leave out.
    const inside = requestLines.map((line) => Number(line.duration_ms)).filter((ms) => Number.isFinite(ms));
    if (inside.length > 0) console.log(`inside the function (request lines' duration_ms): p50 ${percentile(inside, 50)} ms, p99 ${percentile(inside, 99)} ms, max ${Math.max(...inside)} ms`);
    console.log(`lost or doubled: ${lost.length === 0 ? "none" : lost.join("; ")}`);
    for (const error of errors.slice(0, 10)) console.log(`error: ${error.kind}: ${error.error}`);
    for (const line of badLines.slice(0, 10)) console.log(`log: ${JSON.stringify(line).slice(0, 300)}`);
    const failed = errors.length > 0 || floorSamples.some((sample) => sample.error !== undefined) || lost.length > 0 || badLines.length > 0 || requestLines.length < samples.length;
    if (errors.length > 0) console.log(`\nnetlify dev's last output:\n${running.output().split("\n").slice(-25).join("\n")}`);
    console.log(failed ? "\nFAIL: see above" : "\nOK: zero errors");
    return failed ? 1 : 0;
  } finally {
    clearTimeout(deadline);
    await dev?.stop();
    await Promise.all([slack.close(), notion.close()]);
    rmSync(snapshot, { recursive: true, force: true });
  }
}

/**
 * A run in the project itself would measure other people's edits and servers (see snapshotProject):
 * it serves a copy of what it measures instead, taken now, with bench/floor-function.ts at FLOOR_PATH.
 */
function snapshotWithFloor(): string {
  const copy = snapshotProject("chatops-load-");
  const floor = readFileSync(fileURLToPath(new URL("./floor-function.ts", import.meta.url)), "utf8");
  writeFileSync(join(copy, "netlify", "functions", "load-floor.ts"), `${floor}\nexport const config = { path: "${FLOOR_PATH}" };\n`);
  return copy;
}

/** A modal as views.open returned it, to submit copies of. */
async function openOneModal(dev: NetlifyDev, slack: SlackEmulator): Promise<OpenedView> {
  const warm = await send(dev, planRequest("command_open", 998_999, slack, { id: "", hash: "", view: {} }));
  if (warm.error) throw new Error(`the first /task failed: ${warm.error}`);
  await waitFor("the first modal", () => slack.views.length, 1, 10_000);
  const view = slack.views.at(-1);
  if (!view) throw new Error("the first /task opened no modal");
  return view;
}

/** A board with some open tasks for Alice and Bob, so /task list and /task review have work to do. */
function seedTasks(notion: NotionEmulator, dataSourceId: string): void {
  for (let i = 0; i < 30; i++) {
    notion.addPage(dataSourceId, {
      Name: { title: [{ text: { content: `Seeded task ${i}` } }] },
      Status: { status: { name: i % 3 === 0 ? "Done" : "Not started" } },
      Priority: { select: { name: ["High", "Medium", "Low"][i % 3]! } },
      ...(i % 2 === 0 ? { Due: { date: { start: `2099-01-${String((i % 28) + 1).padStart(2, "0")}` } } } : {}),
      "Requested by": { rich_text: [{ text: { content: i % 2 === 0 ? "alice (U0ALICE)" : "bob (U0BOB)" } }] },
    });
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error);
  return 1;
});
