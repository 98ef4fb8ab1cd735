/**
 * The Slack, Notion and Blobs emulators in a process of their own, for the warm measurement and for
 * `npm run hostile`: the bench's process then holds only the handlers, so neither the emulators' work
 * nor their memory (every call, view and page they keep) is counted as the handler's. Started by
 * bench/emulators.ts with child_process.fork; answers its requests over the IPC channel.
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
  | { id: number; op: "counts" }
  | { id: number; op: "savedOnce"; requestIdPrefix: string }
  | { id: number; op: "forget" }
  | { id: number; op: "close" };

export interface EmulatorStats {
  views: number;
  pages: number;
}

/** What the emulators have seen since the last `forget` (calls) or since the start (pages, posts). */
export interface EmulatorCounts {
  /** Requests that reached any emulator: Slack's API and response_urls, Notion, the store. */
  calls: number;
  pages: number;
  /** The bot's thread replies (Remind of process), since the start. */
  reminders: number;
}

/** Pages per Request ID among those starting with a prefix: each submitted modal must have exactly one. */
export interface SavedOnce {
  requestIds: number;
  pages: number;
  /** Request IDs with more than one page. */
  doubled: string[];
}

export type EmulatorMessage =
  | { type: "ready"; env: Record<string, string>; blobs: BlobsConnection }
  | { type: "answer"; id: number; mint?: { triggerIds: string[]; responseUrls: string[] }; view?: OpenedView; stats?: EmulatorStats; counts?: EmulatorCounts; savedOnce?: SavedOnce };

if (process.send) {
  const send = (message: EmulatorMessage) => process.send!(message);
  // The runs mint trigger_ids ahead of their requests, which Slack never does: none expires.
  const slack = await startSlackEmulator({ token: TEST_SLACK_TOKEN, triggerLifetimeMs: Infinity });
  const notion = await startNotionEmulator({ token: TEST_NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
  // The store, as on Netlify: every submission claims its view before saving.
  const blobs = await startBlobsEmulator();
  let reminders = 0;
  const countReminders = () => slack.messages.filter((message) => message.kind === "message" && message.thread_ts !== undefined).length;
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
      case "counts":
        return send({
          type: "answer",
          id: request.id,
          counts: { calls: slack.calls.length + slack.responses.length + notion.requests.length + blobs.requests.length, pages: notion.pages().length, reminders: reminders + countReminders() },
        });
      case "savedOnce": {
        const perRequestId = new Map<string, number>();
        for (const page of notion.pages(board.dataSourceId)) {
          const property = page.properties["Request ID"];
          const key = property?.type === "rich_text" ? property.rich_text.map((item) => item.plain_text).join("") : "";
          if (key.startsWith(request.requestIdPrefix)) perRequestId.set(key, (perRequestId.get(key) ?? 0) + 1);
        }
        const doubled = [...perRequestId].filter(([, pages]) => pages > 1).map(([key]) => key);
        const pages = [...perRequestId.values()].reduce((sum, count) => sum + count, 0);
        return send({ type: "answer", id: request.id, savedOnce: { requestIds: perRequestId.size, pages, doubled } });
      }
      case "forget":
        // Keeps the emulators' own memory bounded over a long run: records go, the data stays.
        reminders += countReminders();
        slack.reset();
        notion.reset();
        blobs.requests.length = 0;
        return send({ type: "answer", id: request.id });
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
