/**
 * Runs the real `netlify build --offline` on a copy of the project: the zips and the manifest Netlify
 * would deploy, for the build test and the bench.
 */
import { spawn } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isRecord } from "./is-record.js";
import { snapshotProject } from "./netlify-dev.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const NETLIFY_BIN = join(projectRoot, "node_modules", "netlify-cli", "bin", "run.js");

/**
 * The file Netlify's runtime loads in a v2 function's zip, and its export: the Lambda handler is
 * `___netlify-entry-point.handler` (zip-it-and-ship-it's ENTRY_FILE_NAME), which imports Netlify's
 * bootstrap and, on the first request, the function's own module.
 */
export const ENTRY_FILE = "___netlify-entry-point.mjs";

/** One function in .netlify/functions/manifest.json, as netlify build writes it (the fields read here). */
export interface ManifestFunction {
  name: string;
  /** Which packaging ran: "none" ships the module as is, "nft" traces its imports into node_modules/. */
  bundler: string;
  /** The source it packaged (absolute, in the copy). */
  mainFile: string;
  /** The zip (absolute, in the copy). */
  path: string;
  runtimeVersion?: string;
  routes?: { pattern: string; literal?: string; methods: string[] }[];
  schedule?: string;
  buildData?: { runtimeAPIVersion?: number };
}

export interface NetlifyBuild {
  /** The project copy it ran in. */
  dir: string;
  functions: ManifestFunction[];
  /** What netlify build printed (stdout and stderr). */
  output: string;
  remove(): void;
}

/**
 * The build command the copy runs: netlify.toml's, without its type check (CI runs `npm run
 * typecheck` on its own; here it would double the build's CPU). Rejects a command that does not end
 * with the bundling step, so the copy can never build another way than Netlify does.
 */
export function bundlingCommand(netlifyToml: string): string {
  const command = /^\s*command\s*=\s*"([^"]*)"/m.exec(netlifyToml)?.[1];
  if (!command?.endsWith("npm run build")) throw new Error(`netlify.toml's build command does not end with "npm run build": ${command ?? "none"}`);
  return "npm run build";
}

function parseManifest(text: string): ManifestFunction[] {
  const manifest: unknown = JSON.parse(text);
  if (!isRecord(manifest) || !Array.isArray(manifest.functions)) throw new Error("manifest.json has no functions list");
  return manifest.functions as ManifestFunction[];
}

/**
 * Copies the project (see snapshotProject), adds `extraFunctions` (name -> a function file) beside the
 * real ones, runs `netlify build --offline` there and reads its manifest. Rejects with the build's
 * output when it fails or takes longer than `timeoutMs` (3 minutes: a busy machine is slow, not wrong).
 */
export async function runNetlifyBuild(options: { extraFunctions?: Record<string, string>; timeoutMs?: number } = {}): Promise<NetlifyBuild> {
  const dir = snapshotProject("chatops-build-");
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const tomlPath = join(dir, "netlify.toml");
    const toml = readFileSync(tomlPath, "utf8");
    writeFileSync(tomlPath, toml.replace(/^(\s*command\s*=\s*)"[^"]*"/m, `$1"${bundlingCommand(toml)}"`));
    for (const [name, file] of Object.entries(options.extraFunctions ?? {})) cpSync(file, join(dir, "netlify", "functions", `${name}.ts`));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [NETLIFY_BIN, "build", "--offline"], {
        cwd: dir,
        env: { ...process.env, NETLIFY_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
      const timeoutMs = options.timeoutMs ?? 180_000;
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", reject);
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(text);
        else reject(new Error(`netlify build --offline ${signal === "SIGKILL" ? `took over ${timeoutMs / 1000} s` : `exited with ${code}`}:\n${text}`));
      });
    });
    const functions = parseManifest(readFileSync(join(dir, ".netlify", "functions", "manifest.json"), "utf8"));
    return { dir, functions, output, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
