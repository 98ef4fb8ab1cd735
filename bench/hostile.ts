/**
 * `npm run hostile`: the hostile-input trial and the soak, on one warm instance of each Slack handler
 * in this process, against the Slack, Notion and Blobs emulators in another (bench/emulator-process.ts).
 *
 *   1. signed:   N hostile inputs, correctly signed, to both endpoints (dev/hostile-payloads.ts);
 *   2. unsigned: M of the same, unsigned or wrongly signed (no headers, another secret, 301 s off,
 *                a made-up signature);
 *   3. soak:     K mixed requests as people send them (/task, submissions with some resubmitted,
 *                shortcuts, the reminder's button, /task list, help and review), at concurrency C;
 *   4. Discord:  D hostile interactions at /discord/interactions, signed with Ed25519 (dev/hostile-discord.ts),
 *                and D/4 unsigned or wrongly signed, against a Discord emulator in this process;
 *   5. Teams:    T hostile activities at /teams/messages, each with a JWT the Teams emulator signed for
 *                the serviceUrl its body names (dev/hostile-teams.ts: forged serviceUrls, another tenant,
 *                markup and a typed canary in every text field, bodies past 1 MB, deep JSON), and T/4
 *                with a token wrong in one of eight ways, against a Teams emulator in this process.
 *
 * Checked throughout: no 5xx, nothing thrown, no unhandled rejection, no hang (an answer within
 * 10 s, deferred work within 60 s), one request log line per request and none over 4 kB, no call to
 * anything but the emulators, no log line holding what a person typed (Teams' canary); for the
 * signed inputs, an answer the platform can show; for the unsigned, a
 * bare 401 and no call made; for the soak, the answer each request calls for, every submission
 * saved exactly once (on a board with Request ID) and the heap after garbage collection, wave by wave.
 * Exits non-zero on any failure.
 *
 *   npm run hostile                                  the issue's sizes: 20,000 / 5,000 / 50,000 at 20
 *   npm run hostile -- --signed 2000 --unsigned 500 --soak 5000 --discord 2000 --concurrency 20 --seed 1
 *   npm run hostile -- --teams [2000]                Teams' phases only (5,000 activities and 1,250 by default)
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import fc from "fast-check";
import { encodeReminderButton } from "../src/features/process-reminder/reminder-message.js";
import { createDiscordInteractionsHandler, createSlackCommandsHandler, createSlackInteractionsHandler, createTeamsMessagesHandler, type Handler, type InvocationContext } from "../src/handlers.js";
import { MAX_BODY_BYTES as MAX_DISCORD_BODY_BYTES } from "../src/platforms/discord/read-interaction.js";
import { MAX_BODY_BYTES } from "../src/platforms/slack/read-request.js";
import { MAX_BODY_BYTES as MAX_TEAMS_BODY_BYTES } from "../src/handlers/teams-messages.js";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../dev/discord-emulator.js";
import { discordKeyPair, discordSignedHeaders, type DiscordKeyPair } from "../dev/discord-signed.js";
import { discordAnswerProblem, hostileDiscordBodies, withLiveInteraction } from "../dev/hostile-discord.js";
import { hostileTeamsActivities, tamperedAuthorization, teamsAnswerProblem, TOKEN_TAMPERINGS, TYPED_CANARY, withServiceUrl } from "../dev/hostile-teams.js";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../dev/teams-emulator.js";
import { answerProblem, hostileCommandBodies, hostileInteractionBodies, tamperedHeaders, TAMPERINGS, withLiveUrls, type Tampering } from "../dev/hostile-payloads.js";
import { signedRequest } from "../dev/signed-request.js";
import { SLACK_SEED } from "../dev/slack-emulator.js";
import { blockActions, interactionBody, messageAction, messageTs, slackMessage, slashCommandBody, taskModalValues, viewSubmission } from "../dev/slack-payloads.js";
import type { SavedOnce } from "./emulator-process.js";
import { startRemoteEmulators, type RemoteEmulators } from "./emulators.js";
import { markdownTable, percentile, round, runPool } from "./stats.js";

const DEFAULTS = { signed: 20_000, unsigned: 5_000, soak: 50_000, discord: 5_000, teams: 5_000, concurrency: 20, seed: 16 };
/** Soak requests are built, sent and settled in waves of this many; the heap is sampled after each. */
const WAVE = 1_000;
/**
 * Hostile inputs go in smaller waves: fast-check's bodies average about 100 kB (some pass the 1 MiB
 * limit on purpose), and a wave's are built at once, in this process.
 */
const HOSTILE_WAVE = 200;
/** An answer later than this is a hang (Slack gives up after 3 s; the bot's deadline is 2 s). */
const ANSWER_TIMEOUT_MS = 10_000;
/** Deferred work still running this long after a wave's last answer is a hang. */
const SETTLE_TIMEOUT_MS = 60_000;
/** A log line at least this long is a failure: every field is bounded (src/log.ts). */
const LOG_LINE_BOUND_BYTES = 4_096;

