/**
 * `npm run sandbox`: the whole bot offline. Loopback emulators of the Slack Web API, Discord's REST
 * API, Mattermost's REST API, what a Teams bot talks to (Bot Framework keys, token endpoint,
 * connector) and the Notion API (Slack's and Notion's state kept in .sandbox/ so it
 * survives restarts; a sample board on first run), the real functions under `netlify dev` pointed at
 * them with every platform on, the sandbox's control endpoints for `npm run slack` (and the Discord,
 * Mattermost and Teams CLIs), which play
 * each platform against it, and a page that shows it all in a browser (sandbox-ui-server.ts).
 * Ctrl-C stops everything.
 *
 * The emulators come from dev/, which the tests, this sandbox, the Slack CLI and the bench share.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { EnvSource } from "../env.js";
import { startDiscordEmulator, type DiscordEmulator } from "../../dev/discord-emulator.js";
import { startMattermostEmulator, type MattermostEmulator } from "../../dev/mattermost-emulator.js";
import { startTeamsEmulator, type TeamsEmulator } from "../../dev/teams-emulator.js";
import { discordKeyPair } from "../../dev/discord-signed.js";
import type { FunctionsServer } from "../../dev/functions-in-process.js";
import { commandDefinitions } from "../platforms/discord/commands.js";
import { createDiscordRest } from "../platforms/discord/rest.js";
import { NETLIFY_DEV_TRIGGER_LIFETIME_MS, startNetlifyDev } from "../../dev/netlify-dev.js";
import { startNotionEmulator, type NotionEmulator } from "../../dev/notion-emulator.js";
import { startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import type { Output } from "./report.js";
import { printBanner, probeBot, probeDiscord, probeMattermost, probeTeams } from "./sandbox-banner.js";
import { createSandboxControlClient, startSandboxControl, type SandboxControl } from "./sandbox-control.js";
import { readSandboxFile, removeSandboxFile, sandboxDir, showDir, writeSandboxFile } from "./sandbox-file.js";
import { parseSandboxFlags, SANDBOX_USAGE, type SandboxFlags } from "./sandbox-flags.js";
import { listening, takenPorts } from "./sandbox-ports.js";
import { SANDBOX_BOARD, SANDBOX_CREDENTIALS, SANDBOX_DISCORD, SANDBOX_MATTERMOST, SANDBOX_TEAMS, sandboxBotEnv, sandboxFileFor, seedBoard, seedMattermost, seedWorkspace } from "./sandbox-seed.js";
import { startSandboxUi } from "./sandbox-ui-server.js";
import { openInBrowser } from "./open-browser.js";
import { runIfMain } from "./script.js";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

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
  /** Opens the page's URL in a browser (unless --no-open); nothing by default, so a test never opens one. */
  openBrowser?: (url: string) => void;
}

/**
 * Where the sandbox's state lives, emptied when asked (--reset) or when it is incomplete. netlify
 * dev keeps the bot's store (its local Blobs server) in the served project's .netlify/blobs-serve,
 * and has no setting to keep it elsewhere. The store and the emulators' state go together: claims
 * name the emulators' modals and pages, so emulators that start afresh start with an empty store
 * too, or a new modal could be answered with a page an old claim names.
 */
export function prepareState(dir: string, project: string, options: { reset: boolean }): { slackStatePath: string; notionStatePath: string; discordStatePath: string; storePath: string } {
  const slackStatePath = join(dir, "slack.json");
  const notionStatePath = join(dir, "notion.json");
  // Discord's guild is not required to be there: a state kept before the sandbox served Discord starts it empty.
  const discordStatePath = join(dir, "discord.json");
  const storePath = join(project, ".netlify", "blobs-serve");
  if (options.reset || !existsSync(slackStatePath) || !existsSync(notionStatePath)) {
    rmSync(slackStatePath, { force: true });
    rmSync(notionStatePath, { force: true });
    rmSync(discordStatePath, { force: true });
    rmSync(storePath, { recursive: true, force: true });
  }
  return { slackStatePath, notionStatePath, discordStatePath, storePath };
}

