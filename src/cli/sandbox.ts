/**
 * `npm run sandbox`: the whole bot offline. Loopback emulators of the Slack Web API and the Notion
 * API (state kept in .sandbox/ so it survives restarts; a sample board on first run), the real
 * functions under `netlify dev` pointed at them, and the sandbox's control endpoints for
 * `npm run slack`, which plays Slack against it. Ctrl-C stops everything.
 *
 * The emulators come from dev/, which the tests, this sandbox, the Slack CLI and the bench share.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { EnvSource } from "../env.js";
import type { FunctionsServer } from "../../dev/functions-in-process.js";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, startNetlifyDev } from "../../dev/netlify-dev.js";
import { startNotionEmulator, type NotionEmulator } from "../../dev/notion-emulator.js";
import { sendSigned } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { slashCommandBody } from "../../dev/slack-payloads.js";
import type { Output } from "./report.js";
import { startSandboxControl, type SandboxControl } from "./sandbox-control.js";
import { DEFAULT_SANDBOX_DIR, readSandboxFile, removeSandboxFile, sandboxDir, writeSandboxFile, type SandboxFile } from "./sandbox-file.js";
import { SANDBOX_BOARD, SANDBOX_CHANNELS, SANDBOX_CREDENTIALS, sandboxBotEnv, seedBoard, seedWorkspace } from "./sandbox-seed.js";
import { runIfMain } from "./script.js";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const DEFAULT_PORTS = { functions: 8888, slack: 3001, notion: 3002, control: 3003 } as const;

const USAGE = `Usage: npm run sandbox -- [options]

Starts netlify dev (offline) with local Slack and Notion emulators, then waits; Ctrl-C stops it.

Options:
  --port <n>          netlify dev (default ${DEFAULT_PORTS.functions}, or SANDBOX_PORT)
  --slack-port <n>    Slack emulator (default ${DEFAULT_PORTS.slack}, or SANDBOX_SLACK_PORT)
  --notion-port <n>   Notion emulator (default ${DEFAULT_PORTS.notion}, or SANDBOX_NOTION_PORT)
  --control-port <n>  the endpoints npm run slack uses (default ${DEFAULT_PORTS.control}, or SANDBOX_CONTROL_PORT)
  --dir <path>        where state is kept (default ${DEFAULT_SANDBOX_DIR}, or SANDBOX_DIR)
  --reset             forget the saved state and seed the sample board again
  --quiet             don't echo netlify dev's output (the function logs)
  --project <path>    serve the functions of this copy of the project (default: this one). Every
                      netlify dev started in a directory shares its .netlify/ build folder, and each
                      start rebuilds it: the end-to-end test serves a copy so it cannot disturb others.
`;

export interface SandboxOptions {
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  /** Resolves when the sandbox should stop; Ctrl-C and SIGTERM by default. */
  stopSignal?: Promise<string>;
  /**
   * What serves the functions: netlify dev (offline) by default. A test driving many requests
   * through the sandbox may serve them in process instead (dev/functions-in-process.ts).
   */
  serveFunctions?: (env: Record<string, string>, options: { port: number; cwd: string }) => Promise<FunctionsServer>;
}

/**
 * Where the sandbox's state lives, emptied when asked (--reset) or when it is incomplete. netlify
 * dev keeps the bot's store (its local Blobs server) in the served project's .netlify/blobs-serve,
 * and has no setting to keep it elsewhere. The store and the emulators' state go together: claims
 * name the emulators' modals and pages, so emulators that start afresh start with an empty store
 * too, or a new modal could be answered with a page an old claim names.
 */
export function prepareState(dir: string, project: string, options: { reset: boolean }): { slackStatePath: string; notionStatePath: string; storePath: string } {
  const slackStatePath = join(dir, "slack.json");
  const notionStatePath = join(dir, "notion.json");
  const storePath = join(project, ".netlify", "blobs-serve");
  if (options.reset || !existsSync(slackStatePath) || !existsSync(notionStatePath)) {
    rmSync(slackStatePath, { force: true });
    rmSync(notionStatePath, { force: true });
    rmSync(storePath, { recursive: true, force: true });
  }
  return { slackStatePath, notionStatePath, storePath };
}

