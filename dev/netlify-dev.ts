/** Runs the real `netlify dev` (offline), for end-to-end tests, the sandbox and load runs. */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ENV_NAMES } from "../src/env.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const NETLIFY_BIN = join(projectRoot, "node_modules", "netlify-cli", "bin", "run.js");
/** The functions netlify dev must have loaded before it is ready: every file under netlify/functions. */
function functionNames(cwd: string): string[] {
  return readdirSync(join(cwd, "netlify", "functions")).filter((file) => file.endsWith(".ts")).map((file) => file.slice(0, -3));
}
/** The output kept for output(): the end of it, so a sandbox left running for days stays small. */
const OUTPUT_KEPT = 200_000;

/**
 * How long a Slack emulator behind netlify dev keeps a trigger_id good (its triggerLifetimeMs), instead
 * of Slack's 3 s: netlify dev starts a fresh worker for every request, which takes seconds on a busy
 * machine (Netlify keeps instances warm), and the load run queues requests behind each other. The
 * in-process tests hold the bot to the 3 s.
 */
export const NETLIFY_DEV_TRIGGER_LIFETIME_MS = 30_000;

export interface NetlifyDev {
  url: string;
  /** The netlify dev process (bench/load.ts lowers its CPU priority below the emulators'). */
  pid: number;
  /** The last 200,000 characters of its output (stdout and stderr). */
  output: () => string;
  /** From now on, each new line of output (trailing white space cut) goes to `listener` too. */
  onLine(listener: (line: string) => void): void;
  /** Variables netlify dev read from a .env file and ignored because `env` set them. */
  ignoredEnvFileVariables(): string[];
  /** Resolves when netlify dev exits, stopped or not. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface NetlifyDevOptions {
  /** The port to serve on; a free one by default. The sandbox uses a fixed one. */
  port?: number;
  /** The project directory to serve: this one by default, or a copy (see snapshotProject). */
  cwd?: string;
  /** How long to wait for it to serve every function (180 s by default: it takes about 7 CPU-s, on a busy machine a minute or more). */
  timeoutMs?: number;
}

/**
 * Every variable the bot reads, set empty: netlify dev lets the process environment win over .env
 * files, and env.ts reads empty as unset, so a developer's own .env cannot change what the bot sees.
 */
function blankEnv(): Record<string, string> {
  return Object.fromEntries(ENV_NAMES.map((name) => [name, ""]));
}

/**
 * An origin every connection to is refused, always: nothing can listen on port 0 (binding 0 picks
 * another port). A free port is no such place: another server of the same test run may take it.
 */
export const REFUSED_ORIGIN = "http://127.0.0.1:0";

/** Where freePort looks first: above the well-known ports developers' own servers tend to use. */
const FREE_PORTS_FROM = 20_000;
/** Below this many ports under the ephemeral range, freePort looks from 1024 instead. */
const ENOUGH_PORTS = 1_000;
/** The ports freePort handed out in this module instance: each once. */
const handedOut = new Set<number>();

/**
 * The lowest port the kernel hands out by itself (to `listen(0)` and to outgoing connections):
 * Linux's ip_local_port_range, 32768 by default; IANA's 49152 where that file does not exist.
 */
