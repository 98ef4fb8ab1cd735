/**
 * What each scheduled function's bundle carries, as `npm run build` bundles it (esbuild's metafile):
 * only what its route reaches. The four once shared one handler module that wired every platform
 * and held every schedule's route, so each weighed what all four need (299 kB of a 300 kB budget).
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { functionBuildOptions, FUNCTIONS_SOURCE, listFunctionEntries } from "../../src/cli/build-functions.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SCHEDULES = ["weekly-reminder", "task-sync", "store-cleanup", "owed-work"];

/** Each schedule's bundle: how many bytes of each project file (and package file) are in it. */
let carried: Record<string, Record<string, number>>;

// esbuild bundles the four in about a second; a busy machine takes longer.
beforeAll(async () => {
  const entries = listFunctionEntries(`${ROOT}${FUNCTIONS_SOURCE}`).filter((entry) => SCHEDULES.includes(entry.name));
  const result = await build({ ...functionBuildOptions(entries, "/out"), write: false, metafile: true, absWorkingDir: ROOT });
  carried = Object.fromEntries(
    Object.values(result.metafile.outputs)
      .filter((output) => output.entryPoint !== undefined)
      .map((output) => [/([^/]+)\.ts$/.exec(output.entryPoint!)![1]!, Object.fromEntries(Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput]))]),
  );
}, 60_000);

/** The parts that build a platform's client: its wiring, and Slack's SDK. */
const PLATFORM_CLIENTS = [/^src\/platforms\/[^/]+\/wiring\.ts$/, /^node_modules\/@slack\/web-api\//];
/**
 * Whether a bundle holds more of a matching file than a constant or two: esbuild keeps a module's
 * top-level values it cannot prove free of side effects (a frozen table, a zod schema) in every
 * bundle that uses anything of that module, tens of bytes each.
 */
const carries = (name: string, pattern: RegExp, moreThan = 100) => Object.entries(carried[name]!).some(([input, bytes]) => pattern.test(input) && bytes > moreThan);

describe("each scheduled function's bundle", () => {
  it("store-cleanup carries no chat platform's client, nor any other schedule's feature", () => {
    for (const pattern of PLATFORM_CLIENTS) expect(carries("store-cleanup", pattern, 0), String(pattern)).toBe(false);
    expect(carries("store-cleanup", /^src\/features\/(weekly-review\/|owed-work\/|deliver-owed-sends|task-status\/(sync-task-status|tell-requester))/)).toBe(false);
  });

  it("store-cleanup carries nothing of a module it uses nothing of, not even its tables (package.json's sideEffects: false)", () => {
    // Without it, esbuild kept every module-level table and schema of every module reached through
    // routes.ts or handlers.ts: Discord's error codes, Teams' commands, zod with the payload schemas.
    for (const pattern of [/^src\/platforms\/(discord|teams|mattermost)\//, /^src\/features\/process-reminder\/reminder-(text|message)\.ts$/, /^src\/features\/notion-setup\//]) {
      expect(carries("store-cleanup", pattern, 0), String(pattern)).toBe(false);
    }
  });

  it("each carries one copy of a package: two versions of one file are paid for twice", () => {
    // p-queue 6 asked for eventemitter3 4 beside @slack/web-api's 5, whose index.js is the same file:
    // package.json's overrides give p-queue the one copy.
    for (const name of SCHEDULES) {
      const copies = new Map<string, Set<string>>();
      for (const input of Object.keys(carried[name]!)) {
        const at = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
        if (at) copies.set(at[2]!, (copies.get(at[2]!) ?? new Set()).add(at[1]!));
      }
      expect([...copies].filter(([, roots]) => roots.size > 1).map(([pkg, roots]) => `${name}: ${pkg} at ${[...roots].join(", ")}`)).toEqual([]);
    }
  });

  it("the weekly review, the sync and the owed work carry every platform's client: each may post on any", () => {
    for (const name of ["weekly-reminder", "task-sync", "owed-work"]) {
      for (const platform of ["slack", "discord", "mattermost", "teams"]) expect(carries(name, new RegExp(`^src/platforms/${platform}/wiring\\.ts$`)), `${name}: ${platform}`).toBe(true);
    }
  });

  it("the weekly review carries neither the sync nor the Home tab; the sync not the review", () => {
    expect(carries("weekly-reminder", /^src\/features\/(task-status\/sync-task-status|deliver-owed-sends)\.ts$/)).toBe(false);
    expect(carries("weekly-reminder", /^src\/platforms\/slack\/home\//)).toBe(false);
    expect(carries("task-sync", /^src\/features\/weekly-review\/post-weekly-review\.ts$/)).toBe(false);
    expect(carries("task-sync", /^src\/platforms\/slack\/home\/refresh-home\.ts$/)).toBe(true);
    // The owed work runs either again.
    expect(carries("owed-work", /^src\/features\/weekly-review\/post-weekly-review\.ts$/) && carries("owed-work", /^src\/features\/task-status\/sync-task-status\.ts$/)).toBe(true);
  });
});