/** Runs the sandbox until stopped; returns the exit code. */
export async function runSandbox(options: SandboxOptions): Promise<number> {
  const { out } = options;
  const say = (text = "") => void out.write(`${text}\n`);
  let args: ReturnType<typeof parseFlags>;
  try {
    args = parseFlags(options.argv, options.env);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    say(USAGE);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }

  const dir = sandboxDir(args.dir, options.env);
  mkdirSync(dir, { recursive: true });
  const running = readSandboxFile(dir);
  if (running && (await answers(running.controlUrl))) {
    say(`A sandbox is already running from ${shown(dir)} (pid ${running.pid}, ${running.functionsUrl}). Stop it first, or pass --dir.`);
    return 1;
  }
  // Every port before anything starts or --reset deletes the saved state: finding one taken later
  // would leave the state gone and the sandbox not running.
  const taken = await takenPorts(args);
  if (taken.length > 0) {
    for (const line of taken) say(line);
    return 1;
  }
  const { slackStatePath, notionStatePath } = prepareState(dir, args.project ?? PROJECT_ROOT, { reset: args.reset });

  const stack: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const close of stack.reverse()) await close().catch(() => undefined);
  };
  try {
    const slack: SlackEmulator = await listening("The Slack emulator", "--slack-port", args.slackPort, () =>
      startSlackEmulator({ token: SANDBOX_CREDENTIALS.slackToken, statePath: slackStatePath, port: args.slackPort, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS }),
    );
    stack.push(() => slack.close());
    const notion: NotionEmulator = await listening("The Notion emulator", "--notion-port", args.notionPort, () =>
      startNotionEmulator({ token: SANDBOX_CREDENTIALS.notionToken, statePath: notionStatePath, port: args.notionPort }),
    );
    stack.push(() => notion.close());
    seedWorkspace(slack);
    const seeded = seedBoard(notion, new Date());
    const control: SandboxControl = await listening("The sandbox control", "--control-port", args.controlPort, () =>
      startSandboxControl({ slack, notion, dataSourceId: SANDBOX_BOARD.dataSourceId, slackStatePath, port: args.controlPort }),
    );
    stack.push(() => control.close());

    const botEnv = sandboxBotEnv({ slackApiUrl: slack.apiUrl, notionUrl: notion.url });
    say(`Starting netlify dev on port ${args.port} (offline)…`);
    const serve = options.serveFunctions ?? ((env, where) => startNetlifyDev(env, { ...where, timeoutMs: 120_000 }));
    const dev = await listening("netlify dev", "--port", args.port, () => serve(botEnv, { port: args.port, cwd: args.project ?? PROJECT_ROOT }));
    stack.push(() => dev.stop());
    // Notion's webhook subscription: a status change in the emulator reaches the functions, signed.
    notion.configureWebhooks({ url: `${dev.url}/notion/webhooks`, token: SANDBOX_CREDENTIALS.notionWebhookSecret });

    const file: SandboxFile = {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      functionsUrl: dev.url,
      controlUrl: control.url,
      slackApiUrl: slack.apiUrl,
      notionUrl: notion.url,
      signingSecret: SANDBOX_CREDENTIALS.signingSecret,
      teamId: SLACK_SEED.teamId,
      teamDomain: SLACK_SEED.teamDomain,
      appId: SLACK_SEED.appId,
      env: botEnv,
    };
    const probe = await probeBot(file, slack, notion);
    writeSandboxFile(dir, file);
    stack.push(async () => removeSandboxFile(dir, process.pid));

    const ignored = dev.ignoredEnvFileVariables();
    printBanner(say, { dir, file, seeded, tasks: notion.pages(SANDBOX_BOARD.dataSourceId).filter((page) => !page.in_trash).length, probe, ignored });
    if (!args.quiet) dev.onLine((line) => say(`  netlify │ ${line}`));

    const reason = await Promise.race([options.stopSignal ?? stopSignal(), dev.exited.then(() => "netlify dev exited")]);
    say();
    say(`Stopping the sandbox (${reason})…`);
    const crashed = reason === "netlify dev exited";
    if (crashed) say(dev.output().split("\n").slice(-20).join("\n"));
    await stopAll();
    say(`Stopped. The state stays in ${shown(dir)}/; npm run sandbox -- --reset starts over.`);
    return crashed ? 1 : 0;
  } catch (error) {
    await stopAll();
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

interface Flags {
  help: boolean;
  port: number;
  slackPort: number;
  notionPort: number;
  controlPort: number;
  dir: string | undefined;
  reset: boolean;
  quiet: boolean;
  project: string | undefined;
}

function parseFlags(argv: readonly string[], env: EnvSource): Flags {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: "boolean", short: "h" },
      port: { type: "string" },
      "slack-port": { type: "string" },
      "notion-port": { type: "string" },
      "control-port": { type: "string" },
      dir: { type: "string" },
      reset: { type: "boolean" },
      quiet: { type: "boolean" },
      project: { type: "string" },
    },
  });
  const port = (flag: string | undefined, variable: string, fallback: number) => {
    const raw = flag ?? env[variable];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${raw} is not a port number.`);
    return value;
  };
  return {
    help: values.help ?? false,
    port: port(values.port, "SANDBOX_PORT", DEFAULT_PORTS.functions),
    slackPort: port(values["slack-port"], "SANDBOX_SLACK_PORT", DEFAULT_PORTS.slack),
    notionPort: port(values["notion-port"], "SANDBOX_NOTION_PORT", DEFAULT_PORTS.notion),
    controlPort: port(values["control-port"], "SANDBOX_CONTROL_PORT", DEFAULT_PORTS.control),
    dir: values.dir,
    reset: values.reset ?? false,
    quiet: values.quiet ?? false,
    project: values.project === undefined ? undefined : resolve(values.project),
  };
}

/** One line per fixed port something already listens on, saying which option moves it. */
async function takenPorts(args: Flags): Promise<string[]> {
  const ports: [what: string, flag: string, port: number][] = [
    ["netlify dev", "--port", args.port],
    ["The Slack emulator", "--slack-port", args.slackPort],
    ["The Notion emulator", "--notion-port", args.notionPort],
    ["The sandbox control", "--control-port", args.controlPort],
  ];
  const taken = await Promise.all(ports.map(([, , port]) => isPortTaken(port)));
  return ports.filter((_, index) => taken[index]).map(([what, flag, port]) => portTakenMessage(what, flag, port));
}

/** Whether something listens on the port, on loopback or on every interface (port 0 is never taken). */
function isPortTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once("error", () => resolve(true));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

function portTakenMessage(what: string, flag: string, port: number): string {
  return `${what} cannot listen on port ${port}: something else uses it. Pass ${flag} <another port>.`;
}

/** Starts a server, turning "port in use" into what to do about it. */
async function listening<T>(what: string, flag: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "EADDRINUSE") {
      throw new Error(portTakenMessage(what, flag, port));
    }
    throw error;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/_sandbox/activity`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves on the first Ctrl-C (or SIGTERM, SIGHUP). The handlers stay: through npm and tsx a
 * Ctrl-C can arrive twice, and a second one must not cut the clean stop short. A third forces it.
 */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    let received = 0;
    const stop = (signal: NodeJS.Signals) => {
      received += 1;
      if (received === 1) resolve(signal === "SIGINT" ? "Ctrl-C" : signal);
      if (received >= 3) process.exit(130);
    };
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
  });
}

