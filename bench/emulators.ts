/** Starts bench/emulator-process.ts and talks to it. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OpenedView } from "../dev/slack-emulator.js";
import type { BlobsConnection } from "../src/store/store.js";
import type { EmulatorCounts, EmulatorMessage, EmulatorRequest, EmulatorStats, SavedOnce } from "./emulator-process.js";

export interface RemoteEmulators {
  /** The variables that point the bot at them. */
  env: Record<string, string>;
  /** Where their Blobs server is (RuntimeOptions.blobs). */
  blobs: BlobsConnection;
  /** Fresh trigger_ids (for Alice) and response_urls, one of each per request to come. */
  mint(count: number): Promise<{ triggerIds: string[]; responseUrls: string[] }>;
  /** The first modal opened, to submit. */
  firstView(): Promise<OpenedView | undefined>;
  stats(): Promise<EmulatorStats>;
  /** Calls since the last forget(), pages and reminders since the start. */
  counts(): Promise<EmulatorCounts>;
  /** How many pages each Request ID starting with `requestIdPrefix` has. */
  savedOnce(requestIdPrefix: string): Promise<SavedOnce>;
  /** Drops the calls recorded so far (the pages stay), to keep the emulators' memory bounded. */
  forget(): Promise<void>;
  close(): Promise<void>;
}

type Answer = Extract<EmulatorMessage, { type: "answer" }>;
type Ask = EmulatorRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

export async function startRemoteEmulators(): Promise<RemoteEmulators> {
  // Under tsx, execArgv carries its loader, so the child runs TypeScript too.
  const child = fork(fileURLToPath(new URL("./emulator-process.ts", import.meta.url)), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
  const { env, blobs } = await new Promise<{ env: Record<string, string>; blobs: BlobsConnection }>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the emulator process exited with ${code}`)));
    child.on("message", (message: EmulatorMessage) => {
      if (message.type === "ready") resolve({ env: message.env, blobs: message.blobs });
      else waiting.get(message.id)?.resolve(message);
    });
  });
  child.removeAllListeners("exit");
  // Once the process is gone, every call waiting or to come fails rather than waiting forever.
  let gone: Error | undefined;
  child.once("exit", (code) => {
    gone = new Error(`the emulator process exited with ${code}`);
    for (const { reject } of waiting.values()) reject(gone);
  });
  const ask = (request: Ask) =>
    new Promise<Answer>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = ++nextId;
      waiting.set(id, {
        resolve: (answer) => {
          waiting.delete(id);
          resolve(answer);
        },
        reject,
      });
      child.send({ ...request, id }, (error) => {
        if (error) reject(error);
      });
    });
  return {
    env,
    blobs,
    mint: async (count) => (await ask({ op: "mint", count })).mint!,
    firstView: async () => (await ask({ op: "firstView" })).view,
    stats: async () => (await ask({ op: "stats" })).stats!,
    counts: async () => (await ask({ op: "counts" })).counts!,
    savedOnce: async (requestIdPrefix) => (await ask({ op: "savedOnce", requestIdPrefix })).savedOnce!,
    forget: async () => void (await ask({ op: "forget" })),
    async close() {
      if (gone) return;
      child.removeAllListeners("exit");
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await ask({ op: "close" });
      await exited;
    },
  };
}
