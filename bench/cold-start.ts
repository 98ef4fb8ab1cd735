/**
 * Cold start: process start to the first request answered, in fresh Node processes, against the
 * emulators running in this (parent) process; the same for a bare `node -e 0`, interleaved round by
 * round so that each function's cost over bare Node is a difference taken within one round.
 */
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { randomUUID } from "node:crypto";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../dev/discord-emulator.js";
import { DISCORD_PAYLOADS, discordKeyPair, discordSignedHeaders, type DiscordKeyPair } from "../dev/discord-signed.js";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../dev/teams-emulator.js";
import { teamsMessage } from "../dev/teams-harness.js";
import { TEST_NOTION_WEBHOOK_SECRET } from "../dev/emulator-env.js";
import { startHarness, type Harness } from "../dev/harness.js";
import { MATTERMOST_SEED, type EmulatedDialog, type EmulatedPost } from "../dev/mattermost-emulator.js";
import { SITE_URL, startMattermostHarness, type MattermostHarness } from "../dev/mattermost-harness.js";
import { signNotionBody } from "../src/notion/verify-webhook.js";
import { signedHeaders } from "../dev/signed-request.js";
import { SLACK_SEED, type OpenedView } from "../dev/slack-emulator.js";
import { appHomeOpened, eventBody, eventCallback, interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../dev/slack-payloads.js";
import type { PackagedFunction } from "./packaged.js";
import { summarize, type Summary } from "./stats.js";

/** The names under which the floor functions (bench/floor-*.ts) are measured. */
export const FLOOR = "floor";
export const FLOOR_SLACK_CALL = "floor-slack-call";

const CHILD = fileURLToPath(new URL("./cold-start-child.mjs", import.meta.url));

export interface ColdStartResult {
  rounds: number;
  bareNode: Summary;
  functions: Record<
    string,
    {
      /** What "the first request" was for this function. */
      request: string;
      /**
       * Spawn to the first request answered (ms): the child's answer time (its clock origin plus its
       * performance.now()) minus the parent's spawn time. Exit is left out: Node can take 100 ms to
       * tear down after fetches, which no Slack user waits for.
       */
      total: Summary;
      /** `total` of each round, in order (rounds are paired across functions). */
      totalSamples: number[];
      /** `total` minus the bare Node run of the same round (ms). */
      overBare: Summary;
      /** `total` minus the floor function of the same round (ms): what this function's own code costs. */
      overFloor: Summary | undefined;
      /**
       * `total` minus the floor with a Slack call of the same round (ms): what a function that must
       * verify Slack's signature and call it once before answering, as /task must, adds to that least.
       */
      overFloorSlackCall: Summary | undefined;
      /** Inside the child: importing the zip's entry, Netlify's bootstrap (the function's module loads on the first request) (ms). */
      importMs: Summary;
      /** Inside the child: the first request, from the call to the answer streamed, the function's import included (ms). */
      firstRequestMs: Summary;
      /** Spawn to the child's first line of JavaScript (ms): Node's own start, the same for every function. */
      bootMs: Summary;
    }
  >;
  skipped: Record<string, string>;
  /**
   * teams-messages' fetches of the Bot Framework's OpenID configuration and JWKS, the most any one cold
   * instance made (its first request verifies a JWT): the issue's promise is at most one of each.
   */
  teamsKeyFetches?: { openid: number; keys: number; instances: number } | undefined;
}

interface SerializedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How to build, and check, the first request each function answers. */
interface FirstRequest {
  describe: string;
  build(round: number): SerializedRequest;
  /** Throws when the answer is not the one a working function gives: a broken bundle must not look fast. */
  check(answer: ChildAnswer, round: number): void;
}

interface ChildAnswer {
  timeOrigin: number;
  started: number;
  imported: number;
  answered: number;
  status: number;
  body: string;
}

function signed(body: string, path: string, headers: Record<string, string> = {}): SerializedRequest {
  return { url: `https://chatops.example${path}`, headers: { ...signedHeaders(body), ...headers }, body };
}

/** Discord's side of the bench: its emulator, the key pair that signs, and the variables only discord-interactions is given. */
interface DiscordSide {
  emulator: DiscordEmulator;
  pair: DiscordKeyPair;
  env: Record<string, string>;
}

/** Teams' side of the bench: its emulator (keys, token endpoint, connector) and the variables only teams-messages is given. */
interface TeamsSide {
  emulator: TeamsEmulator;
  /** The most OpenID configuration and JWKS fetches one cold instance made, over how many instances. */
  keyFetches: { openid: number; keys: number; instances: number };
  env: Record<string, string>;
}

/**
 * Mattermost's side: its harness (its handlers on the bench's Notion board, in this process) made,
 * before the rounds, one dialog and one announcement with Start per round, since a submission and a
 * press each act once; and the variables only the three Mattermost functions are given.
 */
interface MattermostSide {
  harness: MattermostHarness;
  /** By round + 1 (the warm-up round is -1). */
  dialogs: EmulatedDialog[];
  announcements: EmulatedPost[];
  env: Record<string, string>;
}

async function startMattermostSide(h: Harness, count: number): Promise<MattermostSide> {
  const mattermostEnv = { MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks, URL: SITE_URL };
  const harness = await startMattermostHarness({ env: { NOTION_TOKEN: h.env["NOTION_TOKEN"]!, NOTION_DATABASE_ID: h.env["NOTION_DATABASE_ID"]!, NOTION_API_URL: h.env["NOTION_API_URL"]!, ...mattermostEnv } });
  const openDialog = async (title: string) => {
    const asked = await harness.command(title);
    await harness.settle();
    const dialog = harness.mattermost.dialogs.at(-1);
    if (asked.status !== 200 || dialog === undefined) throw new Error(`could not open a Mattermost dialog for the bench: ${asked.status} ${asked.text}`);
    return dialog;
  };
  const dialogs: EmulatedDialog[] = [];
  const announcements: EmulatedPost[] = [];
  for (let i = 0; i < count; i++) {
    dialogs.push(await openDialog(`Bench cold start ${i}`));
    const saved = await harness.submit(await openDialog(`Bench press ${i}`), { title: `Bench press ${i}` });
    await harness.settle();
    const announcement = harness.mattermost.posts.findLast((post) => post.channel_id === mattermostEnv.MATTERMOST_TASKS_CHANNEL_ID && JSON.stringify(post.props).includes('"name":"Start"'));
    if (saved.status !== 200 || announcement === undefined) throw new Error(`could not announce a task on Mattermost for the bench: ${saved.status} ${saved.text}`);
    announcements.push(announcement);
  }
  const { MATTERMOST_URL, MATTERMOST_BOT_TOKEN, MATTERMOST_COMMAND_TOKEN } = harness.env;
  return { harness, dialogs, announcements, env: { MATTERMOST_URL: MATTERMOST_URL!, MATTERMOST_BOT_TOKEN: MATTERMOST_BOT_TOKEN!, MATTERMOST_COMMAND_TOKEN: MATTERMOST_COMMAND_TOKEN!, ...mattermostEnv } };
}

function firstRequests(h: Harness, view: OpenedView, discord: DiscordSide, teams: TeamsSide, mattermost: MattermostSide): Record<string, FirstRequest> {
  const mm = mattermost.harness.mattermost;
  const keyCalls = () => ({ openid: teams.emulator.calls.filter((call) => call.route === "openid").length, keys: teams.emulator.calls.filter((call) => call.route === "keys").length });
  let keysBefore = keyCalls();
  const json = (path: string, body: unknown): SerializedRequest => ({ url: `https://chatops.example${path}`, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  let dialogsOpened = 0;
  return {
    "teams-messages": {
      describe: "task help in a personal chat (the JWT verified: one OpenID configuration and one JWKS fetch on a cold instance; claimed; answered 200, the card sent through the connector after)",
      build: () => {
        keysBefore = keyCalls();
        const body = JSON.stringify(teamsMessage(teams.emulator.serviceUrl, "task help"));
        return { url: "https://chatops.example/teams/messages", headers: { "content-type": "application/json", authorization: teams.emulator.authorization() }, body };
      },
      check(answer) {
        if (answer.status !== 200) throw new Error(`teams-messages did not take task help: ${answer.status} ${answer.body.slice(0, 200)}`);
        // Each child is a cold instance: its fetches of the keys, counted on the emulator.
        const after = keyCalls();
        const fetched = teams.keyFetches;
        fetched.openid = Math.max(fetched.openid, after.openid - keysBefore.openid);
        fetched.keys = Math.max(fetched.keys, after.keys - keysBefore.keys);
        fetched.instances += 1;
      },
    },
    "mattermost-commands": {
      describe: "/task with a title (the command token compared, the dialog opened on the Mattermost emulator within the trigger_id's 3 s)",
      build: (round) => {
        dialogsOpened = mm.callsTo("open_dialog").length;
        return { url: "https://chatops.example/mattermost/commands", headers: { "content-type": "application/x-www-form-urlencoded" }, body: mm.commandBody({ text: `Bench cold start ${round}` }) };
      },
      check(answer) {
        if (answer.status !== 200 || mm.callsTo("open_dialog").length <= dialogsOpened) throw new Error(`mattermost-commands did not open the dialog: ${answer.status} ${answer.body}`);
      },
    },
    "mattermost-dialogs": {
      describe: "the task dialog's submission (its signed state checked, claimed in the store, the page created on the Notion emulator)",
      build: (round) => {
        const dialog = mattermost.dialogs[round + 1]!;
        return json(new URL(dialog.url).pathname, mm.dialogSubmission(dialog, { title: `Mattermost cold start ${round}` }));
      },
      check(answer) {
        if (answer.status !== 200 || /"errors?"/.test(answer.body)) throw new Error(`mattermost-dialogs did not save the task: ${answer.status} ${answer.body}`);
      },
    },
    "mattermost-actions": {
      describe: "Start pressed on a task's announcement (its signed context checked, the page moved on the Notion emulator, the post's update answered)",
      build: (round) => {
        const action = mm.actionRequest(mattermost.announcements[round + 1]!, "Start")!;
        return json(new URL(action.url).pathname, action.body);
      },
      check(answer) {
        if (answer.status !== 200 || !answer.body.includes('"update"')) throw new Error(`mattermost-actions did not move the task: ${answer.status} ${answer.body}`);
      },
    },
    "discord-interactions": {
      describe: "/task text:help (verified with Ed25519, parsed, answered with the help: type 4, ephemeral; a command is not claimed)",
      build: () => {
        const body = JSON.stringify(DISCORD_PAYLOADS.taskCommand(discord.emulator.issueInteraction({ type: 2 }), "help"));
        return { url: "https://chatops.example/discord/interactions", headers: discordSignedHeaders(body, discord.pair.privateKey), body };
      },
      check(answer) {
        if (answer.status !== 200 || !answer.body.startsWith('{"type":4,')) throw new Error(`discord-interactions did not answer /task help: ${answer.status} ${answer.body.slice(0, 200)}`);
      },
    },
    "slack-commands": {
      describe: "/task (opens the modal: views.open on the Slack emulator)",
      build: () =>
        signed(
          slashCommandBody({ text: "Bench cold start", triggerId: h.slack.triggerId(SLACK_SEED.alice), responseUrl: h.slack.responseUrl() }),
          "/slack/commands",
        ),
      check(answer) {
        const opened = h.slack.callsTo("views.open").length;
        if (answer.status !== 200 || answer.body !== "" || opened === 0) {
          throw new Error(`slack-commands did not open the modal: ${answer.status} ${answer.body}`);
        }
      },
    },
    "slack-interactions": {
      describe: "task modal submission: claimed in the store, saved to the Notion emulator (Notion client import, board read, page created)",
      build: (round) =>
        signed(interactionBody(viewSubmission({ view: { ...view, id: `VBENCHCOLD${Date.now()}${round}` }, values: taskModalValues({ title: `Cold start ${round}`, priority: "High" }) })), "/slack/interactions"),
      check(answer) {
        if (answer.status !== 200 || !answer.body.includes('"clear"')) {
          throw new Error(`slack-interactions did not save the task: ${answer.status} ${answer.body}`);
        }
        if (!h.blobs.requests.some((request) => request.method === "PUT" && request.path.includes("/claims/"))) {
          throw new Error("slack-interactions saved without claiming the view in the store");
        }
      },
    },
    "slack-events": {
      describe: "app_home_opened, acknowledged (verified, parsed, claimed); the Home tab is published after the answer",
      build: () => signed(eventBody(eventCallback(appHomeOpened({ user: SLACK_SEED.alice }))), "/slack/events", { "content-type": "application/json" }),
      check(answer) {
        if (answer.status !== 200 || answer.body !== "") throw new Error(`slack-events did not acknowledge the event: ${answer.status} ${answer.body}`);
      },
    },
    [FLOOR]: {
      describe: "a v2 function that reads the body and answers 200: the least any function pays",
      build: () => signed(slashCommandBody({ text: "floor" }), "/floor"),
      check(answer) {
        if (answer.status !== 200) throw new Error(`the floor function answered ${answer.status}`);
      },
    },
    [FLOOR_SLACK_CALL]: {
      describe: "the floor plus Slack's signature checked with node:crypto and one Slack Web API call (auth.test) with the global fetch",
      build: () => signed(slashCommandBody({ text: "floor" }), "/floor"),
      check(answer) {
        if (answer.status !== 200) throw new Error(`the floor function with a Slack call answered ${answer.status}`);
      },
    },
    "notion-webhooks": {
      describe: "a signed page.properties_updated event: verified, claimed in the store, acknowledged (the page is read after)",
      build: () => {
        const body = JSON.stringify(benchEvent(h));
        return { url: "https://chatops.example/notion/webhooks", headers: { "content-type": "application/json", "x-notion-signature": signNotionBody(TEST_NOTION_WEBHOOK_SECRET, body) }, body };
      },
      check(answer) {
        if (answer.status !== 200) throw new Error(`notion-webhooks did not acknowledge the event: ${answer.status} ${answer.body}`);
      },
    },
    "task-sync": {
      describe: "scheduled invocation (reads where the last run stopped and the tasks changed since, keeps where it stopped)",
      build: () => ({
        url: "https://chatops.example/.netlify/functions/task-sync",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ next_run: new Date(Date.now() + 3_600_000).toISOString() }),
      }),
      check(answer) {
        if (answer.status >= 400) throw new Error(`task-sync answered ${answer.status}: ${answer.body}`);
      },
    },
    "weekly-reminder": {
      describe: "scheduled invocation (reads open tasks, posts the review)",
      build: () => ({
        url: "https://chatops.example/.netlify/functions/weekly-reminder",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ next_run: new Date(Date.now() + 7 * 86_400_000).toISOString() }),
      }),
      check(answer) {
        if (answer.status >= 400) throw new Error(`weekly-reminder answered ${answer.status}: ${answer.body}`);
      },
    },
    "owed-work": {
      describe: "scheduled invocation (lists the store's owed schedules; nothing owed: no Notion or Slack request)",
      build: () => ({
        url: "https://chatops.example/.netlify/functions/owed-work",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ next_run: new Date(Date.now() + 600_000).toISOString() }),
      }),
      check(answer) {
        if (answer.status >= 400) throw new Error(`owed-work answered ${answer.status}: ${answer.body}`);
      },
    },
    "store-cleanup": {
      describe: "scheduled invocation (lists the store's claims, deletes expired weeks)",
      build: () => ({
        url: "https://chatops.example/.netlify/functions/store-cleanup",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ next_run: new Date(Date.now() + 86_400_000).toISOString() }),
      }),
      check(answer) {
        if (answer.status !== 200 || !answer.body.includes('"cleaned"')) throw new Error(`store-cleanup answered ${answer.status}: ${answer.body}`);
      },
    },
  };
}