type Options = typeof DEFAULTS & { teamsOnly: boolean };

function parseArgs(input: readonly string[]): Options {
  const options = { ...DEFAULTS, teamsOnly: false };
  const argv = [...input];
  // `--teams [count]`: Teams' phases only, with `count` hostile activities (5,000 by default).
  const teams = argv.indexOf("--teams");
  if (teams >= 0) {
    options.teamsOnly = true;
    if (!/^\d+$/.test(argv[teams + 1] ?? "")) argv.splice(teams, 1);
  }
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, "");
    const value = Number(argv[i + 1]);
    if (!name || !(name in DEFAULTS)) throw new Error(`unknown option ${argv[i]}: use --signed, --unsigned, --soak, --discord, --teams, --concurrency, --seed`);
    if (!(Number.isInteger(value) && value >= 0)) throw new Error(`--${name} needs a whole number`);
    options[name as keyof typeof DEFAULTS] = value;
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// The instance under test, and what it shows

/** What the run watched for, in one phase. */
interface Tally {
  requests: number;
  status5xx: number;
  thrown: number;
  hung: number;
  /** Answers other than the one the request calls for. */
  wrong: number;
  /** Request log lines written, and lines with an error outcome. */
  requestLines: number;
  errorLines: number;
  longestLine: number;
  /** Calls to anything but the emulators. */
  escaped: number;
  ms: number[];
  problems: string[];
}

const newTally = (): Tally => ({ requests: 0, status5xx: 0, thrown: 0, hung: 0, wrong: 0, requestLines: 0, errorLines: 0, longestLine: 0, escaped: 0, ms: [], problems: [] });

function note(tally: Tally, problem: string): void {
  if (tally.problems.length < 10) tally.problems.push(problem.slice(0, 300));
}

interface Instance {
  commands: Handler;
  interactions: Handler;
  /** /discord/interactions, with Discord's variables added to Slack's. */
  discord: Handler;
  /** /teams/messages, with Teams' variables added to Slack's. */
  teams: Handler;
  context: InvocationContext;
  /** The phase the log lines and calls count into. */
  tally: Tally;
  settle(): Promise<boolean>;
}

/** Discord's side: its emulator in this process, and the key pair the interactions are signed with. */
interface DiscordSide {
  emulator: DiscordEmulator;
  pair: DiscordKeyPair;
}

function startInstance(emulators: RemoteEmulators, discord: DiscordSide, teams: TeamsEmulator): Instance {
  const allowed = new Set([emulators.env.SLACK_API_URL!, emulators.env.NOTION_API_URL!, emulators.blobs.edgeURL, discord.emulator.apiUrl, teams.origin].map((url) => new URL(url).origin));
  const instance: Instance = {
    commands: undefined as unknown as Handler,
    interactions: undefined as unknown as Handler,
    discord: undefined as unknown as Handler,
    teams: undefined as unknown as Handler,
    tally: newTally(),
    context: { waitUntil: (promise) => void pending.push(promise) },
    async settle() {
      const deadline = new Promise<false>((resolve) => setTimeout(() => resolve(false), SETTLE_TIMEOUT_MS).unref());
      while (pending.length > 0) {
        const settled = await Promise.race([Promise.allSettled(pending.splice(0)).then(() => true as const), deadline]);
        if (!settled) return false;
      }
      return true;
    },
  };
  const pending: Promise<unknown>[] = [];
  // The bot's fetch: only the emulators may be called (a hostile response_url must never be).
  const guarded: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!allowed.has(new URL(url).origin)) {
      instance.tally.escaped++;
      note(instance.tally, `called ${new URL(url).origin}`);
      return Promise.reject(new TypeError("hostile: not an emulator"));
    }
    return fetch(input, init);
  };
  // The function log, read as it is written and not kept.
  const logSink = (line: string) => {
    const tally = instance.tally;
    tally.longestLine = Math.max(tally.longestLine, Buffer.byteLength(line));
    if (line.includes('"event":"request"')) tally.requestLines++;
    if (line.includes('"outcome":"error"')) {
      tally.errorLines++;
      note(tally, line);
    }
    // What a person typed never reaches a log (masked as [typed text]).
    if (line.includes(TYPED_CANARY)) {
      tally.wrong++;
      note(tally, `typed text in a log line: ${line}`);
    }
  };
  const options = { env: emulators.env, blobs: emulators.blobs, fetch: guarded, logSink };
  instance.commands = createSlackCommandsHandler(options);
  instance.interactions = createSlackInteractionsHandler(options);
  const discordEnv = { DISCORD_APPLICATION_ID: DISCORD_SEED.applicationId, DISCORD_PUBLIC_KEY: discord.pair.publicKeyHex, DISCORD_BOT_TOKEN: DISCORD_SEED.botToken, DISCORD_API_URL: discord.emulator.apiUrl };
  instance.discord = createDiscordInteractionsHandler({ ...options, env: { ...emulators.env, ...discordEnv } });
  const teamsEnv = { TEAMS_APP_ID: TEAMS_SEED.appId, TEAMS_APP_PASSWORD: TEAMS_SEED.appPassword, TEAMS_TENANT_ID: TEAMS_SEED.tenantId, TEAMS_OPENID_URL: teams.openIdUrl, TEAMS_TOKEN_URL: teams.tokenUrl, TEAMS_SERVICE_URL_ALLOW: teams.origin };
  instance.teams = createTeamsMessagesHandler({ ...options, env: { ...emulators.env, ...teamsEnv } });
  return instance;
}

