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
}

/**
 * Runs `main` when the module at `moduleUrl` is the script node (or tsx) was started with, and not
 * when a test imports it; its result becomes the exit code.
 */
export async function runIfMain(moduleUrl: string, main: (context: ScriptContext) => Promise<number>): Promise<void> {
  if (!isMainModule(moduleUrl)) return;
  const { source, envFile } = loadEnvSource();
  try {
    process.exitCode = await main({ env: source, out: process.stdout, argv: process.argv.slice(2), envFile });
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
