/**
 * Bundles each Netlify function the way Netlify does: esbuild, Node 22, ESM, every dependency
 * inlined. Minified, as the size target is stated for minified bundles.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, parse } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";

export interface FunctionBundle {
  name: string;
  entry: string;
  /** Absolute path of the bundled .mjs. */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per package (or "src/…" folder), largest first: where the size goes. */
  contributors: { name: string; bytes: number }[];
  /** Whether the entry declares a `schedule` (Netlify runs it on a cron; nobody waits on its answer). */
  scheduled: boolean;
}

const ENTRY_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);

/**
 * ESM bundles of CommonJS packages can still call `require` for Node built-ins; Netlify's bundler
 * gives ESM functions a real `require` the same way, so a lazy `require("crypto")` keeps working.
 */
const REQUIRE_BANNER = 'import { createRequire as __benchCreateRequire } from "node:module"; const require = __benchCreateRequire(import.meta.url);';

/** Every function entry in `functionsDir` (one file per function). */
export function listFunctionEntries(functionsDir: string): { name: string; entry: string }[] {
  return readdirSync(functionsDir, { withFileTypes: true })
    .filter((dirent) => dirent.isFile() && ENTRY_EXTENSIONS.has(parse(dirent.name).ext) && !dirent.name.endsWith(".d.ts"))
    .map((dirent) => ({ name: parse(dirent.name).name, entry: join(functionsDir, dirent.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Bundles one function to `outDir/<name>.mjs`. */
export async function bundleFunction(fn: { name: string; entry: string }, outDir: string): Promise<FunctionBundle> {
  const file = join(outDir, `${fn.name}.mjs`);
  const result = await build({
    entryPoints: [fn.entry],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    metafile: true,
    banner: { js: REQUIRE_BANNER },
    logLevel: "error",
  });
  const code = readFileSync(file);
  return {
    name: fn.name,
    entry: fn.entry,
    file,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    contributors: contributors(result.metafile),
    scheduled: /\bschedule\s*:/.test(readFileSync(fn.entry, "utf8")),
  };
}

function contributors(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = ownerOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** "node_modules/@slack/web-api/dist/x.js" -> "@slack/web-api"; "src/slack/client.ts" -> "src/slack". */
function ownerOf(input: string): string {
  const marker = "node_modules/";
  const at = input.lastIndexOf(marker);
  if (at >= 0) {
    const parts = input.slice(at + marker.length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = input.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : input;
}
