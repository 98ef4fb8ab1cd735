/**
 * The Slack and Notion emulators in a process of their own, for the warm measurement: the bench's
 * process then holds only the handlers, so neither the emulators' work nor their memory (every
 * call, view and page they keep) is counted as the handler's. Started by bench/emulators.ts with
 * child_process.fork; answers its requests over the IPC channel.
 */
import { startNotionEmulator, taskBoardSchema } from "../dev/notion-emulator.js";
import { SLACK_SEED, startSlackEmulator, type OpenedView } from "../dev/slack-emulator.js";
import { emulatorEnv, TEST_NOTION_TOKEN, TEST_SLACK_TOKEN } from "../dev/emulator-env.js";
import { startBlobsEmulator } from "../dev/blobs-server.js";
import type { BlobsConnection } from "../src/store/store.js";

export type EmulatorRequest =
  | { id: number; op: "mint"; count: number }
  | { id: number; op: "firstView" }
  | { id: number; op: "stats" }
  | { id: number; op: "close" };

export interface EmulatorStats {
  views: number;
  pages: number;
}

export type EmulatorMessage =
  | { type: "ready"; env: Record<string, string>; blobs: BlobsConnection }
  | { type: "answer"; id: number; mint?: { triggerIds: string[]; responseUrls: string[] }; view?: OpenedView; stats?: EmulatorStats };

if (process.send) {
  const send = (message: EmulatorMessage) => process.send!(message);
  // The warm run mints every trigger_id before its timed requests, which Slack never does: none expires.
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: Infinity });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
  // The store, as on Netlify: every submission claims its view before saving.
  const blobs = await startBlobsEmulator();
  process.on("message", async (request: EmulatorRequest) => {
    switch (request.op) {
      case "mint": {
        const triggerIds = Array.from({ length: request.count }, () => slack.triggerId(SLACK_SEED.alice));
        const responseUrls = Array.from({ length: request.count }, () => slack.responseUrl());
        return send({ type: "answer", id: request.id, mint: { triggerIds, responseUrls } });
      }
      case "firstView":
        return send({ type: "answer", id: request.id, ...(slack.views[0] ? { view: slack.views[0] } : {}) });
      case "stats":
        return send({ type: "answer", id: request.id, stats: { views: slack.views.length, pages: notion.pages().length } });
      case "close":
        await Promise.all([slack.close(), notion.close(), blobs.close()]);
        send({ type: "answer", id: request.id });
        process.disconnect();
        return;
    }
  });
  send({
    type: "ready",
    env: emulatorEnv(slack, notion, board.databaseId),
    blobs: blobs.connection,
  });
}