/** Sends one request, timing it, and returns its answer (or undefined when it threw or hung). */
async function send(instance: Instance, handler: Handler, request: Request, label = "request"): Promise<{ status: number; text: string } | undefined> {
  const tally = instance.tally;
  tally.requests++;
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = handler(request, instance.context).then(async (response) => ({ status: response.status, text: await response.text() }));
    const hang = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), ANSWER_TIMEOUT_MS)));
    const answer = await Promise.race([answered, hang]);
    if (answer === "hung") {
      tally.hung++;
      note(tally, `${label}: no answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
      return undefined;
    }
    tally.ms.push(performance.now() - started);
    if (answer.status >= 500) {
      tally.status5xx++;
      note(tally, `${answer.status} ${answer.text.slice(0, 200)}`);
    }
    return answer;
  } catch (error) {
    tally.thrown++;
    note(tally, `threw ${String(error)}`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Sends `count` requests in waves, settling deferred work and counting log lines after each. */
interface WaveOptions {
  concurrency: number;
  waveSize: number;
  /** Runs once a wave has settled, before the emulators forget its calls. */
  settled?: () => Promise<void>;
  /** Runs after each wave, once the emulators have forgotten. */
  afterWave?: () => Promise<void>;
}

async function runWaves(instance: Instance, emulators: RemoteEmulators, count: number, options: WaveOptions, wave: (first: number, size: number) => Promise<(() => Promise<void>)[]>): Promise<void> {
  for (let first = 0; first < count; first += options.waveSize) {
    const jobs = await wave(first, Math.min(options.waveSize, count - first));
    await runPool(jobs.length, options.concurrency, (index) => jobs[index]!());
    if (!(await instance.settle())) {
      instance.tally.hung++;
      note(instance.tally, `deferred work still running ${SETTLE_TIMEOUT_MS / 1000} s after the wave at ${first}`);
    }
    await options.settled?.();
    await emulators.forget();
    await options.afterWave?.();
    if ((first + jobs.length) % 5_000 === 0 || first + jobs.length === count) process.stderr.write(`hostile: ${first + jobs.length} of ${count}\n`);
  }
}

// ---------------------------------------------------------------------------------------------
// The phases

async function signedPhase(instance: Instance, emulators: RemoteEmulators, options: Options): Promise<void> {
  const seedFor = (first: number) => options.seed * 1_000_003 + first;
  await runWaves(instance, emulators, options.signed, { concurrency: options.concurrency, waveSize: HOSTILE_WAVE }, async (first, size) => {
    // One command in three, as Slack's traffic has more interactions than commands.
    const commands = fc.sample(hostileCommandBodies, { numRuns: Math.ceil(size / 3), seed: seedFor(first) });
    const interactions = fc.sample(hostileInteractionBodies, { numRuns: size - commands.length, seed: seedFor(first) + 1 });
    const live = await emulators.mint(size * 3);
    let next = 0;
    const urls = { responseUrl: () => live.responseUrls[next++ % live.responseUrls.length]!, triggerId: () => live.triggerIds[next++ % live.triggerIds.length]! };
    const jobs = commands.map((template) => {
      const body = withLiveUrls(template, urls);
      return async () => void checkSigned(instance, await send(instance, instance.commands, signedRequest(body)), body, undefined);
    });
    for (const hostile of interactions) {
      const body = withLiveUrls(hostile.body, urls);
      jobs.push(async () => void checkSigned(instance, await send(instance, instance.interactions, signedRequest(body)), body, hostile.type));
    }
    return jobs;
  });
}

function checkSigned(instance: Instance, answer: { status: number; text: string } | undefined, body: string, type: unknown): void {
  if (answer === undefined) return;
  const tooLarge = Buffer.byteLength(body) > MAX_BODY_BYTES;
  const wrong = (why: string) => {
    instance.tally.wrong++;
    note(instance.tally, why);
  };
  if (answer.status !== (tooLarge ? 413 : 200)) return wrong(`answered ${answer.status} to a signed body of ${Buffer.byteLength(body)} bytes`);
  if (tooLarge || answer.text === "") {
    // An empty 200 closes a modal: only a save may do that, and it answers "clear".
    if (type === "view_submission" && !tooLarge) wrong("a modal closed without a word");
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return wrong(`an answer that is not JSON: ${answer.text.slice(0, 100)}`);
  }
  const problem = typeof json === "object" && json !== null ? answerProblem(json as Record<string, unknown>) : "not an object";
  if (problem) return wrong(problem);
  if (type === "view_submission" && !/^(errors|update|clear)$/.test(String((json as { response_action?: unknown }).response_action))) wrong("a modal answered with a message");
}

async function unsignedPhase(instance: Instance, emulators: RemoteEmulators, options: Options): Promise<void> {
  const before = await emulators.counts();
  await emulators.forget();
  // Not one call to Slack, Notion or the store may come from a request that failed verification.
  const settled = async () => {
    const { calls } = await emulators.counts();
    if (calls > 0) {
      instance.tally.wrong++;
      note(instance.tally, `unsigned requests made ${calls} calls`);
    }
  };
  await runWaves(instance, emulators, options.unsigned, { concurrency: options.concurrency, waveSize: HOSTILE_WAVE, settled }, async (first, size) => {
    const seed = options.seed * 7_000_003 + first;
    const commands = fc.sample(fc.tuple(hostileCommandBodies, fc.constantFrom(...TAMPERINGS)), { numRuns: Math.ceil(size / 3), seed });
    const interactions = fc.sample(fc.tuple(hostileInteractionBodies.map((hostile) => hostile.body), fc.constantFrom(...TAMPERINGS)), { numRuns: size - commands.length, seed: seed + 1 });
    const live = await emulators.mint(size * 3);
    let next = 0;
    const urls = { responseUrl: () => live.responseUrls[next++ % live.responseUrls.length]!, triggerId: () => live.triggerIds[next++ % live.triggerIds.length]! };
    const job = (handler: Handler, path: string, template: string, how: Tampering) => async () => {
      const body = withLiveUrls(template, urls);
      const request = new Request(`http://localhost/slack/${path}`, { method: "POST", headers: tamperedHeaders(body, how, Math.floor(Date.now() / 1000)), body });
      const answer = await send(instance, handler, request);
      if (answer === undefined) return;
      const expected = Buffer.byteLength(body) > MAX_BODY_BYTES ? 413 : 401;
      if (answer.status !== expected || (expected === 401 && answer.text !== "Unauthorized")) {
        instance.tally.wrong++;
        note(instance.tally, `answered ${answer.status} ${answer.text.slice(0, 80)} to a body ${how === "none" ? "without a signature" : `signed "${how}"`}`);
      }
    };
    return [...commands.map(([body, how]) => job(instance.commands, "commands", body, how)), ...interactions.map(([body, how]) => job(instance.interactions, "interactions", body, how))];
  });
  const after = await emulators.counts();
  if (after.pages !== before.pages) {
    instance.tally.wrong++;
    note(instance.tally, `unsigned requests made ${after.pages - before.pages} pages`);
  }
}

