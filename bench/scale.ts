/**
 * `npm run bench -- --scale`: a team's Monday 9 a.m. (issue 26). K instances of each Slack function
 * (their own warm caches and pacing, one shared store: the real Blobs server of dev/blobs-server.ts),
 * in one minute: 100 people opening their Home tab (one every 0.6 s, 100 distinct people), 10 `/task`
 * forms opened and submitted, and the weekly review's scheduled run; Notion emulated at its
 * documented average with a burst allowance (3 a second, bursts of 10), and again strictly at 3 in
 * any rolling second. K = 1, 5 and 10. One line per K and limit:
 *
 *   scale: K=<k> limit=<burst|strict> notion_requests=<n> notion_429=<n> home_own=<n> home_error=<n> saved=<n>/10 review=<posted|missing> publish_p99_ms=<n>
 *
 * Time. The minute runs SCALE_SPEED (4) times faster than real time on one clock every part honours:
 * the handlers' `now` and `sleep` (deadlines, leases, pacing, Retry-After waits), the Notion
 * emulator's rate limit and the Slack emulator's trigger_id lifetime all read it, and Notion's
 * 150 ms latency is 150 ms on it. What the clock cannot compress (HTTP on loopback, the store, the
 * bot's own CPU) takes four times longer on it than it would: the compression makes the scenario
 * harder, never easier. The per-call timeouts (Notion 8 s, the store 800 ms, Slack 2.5 s) stay real
 * milliseconds, so four times longer on the clock; nothing in a passing run comes near them.
 * `--scale-speed=1` runs it in real time (six minutes).
 *
 * Counted: every request Notion received from the first event to the last work settled (429s
 * included); a tab is the person's own when it lists their request and their assignment and no
 * error; a task is saved when its page exists once and the person was sent its confirmation; the
 * review is posted when exactly one was, by its scheduled run or, after a failure that passes, by
 * the owed-work run that follows the minute (as the ten-minute schedule would); publish time is
 * from the event sent to the tab published, on the scenario's clock.
 */
