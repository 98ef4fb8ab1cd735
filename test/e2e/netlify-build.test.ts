/**
 * What Netlify deploys: the real `netlify build --offline` on a copy of the project, read from its
 * .netlify/functions/manifest.json and zips. Every function is packaged, as the one module
 * `npm run build` bundled, with the route or schedule its source declares, within its size budget,
 * for the Node line netlify.toml pins.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_FILE, runNetlifyBuild, type ManifestFunction, type NetlifyBuild } from "../../dev/netlify-build.js";
import { readZip } from "../../dev/zip.js";
import { FUNCTION_BUDGET_KB } from "../../src/cli/build-functions.js";

const FUNCTIONS_DIR = fileURLToPath(new URL("../../netlify/functions/", import.meta.url));
const names = readdirSync(FUNCTIONS_DIR)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.slice(0, -3))
  .sort();

/** What each function's source declares: its `config` export. */
async function declared(name: string): Promise<{ path?: string | string[]; schedule?: string }> {
  const module = (await import(pathToFileURL(`${FUNCTIONS_DIR}${name}.ts`).href)) as { config?: { path?: string | string[]; schedule?: string } };
  return module.config ?? {};
}

/** Netlify's own files in every v2 function's zip, beside the function's module. */
const NETLIFY_FILES = [ENTRY_FILE, "___netlify-bootstrap.mjs", "___netlify-metadata.json", "___netlify-telemetry.mjs"];

let build: NetlifyBuild;
const packaged = (name: string): ManifestFunction => {
  const fn = build.functions.find((one) => one.name === name);
  if (!fn) throw new Error(`${name} is not in manifest.json`);
  return fn;
};

// netlify build takes about 3 CPU-seconds; on a busy machine, much longer than that in wall time.
beforeAll(async () => {
  build = await runNetlifyBuild();
}, 240_000);
afterAll(() => build?.remove());

describe("netlify build --offline", () => {
  it("packages every function in netlify/functions, and nothing else", () => {
    expect(build.functions.map((fn) => fn.name).sort()).toEqual(names);
  });

  it("ships each function as the module npm run build bundled, not traced into node_modules", () => {
    for (const name of names) {
      expect({ name, bundler: packaged(name).bundler, mainFile: basename(packaged(name).mainFile) }).toEqual({ name, bundler: "none", mainFile: `${name}.mjs` });
      expect(packaged(name).buildData?.runtimeAPIVersion, name).toBe(2);
    }
  });

  it("keeps the route or the schedule each function's source declares", async () => {
    for (const name of names) {
      const config = await declared(name);
      const paths = typeof config.path === "string" ? [config.path] : (config.path ?? []);
      // A function with neither would be reachable only at /.netlify/functions/<name>, by nobody.
      expect(paths.length > 0 || config.schedule !== undefined, `${name} declares a path or a schedule`).toBe(true);
      const fn = packaged(name);
      expect({ name, routes: (fn.routes ?? []).map((route) => route.literal ?? route.pattern), schedule: fn.schedule }).toEqual({ name, routes: paths, schedule: config.schedule });
    }
  });

  it(`keeps each function's module within ${FUNCTION_BUDGET_KB} kB, beside Netlify's own files only`, () => {
    const over: string[] = [];
    for (const name of names) {
      const entries = readZip(packaged(name).path);
      expect(entries.map((entry) => entry.name).sort(), name).toEqual([...NETLIFY_FILES, `${name}.mjs`].sort());
      const kB = entries.find((entry) => entry.name === `${name}.mjs`)!.size / 1000;
      if (kB > FUNCTION_BUDGET_KB) over.push(`${name}: ${kB.toFixed(1)} kB`);
    }
    expect(over).toEqual([]);
  });

  it("packages for the Node line netlify.toml pins", () => {
    const pinned = /NODE_VERSION\s*=\s*"(\d+)/.exec(readFileSync(new URL("../../netlify.toml", import.meta.url), "utf8"))?.[1];
    expect(pinned).toBeDefined();
    for (const name of names) expect({ name, runtime: packaged(name).runtimeVersion }).toEqual({ name, runtime: `nodejs${pinned}.x` });
  });

  it("ships a zip whose entry imports Netlify's bootstrap and hands it the function's module", () => {
    for (const name of names) {
      const entry = readZip(packaged(name).path).find((one) => one.name === ENTRY_FILE)!;
      expect(entry.read().toString("utf8"), name).toContain(`getLambdaHandler('./${name}.mjs')`);
    }
  });
});
