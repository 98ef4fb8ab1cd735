/** The bench's one table: rows with median, min, max, the target and whether it is met. */
import type { PackagedFunction } from "./packaged.js";
import { FLOOR, FLOOR_SLACK_CALL, type ColdStartResult } from "./cold-start.js";
import type { SignatureResult } from "./signature.js";
import type { StoreResult } from "./store.js";
import { round, type Summary } from "./stats.js";
import type { WarmResult } from "./warm.js";
import type { WeeklyReviewResult } from "./weekly-review.js";
import type { HomeTabResult } from "./home-tab.js";

export const TARGETS = {
  /**
   * A function acknowledging a person's action, packaged as Netlify ships it, over the floor that
   * checks Slack's signature and calls Slack once (as /task must) in the same round: its own code's cost.
   */
  coldStartOverFloorSlackCallMs: 20,
  /**
   * The functions the cold start target leaves out: a submission reads the board and creates the
   * page (four Notion requests on a cold instance) before it answers, not one call.
   */
  coldStartUntargeted: ["slack-interactions"],
  /** A function's own module in its zip, minified. */
  bundleKb: 250,
  warmP99Ms: 5,
  weeklyNotionRequests: 4,
  weeklySeconds: 3,
  /** Per open of the Home tab: a cold instance reads the board's schema and Notion's users too. */
  homeColdNotionRequests: 5,
  homeWarmNotionRequests: 2,
  homeSeconds: 3,
} as const;

export interface Row {
  figure: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
  /** e.g. "≤ 80"; empty when the figure has no target. */
  target: string;
  met: boolean | undefined;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  memoryGb: number;
}

const atMost = (limit: number) => (value: number) => value <= limit;
const below = (limit: number) => (value: number) => value < limit;

function row(figure: string, unit: string, s: Summary, target?: { text: string; test: (median: number) => boolean }): Row {
  return {
    figure,
    unit,
    median: round(s.median),
    min: round(s.min),
    max: round(s.max),
    runs: s.runs,
    target: target?.text ?? "",
    met: target ? target.test(s.median) : undefined,
  };
}

const once = (value: number): Summary => ({ median: value, min: value, max: value, runs: 1 });

