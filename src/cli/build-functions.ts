/**
 * `npm run build`, Netlify's build command (netlify.toml): bundles each function in netlify/functions
 * into one self-contained ES module in dist/functions, which Netlify ships as is (`node_bundler =
 * "none"`). For Functions v2, Netlify's own packaging ignores `node_bundler = "esbuild"` and traces
 * the imports instead (zip-it-and-ship-it's getBundlerName: "For V2 functions, we force the bundler
 * to NFT. The only exception is when a `none` override was provided"), shipping the dependencies as
 * about 300 files that each cold start loads one by one. A bundle keeps only what a function reaches.
 *
 * Each module keeps its `config` export as an object literal, which Netlify reads at build time for
 * the function's `path` or `schedule` (the manifest test in test/cli/build-functions.test.ts checks it).
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join, parse } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions, type Metafile } from "esbuild";
import type { EnvSource } from "../env.js";
import type { Output } from "./report.js";
import { runIfMain } from "./script.js";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Where the functions' sources are, and where netlify dev serves them from (netlify.toml's [dev]). */
export const FUNCTIONS_SOURCE = "netlify/functions";
/** Where the bundles go, and what Netlify packages (netlify.toml's [functions] directory). */
export const FUNCTIONS_BUILT = "dist/functions";

/**
 * The most a function's bundled module may weigh (kB, minified): what every cold start reads and
 * compiles. The largest today are owed-work (283.4 kB) and slack-interactions (281.8 kB); a dependency
 * pulled in whole, or a module no longer split per route, shows here first
 * (test/e2e/netlify-build.test.ts; docs/performance.md says where each function's bytes go).
 */
export const FUNCTION_BUDGET_KB = 300;

const ENTRY_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/** Every function entry in `functionsDir` (one file per function, named after it), by name. */
export function listFunctionEntries(functionsDir: string): { name: string; entry: string }[] {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((dirent) => dirent.isFile() && ENTRY_EXTENSIONS.has(parse(dirent.name).ext) && !dirent.name.endsWith(".d.ts"))
    .map((dirent) => ({ name: parse(dirent.name).name, entry: join(functionsDir, dirent.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * ESM bundles of CommonJS packages can still call `require` for Node built-ins (a lazy
 * `require("crypto")`): the module gets a real one.
 */
const REQUIRE_BANNER = 'import { createRequire as __chatopsCreateRequire } from "node:module"; const require = __chatopsCreateRequire(import.meta.url);';

/**
 * esbuild's options for the functions: ESM for Node 22 (the line netlify.toml pins), every dependency
 * inlined, minified. `<name>.mjs` per entry in `outDir`.
 */
export function functionBuildOptions(entries: readonly { name: string; entry: string }[], outDir: string): BuildOptions {
  return {
    entryPoints: entries.map(({ name, entry }) => ({ in: entry, out: name })),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    banner: { js: REQUIRE_BANNER },
    logLevel: "error",
  };
}

export interface BuiltFunction {
  name: string;
  /** Absolute path of the bundled .mjs. */
  file: string;
  bytes: number;
}

/**
 * Bundles every entry into `outDir` (emptied first, so a deleted function is not shipped again);
 * rejects with esbuild's error when one does not build. The metafile says where the bytes come from.
 */
export async function buildFunctions(entries: readonly { name: string; entry: string }[], outDir: string): Promise<{ functions: BuiltFunction[]; metafile: Metafile }> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({ ...functionBuildOptions(entries, outDir), metafile: true });
  const functions = entries.map(({ name }) => {
    const file = join(outDir, `${name}.mjs`);
    return { name, file, bytes: statSync(file).size };
  });
  return { functions, metafile: result.metafile };
}

/**
 * Netlify runs the functions on the Node that built them (its build passes the build's Node version to
 * the packaging), and NODE_VERSION in netlify.toml pins Netlify's. A `netlify deploy --build` from a
 * laptop builds with the laptop's Node instead: refuse another major line than the pinned one, so a
 * deploy never silently moves the functions to it. Undefined when the build may go on.
 */
export function wrongNodeForBuild(env: EnvSource, running: string = process.versions.node): string | undefined {
  const pinned = env.NODE_VERSION?.trim();
  if (!pinned) return undefined;
  const major = (version: string) => version.replace(/^v/, "").split(".")[0];
  if (major(pinned) === major(running)) return undefined;
  return (
    `This build runs on Node ${running}, and Netlify would run the functions on it; netlify.toml pins Node ${pinned}.\n` +
    `Build and deploy with Node ${major(pinned)} (the README's Deploy section says how).\n`
  );
}

/**
 * netlify.toml's [context.dev.functions] has netlify dev trace the TypeScript sources, and netlify
 * build reads it too when run in the dev context, which is `netlify deploy`'s default: a deploy would
 * then ship these bundles re-transpiled, unminified. Refuse it (Netlify sets CONTEXT for the build
 * command); undefined when the build may go on, as in production, previews and branch deploys.
 */
export function wrongContextForBuild(env: EnvSource): string | undefined {
  if (env.CONTEXT !== "dev") return undefined;
  return (
    "This build runs in Netlify's dev context, whose settings are netlify dev's (it would ship the functions unminified).\n" +
    "Deploy with: npx netlify deploy --prod --context production\n"
  );
}

/** The build command: checks the Node and the context, bundles, prints one line per function. Exit code 1 on failure. */
export async function runBuildFunctions(options: { env: EnvSource; out: Output; root?: string }): Promise<number> {
  const wrong = wrongNodeForBuild(options.env) ?? wrongContextForBuild(options.env);
  if (wrong) {
    options.out.write(wrong);
    return 1;
  }
  const root = options.root ?? PROJECT_ROOT;
  const { functions } = await buildFunctions(listFunctionEntries(join(root, FUNCTIONS_SOURCE)), join(root, FUNCTIONS_BUILT));
  for (const fn of functions) options.out.write(`${FUNCTIONS_BUILT}/${fn.name}.mjs  ${(fn.bytes / 1000).toFixed(1)} kB\n`);
  return 0;
}

await runIfMain(import.meta.url, ({ env, out }) => runBuildFunctions({ env, out }));