/** The interaction type a body declares, when it is one the Discord emulator issues (2 command, 3 component, 5 modal submit). */
function declaredType(body: string): 2 | 3 | 5 | undefined {
  try {
    const type = (JSON.parse(body) as { type?: unknown } | null)?.type;
    return type === 2 || type === 3 || type === 5 ? type : undefined;
  } catch {
    return undefined;
  }
}

async function discordSignedPhase(instance: Instance, emulators: RemoteEmulators, discord: DiscordSide, options: Options): Promise<void> {
  const wrong = (why: string) => {
    instance.tally.wrong++;
    note(instance.tally, why);
  };
  await runWaves(instance, emulators, options.discord, { concurrency: options.concurrency, waveSize: HOSTILE_WAVE, afterWave: async () => discord.emulator.reset() }, async (first, size) => {
    const bodies = fc.sample(hostileDiscordBodies, { numRuns: size, seed: options.seed * 11_000_003 + first });
    return bodies.map((template) => async () => {
      const declared = declaredType(template);
      const live = discord.emulator.issueInteraction({ type: declared ?? 2 });
      const body = withLiveInteraction(template, live);
      const request = new Request("http://localhost/discord/interactions", { method: "POST", headers: discordSignedHeaders(body, discord.pair.privateKey), body });
      const answer = await send(instance, instance.discord, request, "discord");
      if (answer === undefined) return;
      const tooLarge = Buffer.byteLength(body) > MAX_DISCORD_BODY_BYTES;
      if (!(tooLarge ? [413] : [200, 400]).includes(answer.status)) return wrong(`discord: answered ${answer.status} to a signed body of ${Buffer.byteLength(body)} bytes`);
      if (answer.status !== 200) return;
      let json: unknown;
      try {
        json = JSON.parse(answer.text);
      } catch {
        return wrong(`discord: an answer that is not JSON: ${answer.text.slice(0, 100)}`);
      }
      const problem = discordAnswerProblem(json);
      if (problem) return wrong(`discord: ${problem}`);
      // As Discord takes it, when the body named the interaction the emulator issued as what it declares.
      if (declared !== undefined && body.includes(live.id) && body.includes(live.token) && (json as { type: number }).type !== 1) {
        const refused = discord.emulator.receiveHttpResponse(live, json);
        if (refused) wrong(`discord: Discord refused the answer: ${refused.code} ${refused.message}`);
      }
    });
  });
}