/** Runs the sandbox until stopped; returns the exit code. */
export async function runSandbox(options: SandboxOptions): Promise<number> {
  const { out } = options;
  const say = (text = "") => void out.write(`${text}\n`);
  let args: SandboxFlags;
  try {
    args = parseSandboxFlags(options.argv, options.env);
  } catch (error) {
    say(error instanceof Error ? error.message : String(error));
    say(SANDBOX_USAGE);
    return 2;
  }
  if (args.help) {
    say(SANDBOX_USAGE);
    return 0;
  }

  const dir = sandboxDir(args.dir, options.env);
  mkdirSync(dir, { recursive: true });
  const running = readSandboxFile(dir);
  if (running && (await answers(running.controlUrl))) {
    say(`A sandbox is already running from ${showDir(dir)} (pid ${running.pid}, ${running.functionsUrl}). Stop it first, or pass --dir.`);
    return 1;
  }
  // Every port before anything starts or --reset deletes the saved state: finding one taken later
  // would leave the state gone and the sandbox not running.
  const taken = await takenPorts(args);
  if (taken.length > 0) {
    for (const line of taken) say(line);
    return 1;
  }
  const { slackStatePath, notionStatePath, discordStatePath } = prepareState(dir, args.project ?? PROJECT_ROOT, { reset: args.reset });

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
    const discord: DiscordEmulator = await listening("The Discord emulator", "--discord-port", args.discordPort, () =>
      startDiscordEmulator({ port: args.discordPort, botToken: SANDBOX_DISCORD.botToken, channels: [SANDBOX_DISCORD.channels.tasks.id], initialResponseMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS, statePath: discordStatePath }),
    );
    stack.push(() => discord.close());
    // Mattermost's emulator keeps nothing across restarts: its posts, dialogs and triggers are the session's.
    const mattermost: MattermostEmulator = await listening("The Mattermost emulator", "--mattermost-port", args.mattermostPort, () =>
      startMattermostEmulator({ port: args.mattermostPort, botToken: SANDBOX_MATTERMOST.botToken, triggerLifetimeMs: NETLIFY_DEV_TRIGGER_LIFETIME_MS }),
    );
    stack.push(() => mattermost.close());
    // Teams' emulator keeps nothing either, and its signing key is the session's: the bot is added to
    // each conversation again at every start (probeTeams), which renews the references it keeps.
    const teams: TeamsEmulator = await listening("The Teams emulator", "--teams-port", args.teamsPort, () => startTeamsEmulator({ port: args.teamsPort }));
    stack.push(() => teams.close());
    // The session's key pair: the functions verify with its public half, the page and the CLI sign with the private one.
    const keys = discordKeyPair();
    seedWorkspace(slack);
    await registerDiscordCommands(discord);
    const mattermostPermalink = seedMattermost(mattermost);
    const seeded = seedBoard(notion, new Date());
    let functions: FunctionsServer | undefined;
    const discordDirectory = {
      guild: { id: SANDBOX_DISCORD.guildId, name: SANDBOX_DISCORD.guildName },
      botId: SANDBOX_DISCORD.applicationId,
      channels: Object.values(SANDBOX_DISCORD.channels),
      people: SANDBOX_DISCORD.people,
    };
    const control: SandboxControl = await listening("The sandbox control", "--control-port", args.controlPort, () =>
      startSandboxControl({ slack, notion, dataSourceId: SANDBOX_BOARD.dataSourceId, slackStatePath, port: args.controlPort, busy: () => functions?.busy?.(), discord: { emulator: discord, directory: discordDirectory }, mattermost: { emulator: mattermost, directory: { botId: SANDBOX_MATTERMOST.botUserId, channels: Object.values(SANDBOX_MATTERMOST.channels), people: SANDBOX_MATTERMOST.people } }, teams: { emulator: teams, directory: { botId: `28:${SANDBOX_TEAMS.appId}`, conversations: Object.values(SANDBOX_TEAMS.conversations), people: SANDBOX_TEAMS.people } } }),
    );
    stack.push(() => control.close());

    const urls = { slackApiUrl: slack.apiUrl, notionUrl: notion.url, discordApiUrl: discord.apiUrl, discordPublicKey: keys.publicKeyHex, mattermostUrl: mattermost.url, teamsOrigin: teams.origin };
    const botEnv = sandboxBotEnv(urls);
    say(`Starting netlify dev on port ${args.port} (offline)…`);
    const serve = options.serveFunctions ?? ((env, where) => startNetlifyDev(env, { ...where, timeoutMs: 120_000 }));
    const dev = await listening("netlify dev", "--port", args.port, () => serve(botEnv, { port: args.port, cwd: args.project ?? PROJECT_ROOT }));
    stack.push(() => dev.stop());
    functions = dev;
    // Notion's webhook subscription: a status change in the emulator reaches the functions, signed.
    notion.configureWebhooks({ url: `${dev.url}/notion/webhooks`, token: SANDBOX_CREDENTIALS.notionWebhookSecret });

    const file = sandboxFileFor({ ...urls, functionsUrl: dev.url, controlUrl: control.url, discordPrivateKey: keys.privateKey.export({ format: "pem", type: "pkcs8" }).toString(), teamsKey: { kid: teams.pair.kid, privateKey: teams.pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString() } });
    // The page hears the function log from the first line: the start-up check's.
    const ui = await listening("The sandbox page", "--ui-port", args.uiPort, () =>
      startSandboxUi({ port: args.uiPort, control: createSandboxControlClient(control.url), file, slack, notion, discord, mattermost, teams, dataSourceId: SANDBOX_BOARD.dataSourceId, slackStatePath, onLine: (listener) => dev.onLine(listener) }),
    );
    stack.push(() => ui.close());
    const probe = await probeBot(file, slack, notion);
    const discordProbe = await probeDiscord(file);
    const mattermostProbe = await probeMattermost(file);
    const teamsProbe = await probeTeams(file);
    // The probes' own work (a list answered after its acknowledgement, on a busy machine) ends before the sandbox says it is
    // ready: what a person's first command shows, and the sandbox's state, are theirs alone.
    await quietWithin(() => (functions?.busy?.() ?? 0) + notion.webhooks.underWay(), 30_000);
    writeSandboxFile(dir, file);
    stack.push(async () => removeSandboxFile(dir, process.pid));

    const ignored = dev.ignoredEnvFileVariables();
    printBanner(say, { dir, file, seeded, tasks: notion.pages(SANDBOX_BOARD.dataSourceId).filter((page) => !page.in_trash).length, probe, discordProbe, mattermostProbe, teamsProbe, mattermostPermalink, ignored, pageUrl: ui.url });
    if (args.open) options.openBrowser?.(ui.url);
    if (!args.quiet) dev.onLine((line) => say(`  netlify │ ${line}`));

    const reason = await Promise.race([options.stopSignal ?? stopSignal(), dev.exited.then(() => "netlify dev exited")]);
    say();
    say(`Stopping the sandbox (${reason})…`);
    const crashed = reason === "netlify dev exited";
    if (crashed) say(dev.output().split("\n").slice(-20).join("\n"));
    await stopAll();
    say(`Stopped. The state stays in ${showDir(dir)}/; npm run sandbox -- --reset starts over.`);
    return crashed ? 1 : 0;
  } catch (error) {
    await stopAll();
    say(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/** The application's commands, registered as `npm run discord:register` would: what Discord's client offers. */
async function registerDiscordCommands(discord: DiscordEmulator): Promise<void> {
  const rest = createDiscordRest({ token: SANDBOX_DISCORD.botToken, applicationId: SANDBOX_DISCORD.applicationId, apiUrl: discord.apiUrl });
  await rest.overwriteCommands(commandDefinitions(), SANDBOX_DISCORD.guildId);
}

/** Waits until `busy` says 0 (functions served in process can say; netlify dev cannot, and says nothing), or `withinMs` has passed. */
async function quietWithin(busy: () => number, withinMs: number): Promise<void> {
  const until = Date.now() + withinMs;
  while (busy() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
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

await runIfMain(import.meta.url, ({ argv, out, env }) => runSandbox({ argv, out, env, openBrowser: (url) => openInBrowser(url, env) }));