function shown(dir: string): string {
  const path = relative(process.cwd(), dir);
  return path === "" ? "." : path.startsWith("..") ? dir : path;
}

// ---------------------------------------------------------------------------------------------
// Start-up check and banner

type Probe = { ok: true } | { ok: false; problem: string };

/**
 * A signed `/task list` through the real function: proves the functions took the sandbox's signing
 * secret and reach the Notion emulator (and not whatever a .env file says).
 */
async function probeBot(file: SandboxFile, slack: SlackEmulator, notion: NotionEmulator): Promise<Probe> {
  const notionBefore = notion.requests.length;
  const body = slashCommandBody({ workspace: file, text: "list", user: SLACK_SEED.alice, triggerId: slack.triggerId(SLACK_SEED.alice), responseUrl: slack.responseUrl() });
  try {
    const answer = await sendSigned(`${file.functionsUrl}/slack/commands`, body, { secret: file.signingSecret });
    if (answer.status === 401) return { ok: false, problem: "the functions refused the sandbox's signature: SLACK_SIGNING_SECRET comes from somewhere else" };
    if (answer.status !== 200) return { ok: false, problem: `the functions answered ${answer.status}: ${answer.text.slice(0, 200)}` };
    if (notion.requests.length === notionBefore) return { ok: false, problem: "the bot answered without asking the Notion emulator: NOTION_API_URL comes from somewhere else" };
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `the functions did not answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function printBanner(
  say: (text?: string) => void,
  input: { dir: string; file: SandboxFile; seeded: boolean; tasks: number; probe: Probe; ignored: string[] },
): void {
  const { file } = input;
  const slackOrigin = file.slackApiUrl.replace(/\/api\/$/, "");
  const dirNote = input.dir === sandboxDir(undefined, {}) ? "" : `SANDBOX_DIR=${shown(input.dir)} `;
  const slackCommand = `${dirNote}npm run slack --`;
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  say();
  say(`chatops sandbox is running. State: ${shown(input.dir)}/ (${input.seeded ? "a sample board was just seeded" : "picked up where it left off"}).`);
  say();
  say(`  functions   ${file.functionsUrl}   POST /slack/commands, /slack/interactions, /slack/events, /notion/webhooks, /.netlify/functions/weekly-reminder, /.netlify/functions/task-sync`);
  say(`  Slack       ${slackOrigin}   emulator: workspace "${file.teamDomain}", #general, #${SANDBOX_CHANNELS.tasks.name}, @alice, @bob`);
  say(`  Notion      ${file.notionUrl}   emulator: board "Tasks" with ${input.tasks} tasks; its webhook events go to /notion/webhooks`);
  say(`  control     ${file.controlUrl}   for npm run slack`);
  say();
  if (input.probe.ok) say("  ✓ a signed /task list went through the functions to the Notion emulator");
  else say(`  ✗ start-up check failed: ${input.probe.problem}`);
  if (input.ignored.length > 0) say(`  ✓ your .env is ignored here (${input.ignored.length} variables): the sandbox sets every variable itself`);
  say();
  say("Try, in another terminal:");
  const tries: [string, string][] = [
    [`${slackCommand} /task "Fix login"`, "open the form, fill it in, submit it"],
    [`${slackCommand} /task "Fix login" --priority High --due ${inAWeek} --submit`, "the same, without questions"],
    [`${slackCommand} click last --button Start --as bob`, "Bob starts it from the announcement in #tasks: Alice hears back"],
    [`${slackCommand} notion set-status "Fix login" Done`, "someone finishes it in Notion: Alice hears back"],
    [`${slackCommand} shortcut remind_process --text "can someone fix the login page?"`, "Bob asks in #general; Alice reminds him"],
    [`${slackCommand} click last --as bob`, "Bob presses the reminder's button"],
    [`${slackCommand} shortcut create_task --text "the CSV export times out"`, "turn a message into a task"],
    [`${slackCommand} review`, "post the weekly review now"],
    [`${slackCommand} /task list`, "and /task help, /task review"],
    [`${slackCommand} home`, "Alice's Home tab: her requests and what is assigned to her"],
    [`${slackCommand} mention "list"`, "@chatops list in #general, answered in the thread (or any other text: offered as a task)"],
    [`${slackCommand} state`, "the board and the latest messages"],
  ];
  for (const [command, what] of tries) say(`  ${command}\n      ${what}`);
  say();
  say(`Ctrl-C stops everything; the state stays in ${shown(input.dir)}/ (npm run sandbox -- --reset starts over).`);
  say();
}

await runIfMain(import.meta.url, ({ argv, out, env }) => runSandbox({ argv, out, env }));
