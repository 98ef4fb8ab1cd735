/**
 * Warm acknowledgement: signed requests answered by one warm instance of each handler, in this
 * process, against zero-latency emulators in another (bench/emulator-process.ts). Times per
 * request, all from the call to the Response (signing before, and reading the answer and the
 * deferred work after, are left out):
 * - `ack`: everything, including the round trips to the emulators;
 * - `own`: the same minus the time the handler was waiting on a Slack or Notion answer: what the
 *   handler itself costs, whatever Slack and Notion take;
 * - `ownCpu`: `own` in CPU time (of this process, which holds nothing but the handlers), which a
 *   busy machine does not stretch by giving the CPU to other processes, but which counts garbage
 *   collection and the JIT.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { devNull } from "node:os";
import { createSlackCommandsHandler, createSlackInteractionsHandler, type Handler, type InvocationContext } from "../src/handlers.js";
import { signedRequest } from "../dev/signed-request.js";
import { interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../dev/slack-payloads.js";
import { startRemoteEmulators } from "./emulators.js";
import { percentile, summarize, type Summary } from "./stats.js";

export interface Percentiles {
  p50: Summary;
  p99: Summary;
}

export interface WarmResult {
  requestsPerRun: number;
  warmupPerRun: number;
  /** p50 and p99 of each run, then their median, min and max over runs (ms). */
  taskCommand: { ack: Percentiles; own: Percentiles; ownCpu: Percentiles };
  taskSubmission: { ack: Percentiles; own: Percentiles; ownCpu: Percentiles };
}

interface Series {
  ack: { p50: number[]; p99: number[] };
  own: { p50: number[]; p99: number[] };
  ownCpu: { p50: number[]; p99: number[] };
}

/**
 * A fetch that notes how long calls were in flight, in wall time and in CPU time (undici's own work
 * while a call is in flight is left with the wait). Overlapping calls count once.
 */
function timedFetch() {
  const cpuMs = () => {
    // Process-wide: the thread's own counter ticks in 4 ms steps on Linux, too coarse for a request.
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let inFlight = 0;
  let since = { wall: 0, cpu: 0 };
  let waited = { wall: 0, cpu: 0 };
  const timed: typeof fetch = async (input, init) => {
    if (inFlight++ === 0) since = { wall: performance.now(), cpu: cpuMs() };
    try {
      return await fetch(input, init);
    } finally {
      if (--inFlight === 0) waited = { wall: waited.wall + performance.now() - since.wall, cpu: waited.cpu + cpuMs() - since.cpu };
    }
  };
  return {
    fetch: timed,
    cpuMs,
    /** Time spent waiting since the last call; starts a new count. */
    takeWaited() {
      const taken = waited;
      waited = { wall: 0, cpu: 0 };
      return taken;
    },
  };
}

/** Runs `runs` rounds of `requests` timed requests (after `warmup` untimed ones) of each kind. */
export async function measureWarm(options: { requests: number; warmup: number; runs: number }): Promise<WarmResult> {
  const series = (): Series => ({ ack: { p50: [], p99: [] }, own: { p50: [], p99: [] }, ownCpu: { p50: [], p99: [] } });
  const command = series();
  const submission = series();
  // The function log goes where Netlify's would (a write per line), but nowhere anyone reads.
  const logFile = openSync(devNull, "w");
  const logSink = (line: string) => void writeSync(logFile, `${line}\n`);
  const total = options.warmup + options.requests;
  for (let run = 0; run < options.runs; run++) {
    const emulators = await startRemoteEmulators();
    try {
      const timing = timedFetch();
      const appOptions = { env: emulators.env, blobs: emulators.blobs, logSink, fetch: timing.fetch };
      const commands = createSlackCommandsHandler(appOptions);
      const interactions = createSlackInteractionsHandler(appOptions);
      const { triggerIds, responseUrls } = await emulators.mint(total);

      const commandTimes = await timeRequests(commands, timing, total, (i) =>
        signedRequest(slashCommandBody({ text: `Warm task ${i}`, triggerId: triggerIds[i]!, responseUrl: responseUrls[i]! })),
      );
      const before = await emulators.stats();
      if (before.views < total) throw new Error(`/task opened ${before.views} modals for ${total} requests`);

      const view = await emulators.firstView();
      if (!view) throw new Error("no modal to submit");
      const submissionTimes = await timeRequests(interactions, timing, total, (i) =>
        signedRequest(interactionBody(viewSubmission({ view: { ...view, id: `VBENCHWARM${run}X${i}` }, values: taskModalValues({ title: `Warm task ${i}`, priority: "Medium" }) }))),
      );
      const saved = (await emulators.stats()).pages - before.pages;
      if (saved < total) throw new Error(`${total} submissions saved ${saved} tasks`);

      for (const [times, into] of [
        [commandTimes, command],
        [submissionTimes, submission],
      ] as const) {
        for (const key of ["ack", "own", "ownCpu"] as const) {
          const measured = times[key].slice(options.warmup);
          into[key].p50.push(percentile(measured, 50));
          into[key].p99.push(percentile(measured, 99));
        }
      }
    } finally {
      await emulators.close();
    }
  }
  closeSync(logFile);
  const percentiles = (p: Series["ack"]) => ({ p50: summarize(p.p50), p99: summarize(p.p99) });
  const summaries = (s: Series) => ({ ack: percentiles(s.ack), own: percentiles(s.own), ownCpu: percentiles(s.ownCpu) });
  return { requestsPerRun: options.requests, warmupPerRun: options.warmup, taskCommand: summaries(command), taskSubmission: summaries(submission) };
}

/** Times `count` requests one after the other; each must be acknowledged with a 200. */
async function timeRequests(
  handler: Handler,
  timing: ReturnType<typeof timedFetch>,
  count: number,
  request: (i: number) => Request,
): Promise<Record<keyof Series, number[]>> {
  const ack: number[] = [];
  const own: number[] = [];
  const ownCpu: number[] = [];
  const pending: Promise<unknown>[] = [];
  const context: InvocationContext = { waitUntil: (promise) => void pending.push(promise) };
  for (let i = 0; i < count; i++) {
    const signed = request(i);
    timing.takeWaited();
    const cpuStarted = timing.cpuMs();
    const started = performance.now();
    const response = await handler(signed, context);
    const ended = performance.now();
    const cpuEnded = timing.cpuMs();
    const waited = timing.takeWaited();
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(`request ${i} was not acknowledged: ${response.status} ${text.slice(0, 300)}`);
    // Deferred work (confirmations) finishes between requests, as on an instance between events.
    while (pending.length > 0) await Promise.allSettled(pending.splice(0));
    ack.push(ended - started);
    own.push(ended - started - waited.wall);
    ownCpu.push(cpuEnded - cpuStarted - waited.cpu);
  }
  return { ack, own, ownCpu };
}
