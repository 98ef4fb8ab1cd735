import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../../dev/blobs-server.js";
import { HEALTHY_TIMEOUT_MS } from "../../../dev/harness.js";
import type { FeatureContext, Settings } from "../../../src/features/context.js";
import { postWeeklyReview, REVIEW_MAX_PAGES } from "../../../src/features/weekly-review/post-weekly-review.js";
import { createRecentReminders } from "../../../src/features/process-reminder/recent-reminders.js";
import { createLogger } from "../../../src/log.js";
import { createClaims } from "../../../src/store/claims.js";
import { createBlobsStore } from "../../../src/store/store.js";
import type { OpenTasks, TaskStore } from "../../../src/notion/task-store.js";
import type { TaskPages } from "../../../src/notion/task-pages.js";
import { SlackApiError, type MessageContent, type SlackApi } from "../../../src/platforms/slack/client.js";
import { createSlackChatApi } from "../../../src/platforms/slack/chat-api.js";

const settings: Settings = {
  tasksChannelId: undefined,
  reviewChannelId: "C0REVIEW",
  channels: { slack: { tasks: undefined, review: "C0REVIEW" } },
  reminderText: undefined,
  reviewTimeZone: "UTC",
  skipEmptyReview: false,
  problems: {},
};

let blobs: BlobsEmulator;
let sites = 0;
beforeAll(async () => {
  blobs = await startBlobsEmulator();
});
afterAll(() => blobs.close());

/** A context whose ports are plain fakes: `openTasks` and `postMessage` decide what happens. */
function fakeContext(ports: { openTasks: () => Promise<OpenTasks>; postMessage?: (message: MessageContent) => Promise<void> }, overrides: Partial<Settings> = {}) {
  const logs: Record<string, unknown>[] = [];
  const posts: MessageContent[] = [];
  const reads: { maxPages: number; pageSize?: number | undefined }[] = [];
  const unused = () => Promise.reject(new Error("not used by the weekly review"));
  const tasks: TaskStore = {
    board: unused,
    peekBoard: () => undefined,
    createTask: unused,
    tasksRequestedBy: unused,
    openTasksOf: unused,
    readSnapshot: unused,
    readPeople: unused,
    openTasks: (options) => {
      reads.push(options);
      return ports.openTasks();
    },
  };
  const pages: TaskPages = { read: unused, setStatus: unused, changedSince: unused, botUserId: unused, personName: unused };
  const slack: SlackApi = {
    openView: unused,
    updateView: unused,
    publishView: unused,
    postEphemeral: unused,
    respond: unused,
    getPermalink: unused,
    getUser: unused,
    postMessage: async (_channel, message) => {
      posts.push(message);
      await ports.postMessage?.(message);
      return { channel: "C0REVIEW", ts: "1.2" };
    },
  };
  // A store of its own on the file's Blobs server: each test's claims start empty.
  const store = createBlobsStore({ connection: { ...blobs.connection, siteID: `site-${++sites}` }, timeoutMs: HEALTHY_TIMEOUT_MS });
  const ctx: FeatureContext = {
    // Slack's ChatApi over the fake Web API: what the scheduled function posts through.
    chats: { slack: createSlackChatApi(slack) },
    tasks,
    pages,
    settings: { ...settings, ...overrides },
    log: createLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
    now: () => new Date("2025-01-06T09:00:00Z"),
    reminders: createRecentReminders(),
    store,
    claims: createClaims(store),
    sleep: async () => {},
    defer: () => {},
    deadline: { at: Date.parse("2025-01-06T09:00:02Z"), remainingMs: () => 2_000 },
    budget: { at: Date.parse("2025-01-06T09:00:25Z"), remainingMs: () => 25_000 },
  };
  return { ctx, logs, posts, reads };
}

