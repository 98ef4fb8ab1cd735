/** Running a CLI module as a script: `npm run doctor` and `npm run setup:notion` start here through tsx. */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadEnvSource } from "./env-source.js";
import type { EnvSource } from "../env.js";
import type { Output } from "./report.js";

export interface ScriptContext {
  env: EnvSource;
  out: Output;
  argv: readonly string[];
  /** The .env file that was read, if there was one. */
  envFile: string | undefined;
  /** The names that file sets. */
  envFileNames: readonly string[];
}

/**
 * Runs `main` when the module at `moduleUrl` is the script node (or tsx) was started with, and not
 * when a test imports it; its result becomes the exit code.
 */
export async function runIfMain(moduleUrl: string, main: (context: ScriptContext) => Promise<number>): Promise<void> {
  if (!isMainModule(moduleUrl)) return;
  // Each terminal runs the node on its own PATH: say it when that one is not a supported Node.
  const unsupported = unsupportedNodeNotice();
  if (unsupported) process.stderr.write(unsupported);
  const { source, envFile, envFileNames } = loadEnvSource();
  try {
    process.exitCode = await main({ env: source, out: process.stdout, argv: process.argv.slice(2), envFile, envFileNames });
  } catch (error) {
    // An unexpected failure: say what it was, without a stack full of SDK internals.
    process.stderr.write(`Unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(fileURLToPath(moduleUrl)) === realpathSync(entry);
  } catch {
    return false;
  }
}

/**
 * Whether `version` ("22.13.0") is one package.json's engines.node admits: ^22.13.0 || ^24.0.0 ||
 * >=26.0.0 (test/package.test.ts holds the two equal). 23 and 25 are left out as vitest leaves them.
 */
export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return (major === 22 && minor >= 13) || major === 24 || major >= 26;
}

/** One line for stderr when the running Node is not a supported one; undefined when it is. */
export function unsupportedNodeNotice(version: string = process.versions.node): string | undefined {
  if (isSupportedNode(version)) return undefined;
  return `Node ${version} is not one this project supports (22.13 or later, or 24): it may work, but nothing keeps it working. The README's Quick start says how to get Node 22.\n`;
}
