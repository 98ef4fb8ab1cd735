/** Runs the real `netlify dev` (offline) on free ports, for end-to-end tests, the sandbox and load runs. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ENV_NAMES } from "../src/env.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));

export interface NetlifyDev {
  url: string;
  /** The netlify dev process (bench/load.ts lowers its CPU priority below the emulators'). */
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

export interface NetlifyDevOptions {
  timeoutMs?: number;
  /** The project directory to serve: this one by default, or a snapshot of it (bench/load.ts). */
  cwd?: string;
}

/**
 * Every variable the bot reads, set empty: netlify dev lets the process environment win over .env
 * files, and env.ts reads empty as unset, so a developer's own .env cannot change what a test sees.
 */
function blankEnv(): Record<string, string> {
  return Object.fromEntries(ENV_NAMES.map((name) => [name, ""]));
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts `netlify dev --offline --internal-disable-edge-functions` (without those flags it tries to
 * download Deno and fails offline) with `env` added to the environment, and waits until it serves.
 */
export async function startNetlifyDev(env: Record<string, string>, options: NetlifyDevOptions = {}): Promise<NetlifyDev> {
  const port = await freePort();
  const functionsPort = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      fileURLToPath(new URL("../node_modules/netlify-cli/bin/run.js", import.meta.url)),
      "dev",
      "--offline",
      "--internal-disable-edge-functions",
      "--no-open",
      "--port",
      String(port),
      "--functions-port",
      String(functionsPort),
    ],
    { cwd: options.cwd ?? projectRoot, env: { ...process.env, ...blankEnv(), ...env, BROWSER: "none", NETLIFY_TELEMETRY_DISABLED: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`netlify dev exited early:\n${output}`);
    if (["slack-interactions", "slack-commands", "weekly-reminder"].every((name) => output.includes(`Loaded function ${name}`))) {
      try {
        await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
        return { url, pid: child.pid!, output: () => output, stop };
      } catch {
        // not yet listening
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`netlify dev did not start in time:\n${output}`);
}