async function discordUnsignedPhase(instance: Instance, emulators: RemoteEmulators, discord: DiscordSide, options: Options): Promise<void> {
  const other = discordKeyPair();
  const tamperings = ["none", "other-key", "stale", "future", "garbage"] as const;
  await emulators.forget();
  // Not one call to Discord, Slack, Notion or the store may come from a request that failed verification.
  const settled = async () => {
    const { calls } = await emulators.counts();
    const discordCalls = discord.emulator.calls.length;
    if (calls + discordCalls > 0) {
      instance.tally.wrong++;
      note(instance.tally, `unsigned Discord requests made ${calls + discordCalls} calls`);
    }
  };
  await runWaves(instance, emulators, Math.ceil(options.discord / 4), { concurrency: options.concurrency, waveSize: HOSTILE_WAVE, settled, afterWave: async () => discord.emulator.reset() }, async (first, size) => {
    const samples = fc.sample(fc.tuple(hostileDiscordBodies, fc.constantFrom(...tamperings)), { numRuns: size, seed: options.seed * 13_000_003 + first });
    return samples.map(([template, how]) => async () => {
      const body = withLiveInteraction(template, { id: "1500000000000000001", token: "unsigned-token" });
      // Ten seconds past the five-minute window: the check uses the real clock with its fraction, and a wave takes seconds.
      const now = Math.floor(Date.now() / 1000);
      const headers: Record<string, string> =
        how === "none" ? { "content-type": "application/json" }
        : how === "other-key" ? discordSignedHeaders(body, other.privateKey)
        : how === "stale" ? discordSignedHeaders(body, discord.pair.privateKey, { timestamp: now - 310 })
        : how === "future" ? discordSignedHeaders(body, discord.pair.privateKey, { timestamp: now + 310 })
        : { ...discordSignedHeaders(body, discord.pair.privateKey), "x-signature-ed25519": "0".repeat(128) };
      const answer = await send(instance, instance.discord, new Request("http://localhost/discord/interactions", { method: "POST", headers, body }), "discord");
      if (answer === undefined) return;
      const expected = Buffer.byteLength(body) > MAX_DISCORD_BODY_BYTES ? 413 : 401;
      if (answer.status !== expected || (expected === 401 && answer.text !== "Unauthorized")) {
        instance.tally.wrong++;
        note(instance.tally, `discord: answered ${answer.status} ${answer.text.slice(0, 80)} to a body signed "${how}"`);
      }
    });
  });
}

/** The heap after a full garbage collection (MB), and the rss, after each wave of a phase that samples it. */
interface HeapSamples {
  heapMb: number[];
  rssMb: number[];
}

function sampleHeap(samples: HeapSamples): void {
  globalThis.gc?.();
  const memory = process.memoryUsage();
  samples.heapMb.push(round(memory.heapUsed / 1e6, 1));
  samples.rssMb.push(round(memory.rss / 1e6, 1));
}

/** The Teams emulator's records of a wave, dropped after it: the run's memory is the bot's, not the emulator's. */
function forgetTeams(teams: TeamsEmulator): void {
  teams.calls.length = 0;
  teams.activities.length = 0;
}

async function teamsSignedPhase(instance: Instance, emulators: RemoteEmulators, teams: TeamsEmulator, options: Options, heap: HeapSamples): Promise<void> {
  const wrong = (why: string) => {
    instance.tally.wrong++;
    note(instance.tally, `teams: ${why}`);
  };
  const afterWave = async () => {
    forgetTeams(teams);
    sampleHeap(heap);
  };
  await runWaves(instance, emulators, options.teams, { concurrency: options.concurrency, waveSize: HOSTILE_WAVE, afterWave }, async (first, size) => {
    const samples = fc.sample(hostileTeamsActivities, { numRuns: size, seed: options.seed * 17_000_003 + first });
    return samples.map((hostile) => async () => {
      const { body, serviceUrl } = withServiceUrl(hostile, teams.serviceUrl);
      // Signed as the Bot Connector signs: for the serviceUrl the body names (none: no token to make).
      const authorization = serviceUrl === undefined ? undefined : teams.authorization({ serviceUrl });
      const request = new Request("http://localhost/teams/messages", { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body });
      const answer = await send(instance, instance.teams, request, "teams");
      if (answer === undefined) return;
      if (serviceUrl === undefined) {
        if (![400, 401, 413].includes(answer.status)) wrong(`answered ${answer.status} to a body naming no serviceUrl`);
        return;
      }
      const problem = teamsAnswerProblem({ body, type: hostile.type }, answer);
      if (problem) wrong(problem);
    });
  });
}

