/**
 * The real sandbox (`runSandbox`: its emulators, seed, control server, state and page server) on
 * ports the kernel picks, with the functions served in process (dev/functions-in-process.ts) instead
 * of by netlify dev, which test/e2e/sandbox.test.ts keeps under test. For the files that play a
 * person's session against it: the CLI flows and the browser's walk.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveFunctionsInProcess } from "../../dev/functions-in-process.js";
import { HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import { readSandboxFile, type SandboxFile } from "../../src/cli/sandbox-file.js";
import { runSandbox } from "../../src/cli/sandbox.js";

export interface InProcessSandbox {
  /** Its state folder (also the project folder it is told of). */
  dir: string;
  /** The sandbox file it wrote: its URLs. */
  file: SandboxFile;
  /** All it has printed so far. */
  output(): string;
  /** Stops it, waits for it to end, and removes its folder. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox in a fresh temporary folder named after `prefix`, and resolves once it says it
 * is ready (within `startWithinMs`, generous: a busy machine). Rejects with what it printed when it
 * is not. `openBrowser` receives what the sandbox would open (nothing is opened in a test).
 */
export async function startInProcessSandbox(prefix: string, options: { startWithinMs: number; openBrowser?: (url: string) => void }): Promise<InProcessSandbox> {
  const dir = mkdtempSync(join(tmpdir(), `chatops-${prefix}-`));
  let output = "";
  let stop: (reason: string) => void = () => {};
  const stopSignal = new Promise<string>((resolve) => (stop = resolve));
  const running = runSandbox({
    argv: ["--dir", dir, "--project", dir, "--port", "0", "--slack-port", "0", "--notion-port", "0", "--discord-port", "0", "--mattermost-port", "0", "--teams-port", "0", "--control-port", "0", "--ui-port", "0", "--quiet"],
    env: {},
    out: { write: (text: string) => void (output += text) },
    stopSignal,
    ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
    // The harness's store timeout: at the store's own 800 ms, a busy machine (a run held to 5% of a CPU) turned the in-process
    // Blobs server's answers into store_unavailable, and a status change went untold, a sync failed.
    serveFunctions: (env) => serveFunctionsInProcess(env, { blobsDirectory: join(dir, "blobs"), storeTimeoutMs: HEALTHY_TIMEOUT_MS }),
  });
  const sandbox: InProcessSandbox = {
    dir,
    file: undefined as unknown as SandboxFile,
    output: () => output,
    async stop() {
      stop("test over");
      await running;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + options.startWithinMs;
  while (!output.includes("Ctrl-C stops everything")) {
    if (Date.now() > deadline) {
      await sandbox.stop();
      throw new Error(`the sandbox did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  sandbox.file = readSandboxFile(dir)!;
  return sandbox;
}