export function ephemeralPortsFrom(): number {
  try {
    return Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]) || 49_152;
  } catch {
    return 49_152;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port the kernel picked for a moment: the fallback where the ephemeral range leaves no room below it. */
function kernelPort(): Promise<number> {
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
 * A port nothing listens on now, below the kernel's ephemeral range, so no `listen(0)` and no
 * outgoing connection can be given it before the caller listens; never the same twice from this
 * module instance. Another process picking the same one at random is the risk left (startNetlifyDev
 * retries its own). Where the range starts too low to leave room, a port from `listen(0)`. For a
 * refused connection, REFUSED_ORIGIN.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  const from = below - FREE_PORTS_FROM >= ENOUGH_PORTS ? FREE_PORTS_FROM : 1_024;
  if (below - from < ENOUGH_PORTS) return kernelPort();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (below - from));
    if (handedOut.has(port)) continue;
    // Held from now, so a concurrent call cannot pick it while this one checks it.
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${from} and ${below}`);
}

/**
 * Where netlify dev keeps its local Netlify Database (PGlite), inside the served folder. netlify-cli
 * 27 starts one on every `netlify dev`, with no option to turn it off; the bot uses none.
 */
export const NETLIFY_DB_PATH = join(".netlify", "db");

/**
 * A copy of what netlify dev serves, in a new temporary directory (node_modules linked), with no
 * local database (NETLIFY_DB_PATH); the caller removes it.
 */
export function snapshotProject(prefix = "chatops-project-"): string {
  // netlify dev rebuilds on every source change, and every netlify dev started in one directory
  // shares (and rebuilds on start) its .netlify/ folder: one serving a copy neither disturbs nor is disturbed.
  const copy = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of ["netlify.toml", "package.json", "tsconfig.json", "netlify", "src", "public"]) {
    cpSync(join(projectRoot, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(projectRoot, "node_modules"), join(copy, "node_modules"), "dir");
  // In a fresh folder the database's first start creates a Postgres cluster: about 3.5 of the 7 CPU
  // seconds netlify dev takes to start here. A file where its folder goes makes that start fail at
  // once; netlify dev says so in one line ("Failed to start Netlify Database locally") and goes on.
  mkdirSync(join(copy, ".netlify"));
  writeFileSync(join(copy, NETLIFY_DB_PATH), "");
  return copy;
}

/** netlify dev stopped starting because `port` was taken. */
class PortTaken extends Error {
  constructor(
    message: string,
    readonly port: number,
  ) {
    super(message);
  }
}

/** Sends `signal` to the child's process group (it is started detached, as its group's leader). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** How many times a start whose own port was taken is tried, each on fresh ports. */
const START_ATTEMPTS = 3;

/**
 * Starts `netlify dev --offline --internal-disable-edge-functions` (without those flags it tries to
 * download Deno and fails offline) with `env` added to the environment, and waits until it serves
 * every function. `options.port` in use rejects with an error whose `code` is EADDRINUSE; a port it
 * picked itself (or netlify dev did) that something took first is tried again on others.
 */
export async function startNetlifyDev(env: Record<string, string>, options: NetlifyDevOptions = {}): Promise<NetlifyDev> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    let functionsPort = await freePort();
    while (functionsPort === port) functionsPort = await freePort();
    try {
      return await startOnce(env, options, port, functionsPort);
    } catch (error) {
      if (!(error instanceof PortTaken)) throw error;
      // Only the caller's own port is theirs to hear about as in use (the sandbox names its flag).
      if (error.port === options.port) throw Object.assign(new Error(error.message), { code: "EADDRINUSE" });
      if (attempt === START_ATTEMPTS) throw new Error(error.message);
    }
  }
}

async function startOnce(env: Record<string, string>, options: NetlifyDevOptions, port: number, functionsPort: number): Promise<NetlifyDev> {
  const child: ChildProcess = spawn(
    process.execPath,
    [NETLIFY_BIN, "dev", "--offline", "--internal-disable-edge-functions", "--no-open", "--port", String(port), "--functions-port", String(functionsPort)],
    {
      cwd: options.cwd ?? projectRoot,
      // Variables set here win over .env files in netlify dev.
      env: { ...process.env, ...blankEnv(), ...env, BROWSER: "none", NETLIFY_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stop() ends its children too, and a Ctrl-C reaches only the caller.
      detached: true,
    },
  );
  let output = "";
  let partial = "";
  const listeners: ((line: string) => void)[] = [];
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-OUTPUT_KEPT);
    if (listeners.length === 0) return;
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) for (const listener of listeners) listener(line.replace(/\s+$/, ""));
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    signalGroup(child, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const functions = functionNames(options.cwd ?? projectRoot);
  const timeoutMs = options.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      // What it started in its process group may outlive it.
      signalGroup(child, "SIGKILL");
      if (/acquire required 'port'/.test(output)) throw new PortTaken(`netlify dev cannot listen on port ${port}: something else uses it.`, port);
      const taken = /EADDRINUSE: address already in use \S*:(\d+)/.exec(output);
      if (taken) throw new PortTaken(`netlify dev exited while starting: port ${taken[1]} was taken:\n${output}`, Number(taken[1]));
      throw new Error(`netlify dev exited while starting:\n${output}`);
    }
    if (functions.every((name) => output.includes(`Loaded function ${name}`))) {
      try {
        await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
        return {
          url,
          pid: child.pid!,
          output: () => output,
          onLine: (listener) => void listeners.push(listener),
          ignoredEnvFileVariables: () => [...output.matchAll(/Ignored .*?\.env\S* file.*? env var: (\S+)/g)].map((match) => match[1]!.replace(/\u001b\[[0-9;]*m/g, "")),
          exited,
          stop,
        };
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`netlify dev did not start within ${Math.round(timeoutMs / 1000)} s:\n${output}`);
}