async function teamsUnsignedPhase(instance: Instance, emulators: RemoteEmulators, teams: TeamsEmulator, options: Options): Promise<void> {
  await emulators.forget();
  forgetTeams(teams);
  // Not one call to the connector, the token endpoint, Notion or the store from a request that failed verification (the keys may be read).
  const settled = async () => {
    const { calls } = await emulators.counts();
    const teamsCalls = teams.calls.filter((call) => call.route !== "keys" && call.route !== "openid").length;
    if (calls + teamsCalls > 0) {
      instance.tally.wrong++;
      note(instance.tally, `unsigned Teams activities made ${calls + teamsCalls} calls`);
    }
  };
  await runWaves(instance, emulators, Math.ceil(options.teams / 4), { concurrency: options.concurrency, waveSize: HOSTILE_WAVE, settled, afterWave: async () => forgetTeams(teams) }, async (first, size) => {
    const samples = fc.sample(fc.tuple(hostileTeamsActivities, fc.constantFrom(...TOKEN_TAMPERINGS)), { numRuns: size, seed: options.seed * 19_000_003 + first });
    return samples.map(([hostile, how]) => async () => {
      const { body, serviceUrl } = withServiceUrl(hostile, teams.serviceUrl);
      const authorization = tamperedAuthorization(teams, serviceUrl ?? teams.serviceUrl, how, Date.now());
      const request = new Request("http://localhost/teams/messages", { method: "POST", headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) }, body });
      const answer = await send(instance, instance.teams, request, "teams");
      if (answer === undefined) return;
      const expected = Buffer.byteLength(body) > MAX_TEAMS_BODY_BYTES ? 413 : 401;
      if (answer.status !== expected || (expected === 401 && answer.text !== "Unauthorized")) {
        instance.tally.wrong++;
        note(instance.tally, `teams: answered ${answer.status} ${answer.text.slice(0, 80)} to a token "${how}"`);
      }
    });
  });
}

type SoakKind = "task_open" | "submission" | "resubmission" | "remind" | "create_task" | "button" | "list" | "help" | "review";

/** Per 100 requests: what people do all day, and a resubmission of a modal (Slack's retry, a double click). */
const SOAK_MIX: Record<SoakKind, number> = { task_open: 20, submission: 22, resubmission: 3, remind: 15, create_task: 10, button: 10, list: 10, help: 5, review: 5 };

function soakKinds(count: number, seed: number): SoakKind[] {
  const kinds = (Object.entries(SOAK_MIX) as [SoakKind, number][]).flatMap(([kind, share]) => Array.from({ length: Math.round((share / 100) * count) }, () => kind));
  while (kinds.length < count) kinds.push("help");
  kinds.length = count;
  return fc.sample(fc.shuffledSubarray(kinds, { minLength: kinds.length, maxLength: kinds.length }), { numRuns: 1, seed })[0]!;
}

interface SoakResult {
  submissions: number;
  reminders: number;
  saved: SavedOnce;
  remindersPosted: number;
  /** Heap used after a full garbage collection, in MB, after each wave. */
  heapMb: number[];
  rssMb: number[];
}

