/** Starts bench/emulator-process.ts and talks to it. */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { OpenedView } from "../dev/slack-emulator.js";
import type { BlobsConnection } from "../src/store/store.js";
import type { EmulatorMessage, EmulatorRequest, EmulatorStats } from "./emulator-process.js";

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
  child.once("exit", (code) => {
    for (const { reject } of waiting.values()) reject(new Error(`the emulator process exited with ${code}`));
  });
  const ask = (request: Ask) =>
    new Promise<Answer>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, {
        resolve: (answer) => {
          waiting.delete(id);
          resolve(answer);
        },
        reject,
      });
      child.send({ ...request, id });
    });
  return {
    env,
    blobs,
    mint: async (count) => (await ask({ op: "mint", count })).mint!,
    firstView: async () => (await ask({ op: "firstView" })).view,
    stats: async () => (await ask({ op: "stats" })).stats!,
    async close() {
      child.removeAllListeners("exit");
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await ask({ op: "close" });
      await exited;
    },
  };
}