export function buildRows(input: {
  coldStart: ColdStartResult;
  packaged: readonly PackagedFunction[];
  warm: WarmResult;
  signature: SignatureResult;
  weekly: WeeklyReviewResult;
  store: StoreResult;
  home?: HomeTabResult | undefined;
}): Row[] {
  const rows: Row[] = [];
  const { coldStart, packaged, warm, signature, weekly, store, home } = input;
  rows.push(row("Cold start: bare `node -e 0`", "ms", coldStart.bareNode));
  const floor = coldStart.functions[FLOOR];
  if (floor) {
    rows.push(row("Cold start: floor (a v2 function that only answers), time to answer", "ms", floor.total));
    rows.push(row("Cold start: floor, over bare Node", "ms", floor.overBare));
  }
  const slackCall = coldStart.functions[FLOOR_SLACK_CALL];
  if (slackCall) {
    rows.push(row("Cold start: floor + Slack's signature + one Slack call (global fetch), time to answer", "ms", slackCall.total));
    rows.push(row("Cold start: floor + signature + Slack call, over bare Node", "ms", slackCall.overBare));
  }
  const scheduled = new Set(packaged.filter((fn) => fn.scheduled).map((fn) => fn.name));
  for (const [name, fn] of Object.entries(coldStart.functions)) {
    if (name === FLOOR || name === FLOOR_SLACK_CALL) continue;
    // A scheduled function answers when its run is over (Notion's pacing included) and nobody waits on
    // it: its figure is a cold run, not an acknowledgement, and the cold start target is for acknowledgements.
    if (scheduled.has(name)) {
      rows.push(row(`Cold run: ${name} (scheduled), start to run finished, over bare Node`, "ms", fn.overBare));
      if (fn.overFloor) rows.push(row(`Cold run: ${name} (scheduled), over the floor (its own code and run)`, "ms", fn.overFloor));
      continue;
    }
    rows.push(row(`Cold start: ${name}, time to answer`, "ms", fn.total));
    rows.push(row(`Cold start: ${name}, over bare Node`, "ms", fn.overBare));
    if (fn.overFloor) rows.push(row(`Cold start: ${name}, over the floor`, "ms", fn.overFloor));
    if (fn.overFloorSlackCall) {
      const targeted = !(TARGETS.coldStartUntargeted as readonly string[]).includes(name);
      const target = { text: `≤ ${TARGETS.coldStartOverFloorSlackCallMs}`, test: atMost(TARGETS.coldStartOverFloorSlackCallMs) };
      rows.push(row(`Cold start: ${name}, over the floor + signature + Slack call (its own code)`, "ms", fn.overFloorSlackCall, targeted ? target : undefined));
    }
  }
  const keyFetches = coldStart.teamsKeyFetches;
  if (keyFetches) {
    // #24's promise: a cold instance fetches the Bot Framework's keys once; a warm one never (test/integration/teams-messages.test.ts).
    rows.push(row(`Cold start: teams-messages, OpenID configuration fetches per cold instance (most of ${keyFetches.instances})`, "requests", once(keyFetches.openid), { text: "≤ 1", test: atMost(1) }));
    rows.push(row(`Cold start: teams-messages, JWKS fetches per cold instance (most of ${keyFetches.instances})`, "requests", once(keyFetches.keys), { text: "≤ 1", test: atMost(1) }));
  }
  for (const fn of packaged) {
    if (fn.name === FLOOR || fn.name === FLOOR_SLACK_CALL) continue;
    rows.push(row(`Packaged: ${fn.name}, its module, minified`, "kB", once(fn.moduleBytes / 1000), { text: `≤ ${TARGETS.bundleKb}`, test: atMost(TARGETS.bundleKb) }));
  }
  for (const fn of packaged) {
    if (fn.name === FLOOR_SLACK_CALL) continue;
    rows.push(row(`Packaged: ${fn.name}, zip (with Netlify's bootstrap)`, "kB", once(fn.zipBytes / 1000)));
  }
  const p99 = { text: `< ${TARGETS.warmP99Ms}`, test: below(TARGETS.warmP99Ms) };
  for (const [label, times] of [
    ["/task (modal opened)", warm.taskCommand],
    ["submission (task saved)", warm.taskSubmission],
  ] as const) {
    rows.push(row(`Warm: ${label}, handler's own time, p50 of ${warm.requestsPerRun}`, "ms", times.own.p50));
    rows.push(row(`Warm: ${label}, handler's own time, p99 of ${warm.requestsPerRun}`, "ms", times.own.p99, p99));
    rows.push(row(`Warm: ${label}, handler's own CPU time, p99`, "ms", times.ownCpu.p99));
    rows.push(row(`Warm: ${label}, with emulator round trips, p50`, "ms", times.ack.p50));
    rows.push(row(`Warm: ${label}, with emulator round trips, p99`, "ms", times.ack.p99));
  }
  rows.push(row(`Signature verification (${signature.bodyBytes}-byte body)`, "ops/s", signature.opsPerSecond));
  rows.push(row(`Store: a claim that wins (local Blobs server), p50 of ${store.claimsPerRun}`, "ms", store.won.p50));
  rows.push(row(`Store: a claim that wins (local Blobs server), p99 of ${store.claimsPerRun}`, "ms", store.won.p99));
  rows.push(row(`Store: a claim that finds the work done, p50 of ${store.claimsPerRun}`, "ms", store.lost.p50));
  rows.push(row(`Store: a claim that finds the work done, p99 of ${store.claimsPerRun}`, "ms", store.lost.p99));
  if (weekly.measured) {
    for (const size of weekly.sizes) {
      const label = `Weekly review: ${size.openTasks.toLocaleString("en-US")} open tasks`;
      const note = size.problem ? ` (${size.problem})` : "";
      rows.push(
        row(`${label}, wall time${note}`, "s", size.wallSeconds, { text: `≤ ${TARGETS.weeklySeconds}`, test: (v) => !size.problem && atMost(TARGETS.weeklySeconds)(v) }),
      );
      rows.push(
        row(`${label}, Notion requests`, "requests", size.notionRequests, {
          text: `≤ ${TARGETS.weeklyNotionRequests}`,
          test: (v) => !size.problem && atMost(TARGETS.weeklyNotionRequests)(v),
        }),
      );
    }
  }
  if (home) {
    const opens = [
      ["cold", "opened on a cold instance", TARGETS.homeColdNotionRequests],
      ["warm", "opened a minute later, warm instance", TARGETS.homeWarmNotionRequests],
      ["within a minute", "opened again within the minute", 0],
    ] as const;
    for (const [open, label, limit] of opens) {
      const figures = home.opens[open];
      const note = figures.published ? "" : " (not as expected: see latest.json)";
      rows.push(row(`Home tab: ${label}, Notion requests${note}`, "requests", figures.notionRequests, { text: `≤ ${limit}`, test: (v) => figures.published && atMost(limit)(v) }));
      if (open !== "within a minute") {
        rows.push(row(`Home tab: ${label}, event to tab published`, "s", figures.seconds, { text: `≤ ${TARGETS.homeSeconds}`, test: (v) => figures.published && atMost(TARGETS.homeSeconds)(v) }));
      }
    }
  }
  return rows;
}

/** A Markdown table: readable in a terminal and pasted as is into docs/performance.md. */
export function formatTable(rows: readonly Row[]): string {
  const header = ["Figure", "Median", "Min", "Max", "Runs", "Target", "Met"];
  const body = rows.map((r) => [
    r.figure,
    `${formatNumber(r.median)} ${r.unit}`,
    formatNumber(r.min),
    formatNumber(r.max),
    String(r.runs),
    r.target ? `${r.target} ${r.unit}` : "",
    r.met === undefined ? "" : r.met ? "yes" : "**no**",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(header), rule, ...body.map(line)].join("\n");
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString("en-US") : String(value);
}

export function describeMachine(machine: Machine): string {
  return `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}, Node ${machine.node}`;
}