async function soakPhase(instance: Instance, emulators: RemoteEmulators, options: Options): Promise<SoakResult> {
  // The modal every submission is made from: one /task opens it.
  const [warm] = (await emulators.mint(1)).triggerIds;
  await send(instance, instance.commands, signedRequest(slashCommandBody({ text: "Soak", triggerId: warm! })));
  await instance.settle();
  const modal = await emulators.firstView();
  if (!modal) throw new Error("the soak's first /task opened no modal");
  const before = await emulators.counts();
  const kinds = soakKinds(options.soak, options.seed);
  const submitted: string[] = [];
  let reminders = 0;
  const heapMb: number[] = [];
  const rssMb: number[] = [];
  await runWaves(
    instance,
    emulators,
    kinds.length,
    {
      concurrency: options.concurrency,
      waveSize: WAVE,
      async afterWave() {
        globalThis.gc?.();
        const memory = process.memoryUsage();
        heapMb.push(round(memory.heapUsed / 1e6, 1));
        rssMb.push(round(memory.rss / 1e6, 1));
      },
    },
    async (first, size) => {
      const live = await emulators.mint(size);
      return kinds.slice(first, first + size).map((kind, offset) => {
        const index = first + offset;
        const user = index % 2 === 0 ? SLACK_SEED.alice : SLACK_SEED.bob;
        const triggerId = live.triggerIds[offset]!;
        const responseUrl = live.responseUrls[offset]!;
        const command = (text: string) => signedRequest(slashCommandBody({ text, user, triggerId, responseUrl }));
        const expect = (pattern: RegExp, request: Request) => async () => {
          const answer = await send(instance, kind === "task_open" || kind === "list" || kind === "help" || kind === "review" ? instance.commands : instance.interactions, request, kind);
          if (answer && !(answer.status === 200 && pattern.test(answer.text))) {
            instance.tally.wrong++;
            note(instance.tally, `${kind}: ${answer.status} ${answer.text.slice(0, 160)}`);
          }
        };
        switch (kind) {
          case "task_open":
            return expect(/^$/, command(`Soak task ${index}`));
          case "list":
            return expect(/^$|"ephemeral"/, command("list"));
          case "review":
            return expect(/^$|"ephemeral"/, command("review"));
          case "help":
            return expect(/puts a request on/, command("help"));
          case "submission":
          case "resubmission": {
            // A resubmission sends the last modal again: it must land on the first one's page.
            const id = kind === "resubmission" && submitted.length > 0 ? submitted.at(-1)! : `VSOAK${String(index).padStart(7, "0")}`;
            if (kind === "submission" || submitted.length === 0) submitted.push(id);
            const view = { ...modal, id, view: { ...modal.view, private_metadata: JSON.stringify({ channelId: SLACK_SEED.general, responseUrl }) } };
            const payload = viewSubmission({ view, values: taskModalValues({ title: `Soak task ${id}`, priority: "Medium" }), user });
            return expect(/"response_action":"(clear|update)"/, signedRequest(interactionBody(payload)));
          }
          case "remind":
          case "create_task": {
            if (kind === "remind") reminders++;
            const message = slackMessage({ ts: messageTs(), text: `Could someone look at thing ${index}?` });
            return expect(/^$/, signedRequest(interactionBody(messageAction({ callbackId: kind === "remind" ? "remind_process" : "create_task", user, message, triggerId, responseUrl }))));
          }
          case "button": {
            const value = encodeReminderButton({ message: { platform: "slack", workspace: SLACK_SEED.teamId, conversation: SLACK_SEED.general, message: messageTs() }, authorId: SLACK_SEED.alice, excerpt: `Could someone look at thing ${index}?` });
            const reminder = { type: "message", subtype: "bot_message", text: "Hi", user: SLACK_SEED.botUserId, bot_id: SLACK_SEED.botId, ts: messageTs() };
            return expect(/^$/, signedRequest(interactionBody(blockActions({ user, message: reminder, action: { action_id: "create_task_from_reminder", value }, triggerId, responseUrl }))));
          }
        }
      });
    },
  );
  const saved = await emulators.savedOnce("slack-view:VSOAK");
  const after = await emulators.counts();
  return { submissions: new Set(submitted).size, reminders, saved, remindersPosted: after.reminders - before.reminders, heapMb, rssMb };
}

// ---------------------------------------------------------------------------------------------
// The report

function failures(tally: Tally): number {
  return tally.status5xx + tally.thrown + tally.hung + tally.wrong + tally.errorLines + tally.escaped + (tally.requestLines === tally.requests ? 0 : 1) + (tally.longestLine < LOG_LINE_BOUND_BYTES ? 0 : 1);
}

function row(name: string, tally: Tally, seconds: number): string[] {
  return [
    name,
    tally.requests.toLocaleString("en"),
    String(tally.status5xx),
    String(tally.thrown),
    String(tally.hung),
    String(tally.wrong),
    `${tally.requestLines.toLocaleString("en")}${tally.requestLines === tally.requests ? "" : " (!)"}`,
    String(tally.errorLines),
    `${tally.longestLine.toLocaleString("en")} B`,
    String(tally.escaped),
    tally.ms.length > 0 ? String(round(percentile(tally.ms, 50), 2)) : "",
    tally.ms.length > 0 ? String(round(percentile(tally.ms, 99), 2)) : "",
    String(round(seconds, 1)),
  ];
}

