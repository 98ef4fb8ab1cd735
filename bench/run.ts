/**
 * `npm run bench`: cold start and size of each Netlify function as `netlify build --offline` packages
 * it (the zip Netlify deploys, imported from its own entry), warm acknowledgement time,
 * signature verification throughput and the weekly review's cost. Prints one table and writes the
 * same figures to bench/results/latest.json (and the table to latest.md).
 *
 *   npm run bench               the full run (about two minutes)
 *   npm run bench -- --quick    fewer repetitions, for trying a change
 *   npm run bench -- --scale    only the team-scale scenario (bench/scale.ts): one line per K and limit
 *   npm run bench -- --cold-start   only packaging and cold starts (bench/cold-only.ts), 15 rounds
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { FLOOR, FLOOR_SLACK_CALL, measureColdStart } from "./cold-start.js";
import { packageFunctions } from "./packaged.js";
import { buildRows, describeMachine, formatTable, TARGETS, type Machine } from "./report.js";
import { measureSignature } from "./signature.js";
import { measureStore } from "./store.js";
import { measureWarm } from "./warm.js";
import { measureWeeklyReview } from "./weekly-review.js";
import { measureHomeTab } from "./home-tab.js";

// `--scale`: only the team-scale scenario (bench/scale.ts), one line per K and limit.
if (process.argv.includes("--scale")) {
  const { measureScale } = await import("./scale.js");
  const speed = Number(process.argv.find((arg) => arg.startsWith("--scale-speed="))?.split("=")[1] ?? 4);
  await measureScale({ speed, write: (line) => process.stdout.write(line) });
  process.exit(0);
}
const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
if (process.argv.includes("--cold-start")) {
  const { measureColdOnly } = await import("./cold-only.js");
  await measureColdOnly({ rounds: 15, outDir: `${resultsDir}packaged`, write: (line) => process.stdout.write(line) });
  process.exit(0);
}
const quick = process.argv.includes("--quick");

const config = quick
  ? { coldStartRounds: 5, warmRequests: 500, warmWarmup: 50, warmRuns: 1, signatureRuns: 3, signatureOps: 20_000, weeklySizes: [100, 1_000, 10_000], weeklyRuns: 1, storeClaims: 200, storeRuns: 1, homeRuns: 1 }
  : { coldStartRounds: 15, warmRequests: 2_000, warmWarmup: 200, warmRuns: 3, signatureRuns: 7, signatureOps: 50_000, weeklySizes: [100, 1_000, 10_000], weeklyRuns: 3, storeClaims: 1_000, storeRuns: 3, homeRuns: 3 };

function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const started = performance.now();
const loadAtStart = loadavg()[0]!;
const machine: Machine = {
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model.trim() ?? "unknown",
  node: process.versions.node,
  platform: `${platform()} ${release()}`,
  memoryGb: Math.round(totalmem() / 1e9),
};
progress(`${describeMachine(machine)}${quick ? " (quick)" : ""}`);

progress("netlify build --offline on a copy of the project, the floors beside the functions");
// References, packaged the same way: what any v2 function pays, and what one that checks Slack's
// signature and calls Slack before answering pays.
const packaged = await packageFunctions(`${resultsDir}packaged`, {
  [FLOOR]: fileURLToPath(new URL("./floor-function.ts", import.meta.url)),
  [FLOOR_SLACK_CALL]: fileURLToPath(new URL("./floor-slack-call-function.ts", import.meta.url)),
});
progress(`packaged ${packaged.map((fn) => `${fn.name} (${(fn.moduleBytes / 1000).toFixed(1)} kB, zip ${(fn.zipBytes / 1000).toFixed(1)} kB)`).join(", ")}`);

progress(`cold start: ${config.coldStartRounds} rounds of bare Node and ${packaged.length} packaged functions (2 floors), each in a fresh process`);
const coldStart = await measureColdStart(packaged, config.coldStartRounds);
for (const [name, reason] of Object.entries(coldStart.skipped)) progress(`cold start of ${name} not measured: ${reason}`);

progress(`warm: ${config.warmRuns} × ${config.warmRequests} /task and ${config.warmRequests} submissions in process`);
const warm = await measureWarm({ requests: config.warmRequests, warmup: config.warmWarmup, runs: config.warmRuns });

progress("signature verification");
const signature = measureSignature({ runs: config.signatureRuns, opsPerRun: config.signatureOps });

progress(`weekly review: boards of ${config.weeklySizes.join(", ")} open tasks, Notion at 150 ms and 3 requests/s`);
const weekly = await measureWeeklyReview({ sizes: config.weeklySizes, runs: config.weeklyRuns });
if (!weekly.measured) progress(`weekly review not measured: ${weekly.reason}`);

progress(`store: ${config.storeRuns} × ${config.storeClaims} claims won, then lost, against the local Blobs server`);
const store = await measureStore({ claims: config.storeClaims, runs: config.storeRuns });

progress(`Home tab: ${config.homeRuns} × (a cold open, a warm one a minute later, one within the minute), Notion at 150 ms and 3 requests/s`);
const home = await measureHomeTab({ runs: config.homeRuns });

const rows = buildRows({ coldStart, packaged, warm, signature, weekly, store, home });
const table = formatTable(rows);
const durationSeconds = Math.round((performance.now() - started) / 100) / 10;
// Other work on the machine stretches every figure here; the load says how busy it was.
const load = { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 };
const heading =
  `Machine: ${describeMachine(machine)}; 1-minute load average ${load.start} at the start, ${load.end} at the end. ` +
  `Bench took ${durationSeconds} s${quick ? " (--quick)" : ""}.`;

mkdirSync(resultsDir, { recursive: true });
const result = {
  generatedAt: new Date().toISOString(),
  quick,
  durationSeconds,
  machine,
  loadAverage: load,
  config,
  targets: TARGETS,
  rows,
  coldStart,
  packaged: packaged.map(({ name, moduleBytes, zipBytes, scheduled, contributors }) => ({ name, moduleBytes, zipBytes, scheduled, contributors: contributors.slice(0, 12) })),
  warm,
  signature,
  weeklyReview: weekly,
  store,
  homeTab: home,
};
writeFileSync(`${resultsDir}latest.json`, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(`${resultsDir}latest.md`, `${heading}\n\n${table}\n`);

process.stdout.write(`\n${heading}\n\n${table}\n\nWritten to bench/results/latest.json and bench/results/latest.md.\n`);
const missed = rows.filter((r) => r.met === false).map((r) => r.figure);
if (missed.length > 0) process.stdout.write(`Targets not met: ${missed.join("; ")}.\n`);