import { appendFileSync } from "node:fs";
import { createOwedWorkHandler, createSlackCommandsHandler, createSlackEventsHandler, createSlackInteractionsHandler, createWeeklyReviewHandler, type AppOptions, type Handler, type InvocationContext } from "../src/handlers.js";
import { startBlobsEmulator } from "../dev/blobs-server.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../dev/emulator-env.js";
import { startNotionEmulator, taskBoardSchema, type NotionRateLimit } from "../dev/notion-emulator.js";
import { JSON_CONTENT, signedRequest } from "../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator } from "../dev/slack-emulator.js";
import { appHomeOpened, eventBody, eventCallback, interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../dev/slack-payloads.js";

export type ScaleLimit = "burst" | "strict";

export const SCALE_LIMITS: Record<ScaleLimit, NotionRateLimit> = {
  // Notion: "an average of three requests per second. Some bursts beyond the average rate are allowed."
  burst: { requestsPerSecond: 3, burst: 10 },
  strict: { requestsPerSecond: 3 },
};
export const SCALE_INSTANCES = [1, 5, 10] as const;
const PEOPLE = 100;
const SUBMISSIONS = 10;
const MINUTE_MS = 60_000;
const NOTION_LATENCY_MS = 150;
/** Virtual ms per real ms. */
const DEFAULT_SPEED = 4;

export interface ScaleResult {
  k: number;
  limit: ScaleLimit;
  notionRequests: number;
  notion429: number;
  /** Notion requests within the scenario's minute (its clock). */
  notionInMinute: number;
  homeOwn: number;
  homeError: number;
  saved: number;
  review: "posted" | "missing" | "posted_twice";
  publishP99Ms: number;
  publishP50Ms: number;
  /** Publish times in open order, on the scenario's clock. */
  publishMs: number[];
  /** Real seconds the run took. */
  seconds: number;
}

/** One run: K instances under one limit. */
export async function runScale(k: number, limit: ScaleLimit, speed = DEFAULT_SPEED): Promise<ScaleResult> {
  const realStart = performance.now();
  const epoch = Date.parse("2026-11-30T09:00:00Z");
  /** The scenario's clock: `speed` virtual ms per real ms. */
  const now = () => epoch + (performance.now() - realStart) * speed;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms) / speed));
  const at = (virtualMs: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, epoch + virtualMs - now()) / speed));

  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, now });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN, now });
  const blobs = await startBlobsEmulator();
  try {
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    const people = Array.from({ length: PEOPLE }, (_, i) => {
      const slackId = `U0P${String(i).padStart(3, "0")}`;
      const email = `p${i}@example.com`;
      slack.addUser({ id: slackId, name: `p${i}`, realName: `Person ${i}`, email });
      return { slackId, notionId: notion.addUser({ name: `Person ${i}`, email }).id, request: `Request ${String(i).padStart(3, "0")}`, work: `Work ${String(i).padStart(3, "0")}` };
    });
    for (const [i, person] of people.entries()) {
      notion.addPage(board.dataSourceId, {
        Name: { title: [{ text: { content: person.request } }] },
        Status: { status: { name: "Not started" } },
        ...(i % 3 === 0 ? { Due: { date: { start: "2026-12-02" } } } : {}),
        "Requested by": { rich_text: [{ text: { content: `Person ${i} (${person.slackId})` } }] },
      });
      notion.addPage(board.dataSourceId, {
        Name: { title: [{ text: { content: person.work } }] },
        Status: { status: { name: "In progress" } },
        "Requested by": { rich_text: [{ text: { content: `Person ${(i + 1) % PEOPLE} (${people[(i + 1) % PEOPLE]?.slackId ?? "U0P000"})` } }] },
        Assignee: { people: [{ id: person.notionId }] },
      });
    }
    notion.latencyMs = NOTION_LATENCY_MS / speed;
    notion.rateLimit = SCALE_LIMITS[limit];
    notion.reset();

    // SCALE_LOG=<file>: the runs' warnings and errors, to see why a tab or a save failed.
    const logFile = process.env.SCALE_LOG;
    const logSink = logFile ? (line: string) => void (/"level":"(warn|error)"/.test(line) && appendFileSync(logFile, `K=${k} ${limit} ${line}\n`)) : () => {};
    const options: AppOptions = { env: emulatorEnv(slack, notion, board.databaseId), blobs: blobs.connection, logSink, now, sleep };
    const pending: Promise<unknown>[] = [];
    const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
    const instances = (create: (options: AppOptions) => Handler) => Array.from({ length: k }, () => create(options));
    const events = instances(createSlackEventsHandler);
    const commands = instances(createSlackCommandsHandler);
    const interactions = instances(createSlackInteractionsHandler);
    const signed = (body: string, json: boolean) => signedRequest(body, { timestamp: Math.floor(now() / 1000), ...(json ? { headers: JSON_CONTENT } : {}) });

    const publishMs: number[] = [];
    const publishByOpen: number[] = [];
    async function openHome(index: number) {
      await at(index * (MINUTE_MS / PEOPLE));
      const person = people[index]!;
      const started = now();
      const mine: Promise<unknown>[] = [];
      await events[index % k]!(signed(eventBody(eventCallback(appHomeOpened({ user: person.slackId }))), true), { waitUntil: (promise) => void mine.push(promise) });
      await Promise.allSettled(mine);
      publishMs.push(now() - started);
      publishByOpen[index] = now() - started;
    }

    const titles = Array.from({ length: SUBMISSIONS }, (_, i) => `Monday task ${i}`);
    async function submit(index: number) {
      await at(3_000 + index * (MINUTE_MS / SUBMISSIONS) - 1_000);
      const person = people[index * 7]!;
      const triggerId = slack.triggerId(person.slackId);
      await commands[index % k]!(signed(slashCommandBody({ text: "", user: person.slackId, triggerId, responseUrl: slack.responseUrl() }), false), context);
      const view = slack.views.find((opened) => opened.trigger_id === triggerId);
      if (!view) return;
      await interactions[index % k]!(signed(interactionBody(viewSubmission({ view, values: taskModalValues({ title: titles[index]! }), user: person.slackId })), false), context);
    }

    async function review() {
      await at(MINUTE_MS / 2);
      await createWeeklyReviewHandler(options)(scheduled(now()), context);
    }

    await Promise.all([...people.map((_, i) => openHome(i)), ...titles.map((_, i) => submit(i)), review()]);
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    // Netlify runs owed-work within ten minutes: what the minute left owed is run once more.
    await createOwedWorkHandler(options)(scheduled(now()), context);
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));

    let homeOwn = 0;
    let homeError = 0;
    for (const person of people) {
      const shown = JSON.stringify(slack.homeView(person.slackId)?.view.blocks ?? null);
      if (/couldn't|can't|rate-limit/i.test(shown)) homeError += 1;
      else if (shown.includes(`|${person.request}>`) && shown.includes(`|${person.work}>`)) homeOwn += 1;
    }
    const told = JSON.stringify([slack.responses, slack.messages]);
    const pages = notion.pages(board.dataSourceId);
    const saved = titles.filter((title) => pages.filter((page) => JSON.stringify(page.properties).includes(`"${title}"`)).length === 1 && told.includes(title)).length;
    const reviews = slack.messages.filter((message) => message.channel === SLACK_SEED.general && message.kind === "message" && /weekly review/i.test(message.text)).length;
    const sorted = [...publishMs].sort((a, b) => a - b);
    return {
      k,
      limit,
      notionRequests: notion.requests.length,
      notion429: notion.rateLimited,
      notionInMinute: notion.requests.filter((request) => request.at < epoch + MINUTE_MS).length,
      homeOwn,
      homeError,
      saved,
      review: reviews === 1 ? "posted" : reviews === 0 ? "missing" : "posted_twice",
      publishP99Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0),
      publishP50Ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0),
      publishMs: publishByOpen.map((ms) => Math.round(ms)),
      seconds: Math.round((performance.now() - realStart) / 100) / 10,
    };
  } finally {
    await Promise.all([slack.close(), notion.close(), blobs.close()]);
  }
}

/** What Netlify's scheduler sends. */
function scheduled(now: number): Request {
  return new Request("http://localhost/.netlify/functions/scheduled", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ next_run: new Date(now + 3_600_000).toISOString() }) });
}

/** The line for one run. */
export function formatScaleLine(result: ScaleResult): string {
  return `scale: K=${result.k} limit=${result.limit} notion_requests=${result.notionRequests} notion_429=${result.notion429} home_own=${result.homeOwn} home_error=${result.homeError} saved=${result.saved}/${SUBMISSIONS} review=${result.review} publish_p99_ms=${result.publishP99Ms}`;
}

/** Every K under both limits, one line each as it finishes; resolves with the results. */
export async function measureScale(options: { speed?: number; write?: (line: string) => void } = {}): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  for (const limit of ["burst", "strict"] as const) {
    for (const k of SCALE_INSTANCES) {
      const result = await runScale(k, limit, options.speed);
      results.push(result);
      options.write?.(`${formatScaleLine(result)}\n`);
    }
  }
  return results;
}