/** A person's status change on a page of the board, as Notion sends it; a new event id each time. */
function benchEvent(h: Harness): Record<string, unknown> {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    type: "page.properties_updated",
    authors: [{ id: randomUUID(), type: "person" }],
    attempt_number: 1,
    entity: { id: randomUUID(), type: "page" },
    data: { parent: { id: h.board.databaseId, type: "database", data_source_id: h.board.dataSourceId }, updated_properties: ["st"] },
  };
}

/** A packaged function; `firstRequest` names the request to send when it is not the function's own name. */
export type ColdStartBundle = Pick<PackagedFunction, "name" | "entry"> & { firstRequest?: string };

interface ChildRun {
  wallMs: number;
  /** Epoch ms (fractional) at spawn, to place the child's own timings on the parent's clock. */
  spawnAt: number;
  answer: ChildAnswer | undefined;
  output: string;
}

/** Spawns `node <args>` with exactly `env`; `wallMs` is spawn to exit (what bare Node is measured by). */
function runNode(args: string[], env: Record<string, string>): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const spawnAt = performance.timeOrigin + started;
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let wallMs = 0;
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("exit", () => (wallMs = performance.now() - started));
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(" ")} exited with ${code}:\n${output}`));
      const line = output.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      resolve({ wallMs, spawnAt, answer: line ? (JSON.parse(line.slice("BENCH_RESULT ".length)) as ChildAnswer) : undefined, output });
    });
  });
}

/** Runs `rounds` measured rounds (after one warm-up round that fills the file cache). */
export async function measureColdStart(bundles: readonly ColdStartBundle[], rounds: number): Promise<ColdStartResult> {
  const h = await startHarness();
  const emulator = await startDiscordEmulator();
  const teamsEmulator = await startTeamsEmulator();
  const teams: TeamsSide = {
    emulator: teamsEmulator,
    keyFetches: { openid: 0, keys: 0, instances: 0 },
    env: {
      TEAMS_APP_ID: TEAMS_SEED.appId,
      TEAMS_APP_PASSWORD: TEAMS_SEED.appPassword,
      TEAMS_TENANT_ID: TEAMS_SEED.tenantId,
      TEAMS_OPENID_URL: teamsEmulator.openIdUrl,
      TEAMS_TOKEN_URL: teamsEmulator.tokenUrl,
      TEAMS_SERVICE_URL_ALLOW: teamsEmulator.origin,
    },
  };
  const pair = discordKeyPair();
  const discord: DiscordSide = {
    emulator,
    pair,
    env: { DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId, DISCORD_PUBLIC_KEY: pair.publicKeyHex, DISCORD_BOT_TOKEN: DISCORD_SEED.botToken, DISCORD_API_URL: emulator.apiUrl },
  };
  let mattermost: MattermostSide | undefined;
  try {
    // A real modal to submit: open one through the in-process handler.
    const opened = await h.command("Bench");
    if (opened.status !== 200 || h.slack.views.length === 0) throw new Error(`could not open a modal for the bench: ${opened.text}`);
    const view = h.slack.views[0]!;
    await h.settle();
    mattermost = await startMattermostSide(h, rounds + 1);
    const requests = firstRequests(h, view, discord, teams, mattermost);
    // The store in use, as on Netlify: the environment names it (NETLIFY_BLOBS_CONTEXT), here the harness's Blobs server.
    const blobsContext = Buffer.from(JSON.stringify({ ...h.blobs.connection, uncachedEdgeURL: h.blobs.connection.edgeURL })).toString("base64");
    const env: Record<string, string> = { ...h.env, NODE_ENV: "production", NETLIFY_BLOBS_CONTEXT: blobsContext };
    const requestFor = (b: ColdStartBundle) => requests[b.firstRequest ?? b.name];
    const measured = bundles.filter((b) => requestFor(b));
    const skipped: Record<string, string> = {};
    for (const b of bundles) if (!requestFor(b)) skipped[b.name] = "no first request defined for this function in bench/cold-start.ts";

    const bare: number[] = [];
    const samples = new Map<string, Record<"total" | "overBare" | "overFloor" | "overFloorSlackCall" | "importMs" | "firstRequestMs" | "bootMs", number[]>>();
    for (const b of measured) samples.set(b.name, { total: [], overBare: [], overFloor: [], overFloorSlackCall: [], importMs: [], firstRequestMs: [], bootMs: [] });

    for (let round = -1; round < rounds; round++) {
      const bareRun = await runNode(["-e", "0"], env);
      // Rotate the order so no function always runs right after bare Node.
      const order = measured.map((_, i) => measured[(i + Math.max(round, 0)) % measured.length]!);
      const runs = new Map<string, ChildRun>();
      for (const bundle of order) {
        const first = requestFor(bundle)!;
        const input = { entryUrl: pathToFileURL(bundle.entry).href, request: first.build(round) };
        // Each platform's variables for its own functions only: the Slack functions are measured as they run without them.
        const own = bundle.name === "discord-interactions" ? discord.env : bundle.name === "teams-messages" ? teams.env : bundle.name.startsWith("mattermost-") ? mattermost.env : {};
        const run = await runNode([CHILD], { ...env, ...own, BENCH_COLD_INPUT: JSON.stringify(input) });
        if (!run.answer) throw new Error(`${bundle.name}: the child printed no result:\n${run.output}`);
        first.check(run.answer, round);
        runs.set(bundle.name, run);
      }
      if (round < 0) continue;
      bare.push(bareRun.wallMs);
      const answeredMs = (run: ChildRun) => run.answer!.timeOrigin + run.answer!.answered - run.spawnAt;
      const floorRun = runs.get(FLOOR);
      const floorSlackCallRun = runs.get(FLOOR_SLACK_CALL);
      for (const [name, run] of runs) {
        const s = samples.get(name)!;
        s.total.push(answeredMs(run));
        s.overBare.push(answeredMs(run) - bareRun.wallMs);
        if (floorRun) s.overFloor.push(answeredMs(run) - answeredMs(floorRun));
        if (floorSlackCallRun) s.overFloorSlackCall.push(answeredMs(run) - answeredMs(floorSlackCallRun));
        s.importMs.push(run.answer!.imported - run.answer!.started);
        s.firstRequestMs.push(run.answer!.answered - run.answer!.imported);
        s.bootMs.push(run.answer!.timeOrigin + run.answer!.started - run.spawnAt);
      }
    }

    const functions: ColdStartResult["functions"] = {};
    for (const bundle of measured) {
      const s = samples.get(bundle.name)!;
      functions[bundle.name] = {
        request: requestFor(bundle)!.describe,
        total: summarize(s.total),
        totalSamples: s.total.map((ms) => Math.round(ms * 10) / 10),
        overBare: summarize(s.overBare),
        overFloor: s.overFloor.length > 0 ? summarize(s.overFloor) : undefined,
        overFloorSlackCall: s.overFloorSlackCall.length > 0 ? summarize(s.overFloorSlackCall) : undefined,
        importMs: summarize(s.importMs),
        firstRequestMs: summarize(s.firstRequestMs),
        bootMs: summarize(s.bootMs),
      };
    }
    return { rounds, bareNode: summarize(bare), functions, skipped, ...(teams.keyFetches.instances > 0 ? { teamsKeyFetches: teams.keyFetches } : {}) };
  } finally {
    await h.close();
    await emulator.close();
    await teamsEmulator.close();
    await mattermost?.harness.close();
  }
}