describe("postWeeklyReview", () => {
  it(`reads at most ${REVIEW_MAX_PAGES} pages of 100, whatever the board's size`, async () => {
    const { ctx, reads } = fakeContext({ openTasks: async () => ({ tasks: [], complete: true }) });
    await postWeeklyReview(ctx);
    expect(reads).toEqual([{ maxPages: 3, pageSize: 100 }]);
  });

  it("gives up on a Notion read that outlasts its budget, and posts nothing", async () => {
    const { ctx, logs, posts } = fakeContext({ openTasks: () => new Promise(() => {}) });
    const run = await postWeeklyReview(ctx, { notionBudgetMs: 50 });
    expect(run).toMatchObject({ outcome: "failed", failed: "notion", reason: "timeout" });
    expect(posts).toHaveLength(0);
    expect(logs).toEqual([expect.objectContaining({ event: "weekly_review", level: "error", reason: "timeout", fix: expect.stringContaining("Nothing was posted") })]);
  });

  it("does not retry a post that failed in a way that may have posted", async () => {
    for (const code of ["timeout", "network_error"]) {
      let attempts = 0;
      const { ctx } = fakeContext({
        openTasks: async () => ({ tasks: [], complete: true }),
        postMessage: async () => {
          attempts += 1;
          throw new SlackApiError(code, "chat.postMessage");
        },
      });
      const run = await postWeeklyReview(ctx);
      expect(run).toMatchObject({ outcome: "failed", failed: "slack", reason: code });
      expect(attempts).toBe(1);
    }
  });

  it("never retries a post after an HTTP error: Slack's edge answers 502 or 504 after posts that landed", async () => {
    let attempts = 0;
    const { ctx } = fakeContext({
      openTasks: async () => ({ tasks: [], complete: true }),
      postMessage: async () => {
        attempts += 1;
        throw new SlackApiError("http_error", "chat.postMessage");
      },
    });
    const run = await postWeeklyReview(ctx);
    expect(run).toMatchObject({ outcome: "failed", reason: "http_error", fix: expect.stringContaining("may or may not have been posted") });
    expect(attempts).toBe(1);
  });

  it("posts nothing from a board over an hour old (the last snapshot while Notion fails), and fails so it is owed", async () => {
    const twoHoursAgo = Date.parse("2025-01-06T07:00:00Z");
    const { ctx, posts } = fakeContext({ openTasks: async () => ({ tasks: [], complete: true, asOf: twoHoursAgo }) });
    expect(await postWeeklyReview(ctx)).toMatchObject({ outcome: "failed", failed: "notion", reason: "stale_board" });
    expect(posts).toHaveLength(0);
    const { ctx: recent, posts: posted } = fakeContext({ openTasks: async () => ({ tasks: [], complete: true, asOf: twoHoursAgo + 90 * 60_000 }) });
    expect(await postWeeklyReview(recent)).toMatchObject({ outcome: "posted" });
    expect(posted).toHaveLength(1);
  });

  it("waits for Slack only within what is left of the invocation's budget, not a budget of its own", async () => {
    let attempts = 0;
    const { ctx } = fakeContext({
      openTasks: async () => ({ tasks: [], complete: true }),
      postMessage: async () => {
        attempts += 1;
        throw new SlackApiError("rate_limited", "chat.postMessage", { retryAfterSeconds: 5 });
      },
    });
    const run = await postWeeklyReview({ ...ctx, budget: { at: Date.parse("2025-01-06T09:00:06Z"), remainingMs: () => 6_000 } });
    expect(run).toMatchObject({ outcome: "failed", reason: "rate_limited", fix: expect.stringContaining("would pass the run's time budget") });
    expect(attempts).toBe(1);
  });

  it("names the missing setting when there is no review channel", async () => {
    const { ctx, reads } = fakeContext({ openTasks: async () => ({ tasks: [], complete: true }) }, { reviewChannelId: undefined, channels: { slack: { tasks: undefined, review: undefined } } });
    const run = await postWeeklyReview(ctx);
    expect(run).toMatchObject({ outcome: "failed", failed: "config", fix: expect.stringContaining("SLACK_REVIEW_CHANNEL_ID") });
    expect(reads).toHaveLength(0);
  });
});
