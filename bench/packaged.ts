/**
 * What the bench measures: each function as `netlify build --offline` packages it for Netlify
 * (dev/netlify-build.ts), its zip unpacked to a folder whose entry Netlify's runtime loads. The floors
 * are packaged beside the real functions, the same way, so the difference is the functions' own code.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { ENTRY_FILE, runNetlifyBuild } from "../dev/netlify-build.js";
import { readZip } from "../dev/zip.js";
import { FUNCTIONS_SOURCE, functionBuildOptions, listFunctionEntries } from "../src/cli/build-functions.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface PackagedFunction {
  name: string;
  /** The unpacked zip's entry (absolute): what Netlify's runtime imports for its `handler`. */
  entry: string;
  /** The zip Netlify uploads (bytes): the function's module and Netlify's own bootstrap files. */
  zipBytes: number;
  /** The function's own module in the zip, minified (bytes). */
  moduleBytes: number;
  /** Bytes of the module per package (or "src/…" folder), largest first: where the size goes. */
  contributors: { name: string; bytes: number }[];
  /** Whether the manifest gives it a schedule (Netlify runs it on a cron; nobody waits on its answer). */
  scheduled: boolean;
}

/**
 * Packages the project's functions and `extraFunctions` (name -> a function file) with the real
 * netlify build, and unpacks each zip into `outDir/<name>/`.
 */
export async function packageFunctions(outDir: string, extraFunctions: Record<string, string>): Promise<PackagedFunction[]> {
  const netlifyBuild = await runNetlifyBuild({ extraFunctions });
  try {
    const entries = [...listFunctionEntries(join(root, FUNCTIONS_SOURCE)), ...Object.entries(extraFunctions).map(([name, entry]) => ({ name, entry }))];
    const owners = await contributorsByFunction(entries);
    rmSync(outDir, { recursive: true, force: true });
    return netlifyBuild.functions
      .map((fn) => {
        const folder = join(outDir, fn.name);
        let moduleBytes = 0;
        for (const entry of readZip(fn.path)) {
          const file = join(folder, entry.name);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, entry.read());
          if (entry.name === `${fn.name}.mjs`) moduleBytes = entry.size;
        }
        return {
          name: fn.name,
          entry: join(folder, ENTRY_FILE),
          zipBytes: statSync(fn.path).size,
          moduleBytes,
          contributors: owners.get(fn.name) ?? [],
          scheduled: fn.schedule !== undefined,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    netlifyBuild.remove();
  }
}

/** The same bundles as the build's, in memory, for esbuild's account of where each one's bytes come from. */
async function contributorsByFunction(entries: readonly { name: string; entry: string }[]): Promise<Map<string, { name: string; bytes: number }[]>> {
  const outDir = join(root, "bench", "results", "contributors");
  const result = await build({ ...functionBuildOptions(entries, outDir), write: false, metafile: true });
  const byFunction = new Map<string, { name: string; bytes: number }[]>();
  for (const { name } of entries) byFunction.set(name, contributors(result.metafile, `${name}.mjs`));
  return byFunction;
}

function contributors(metafile: Metafile, outputName: string): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const [path, output] of Object.entries(metafile.outputs)) {
    if (!path.endsWith(`/${outputName}`)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = ownerOf(input);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** "node_modules/@slack/web-api/dist/x.js" -> "@slack/web-api"; "src/platforms/slack/client.ts" -> "src/platforms/slack". */
function ownerOf(input: string): string {
  const marker = "node_modules/";
  const at = input.lastIndexOf(marker);
  if (at >= 0) {
    const parts = input.slice(at + marker.length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = input.split("/");
  // Each platform's adapter is an owner of its own: src/platforms/slack, src/platforms/discord.
  const depth = parts[1] === "platforms" ? 3 : 2;
  return parts.length > depth ? parts.slice(0, depth).join("/") : input;
}