function table(rows: string[][]): string {
  return markdownTable(["phase", "requests", "5xx", "thrown", "hung", "wrong answer", "request lines", "error lines", "longest line", "escaped", "p50 ms", "p99 ms", "s"], rows);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  if (!globalThis.gc) process.stderr.write("hostile: run with node --expose-gc (npm run hostile does) for heap figures after garbage collection\n");
  const unhandled: unknown[] = [];
  process.on("unhandledRejection", (reason) => void unhandled.push(reason));
  process.on("uncaughtException", (error) => void unhandled.push(error));
  const loadAtStart = loadavg()[0]!;
  const emulators = await startRemoteEmulators();
  const discord: DiscordSide = { emulator: await startDiscordEmulator(), pair: discordKeyPair() };
  const teams = await startTeamsEmulator();
  try {
    const instance = startInstance(emulators, discord, teams);
    const rows: string[][] = [];
    const tallies: Tally[] = [];
    const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      instance.tally = newTally();
      tallies.push(instance.tally);
      const started = performance.now();
      process.stderr.write(`hostile: ${name}…\n`);
      const result = await run();
      rows.push(row(name, instance.tally, (performance.now() - started) / 1000));
      return result;
    };
    let soak: SoakResult | undefined;
    if (!options.teamsOnly) {
      await phase("signed hostile inputs", () => signedPhase(instance, emulators, options));
      await phase("unsigned or wrongly signed", () => unsignedPhase(instance, emulators, options));
      soak = await phase(`soak, concurrency ${options.concurrency}`, () => soakPhase(instance, emulators, options));
      await phase("Discord: signed hostile interactions", () => discordSignedPhase(instance, emulators, discord, options));
      await phase("Discord: unsigned or wrongly signed", () => discordUnsignedPhase(instance, emulators, discord, options));
    }
    const teamsHeap: HeapSamples = { heapMb: [], rssMb: [] };
    await phase("Teams: signed hostile activities", () => teamsSignedPhase(instance, emulators, teams, options, teamsHeap));
    await phase("Teams: unsigned or wrongly signed", () => teamsUnsignedPhase(instance, emulators, teams, options));

    let soakFailures = 0;
    const who = options.teamsOnly ? "one warm instance of Teams' handler, its emulator in this process, Notion's and the store's in another" : "one warm instance of each Slack handler, of Discord's and of Teams', emulators in another process (Discord's and Teams' in this one)";
    console.log(`\nHostile inputs${soak ? " and soak" : ""}: ${who} (seed ${options.seed})\n`);
    console.log(table(rows));
    if (soak) {
      const saved = soak.saved;
      const savedOnce = saved.requestIds === soak.submissions && saved.pages === soak.submissions && saved.doubled.length === 0;
      const first = soak.heapMb[0] ?? 0;
      const last = soak.heapMb.at(-1) ?? 0;
      console.log(`\nsoak: ${soak.submissions.toLocaleString("en")} modals submitted (${Math.round((SOAK_MIX.resubmission / (SOAK_MIX.submission + SOAK_MIX.resubmission)) * 100)} % of submissions sent again): ${saved.pages.toLocaleString("en")} pages for ${saved.requestIds.toLocaleString("en")} Request IDs, ${saved.doubled.length} doubled: ${savedOnce ? "every submission saved exactly once" : "NOT saved exactly once"}`);
      console.log(`soak: ${soak.reminders.toLocaleString("en")} reminders asked for on distinct messages, ${soak.remindersPosted.toLocaleString("en")} posted`);
      console.log(`heap after GC, per ${WAVE.toLocaleString("en")} soak requests: first ${first} MB, last ${last} MB, max ${Math.max(...soak.heapMb)} MB (rss first ${soak.rssMb[0]} MB, last ${soak.rssMb.at(-1)} MB)`);
      soakFailures = (savedOnce ? 0 : 1) + (soak.remindersPosted === soak.reminders ? 0 : 1);
    }
    console.log(`Teams: heap after GC, per ${HOSTILE_WAVE} hostile activities: first ${teamsHeap.heapMb[0]} MB, last ${teamsHeap.heapMb.at(-1)} MB, max ${Math.max(...teamsHeap.heapMb)} MB over ${teamsHeap.heapMb.length} waves (rss first ${teamsHeap.rssMb[0]} MB, last ${teamsHeap.rssMb.at(-1)} MB)`);
    console.log(`unhandled rejections or uncaught exceptions: ${unhandled.length}`);
    console.log(`machine: ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? "unknown"}), Node ${process.version}, load average ${round(loadAtStart, 1)} at the start and ${round(loadavg()[0]!, 1)} at the end`);
    for (const [index, tally] of tallies.entries()) for (const problem of tally.problems) console.log(`  ${rows[index]![0]}: ${problem}`);
    const failed = tallies.reduce((sum, tally) => sum + failures(tally), 0) + unhandled.length + soakFailures;
    console.log(failed === 0 ? "\nall checks passed" : `\n${failed} failures`);
    return failed === 0 ? 0 : 1;
  } finally {
    await emulators.close();
    await discord.emulator.close();
    await teams.close();
  }
}

// A failure of the run itself (not of the bot) is reported as such, never counted among the bot's.
process.exitCode = await main().catch((error: unknown) => {
  console.error("hostile: the run failed:", error);
  return 2;
});
