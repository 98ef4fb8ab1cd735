/** What every feature is handed: its ports, settings and the request's clock, deadline, log and deferral. */
import type { ChatApi } from "../chat/chat-api.js";
import type { Platform } from "../chat/model.js";
import type { Reply } from "../chat/reply.js";
import type { EnvName } from "../env.js";
import type { Logger } from "../log.js";
import type { TaskPages } from "../notion/task-pages.js";
import type { TaskStore } from "../notion/task-store.js";
import type { Claims } from "../store/claims.js";
import type { Store } from "../store/store.js";
import type { RecentReminders } from "./process-reminder/recent-reminders.js";

export interface Settings {
  /** Where every new task is announced, if anywhere. */
  tasksChannelId: string | undefined;
  reviewChannelId: string | undefined;
  /**
   * Each platform's channels, for every platform that is on: where new tasks are announced and the
   * weekly review goes (Slack's are tasksChannelId and reviewChannelId too, until no feature reads them there).
   */
  channels: Readonly<Partial<Record<Platform, { tasks: string | undefined; review: string | undefined }>>>;
  /**
   * Platforms that are on (their variables set) but not wired into this function (runtime.ts,
   * PlatformWiring): what is owed to someone there is left in the store for a function that is
   * (deliver-owed-sends.ts, run by the task sync and Notion's webhooks, wired for every platform).
   * Absent: none (a test that builds its own context).
   */
  unwired?: readonly Platform[] | undefined;
  /** PROCESS_REMINDER_TEXT: mrkdwn with {author}, {command} and {board} placeholders. */
  reminderText: string | undefined;
  /** IANA time zone; UTC unless REVIEW_TIMEZONE says otherwise. */
  reviewTimeZone: string;
  skipEmptyReview: boolean;
  /**
   * Optional settings that are set but malformed, with what is wrong: each feature that uses one
   * says so to the person (or the log) and every other feature works (env.ts, `contained`).
   */
  problems: Readonly<Partial<Record<EnvName, string>>>;
}

/**
 * When the acknowledgement must be on its way: measured from the request's arrival, shared by every
 * call and wait on the acknowledgement path, so two of them cannot each take most of Slack's 3 s.
 */
export interface Deadline {
  /** Milliseconds since the epoch, on the runtime's clock. */
  readonly at: number;
  /** What is left, in ms (0 once passed). */
  remainingMs(): number;
}

/** Why a person's own view of the board is drawn again: each reason has its own minimum age (Slack's Home tab: HOME_MIN_AGE_MS). */
export type PersonalViewReason = "opened" | "refresh" | "changed";

/** What drawing it again did: drew it; or not, being fresh (drawn at `publishedAt`); or not, owed (the platform refused for now). */
export type PersonalViewRefresh = { published: true } | { published: false; publishedAt: number } | { published: false; owed: true };

/**
 * A person's own view of the board beside the chat, on a platform that has one (Slack's Home tab;
 * Discord over HTTP has none). A feature redraws it after a change the person made from it without
 * naming the platform; the runtime builds it with its platform's client (runtime.ts, personalViews).
 */
export interface PersonalView {
  /** Draws `userId`'s view again unless it is fresher than `reason` allows; rejects with the platform's error when it refuses for good. */
  refresh(userId: string, ctx: FeatureContext, reason: PersonalViewReason): Promise<PersonalViewRefresh>;
}

/**
 * Names no platform's types (test/layout.test.ts): a feature posts and answers through `chats` and,
 * for an interaction, `reply`; Slack's own code gets Slack's Web API beside it (SlackContext, in Slack's adapter).
 */
export interface FeatureContext {
  /** Every platform that is on, by name: what deferred and scheduled work posts through (a task's record names its platform). */
  chats: Readonly<Partial<Record<Platform, ChatApi>>>;
  /** Each platform's personal view (Slack's Home tab), where the platform is on and has one; none in a test that builds its own context. */
  personalViews?: Readonly<Partial<Record<Platform, PersonalView>>> | undefined;
  tasks: TaskStore;
  /** One task page at a time: read, move to another status, what changed since (the status loop). */
  pages: TaskPages;
  /** Recent reminders, per warm instance: the fallback when the store is unavailable (see recent-reminders.ts). */
  reminders: RecentReminders;
  /** State shared by every instance (Netlify Blobs). */
  store: Store;
  /** "Do this once", whichever instance is asked (store/claims.ts). */
  claims: Claims;
  settings: Settings;
  log: Logger;
  now(): Date;
  /** Waits `ms`; tests pass one that returns at once, so no test sleeps on a real timer. */
  sleep(ms: number): Promise<void>;
  /** Runs work after the response is sent (Netlify's waitUntil); a failure is logged, never thrown. */
  defer(label: string, work: () => Promise<void>): void;
  deadline: Deadline;
  /**
   * When the invocation itself ends, deferred work included (runtime.ts, INVOCATION_BUDGET_MS): a
   * wait that would pass it is not begun, and what cannot be sent before it is owed instead.
   */
  budget: Deadline;
}

/**
 * What a route that answers an interaction is handed: the context, the platform the interaction
 * came on (`chat`), and how to answer it (`reply`, built per interaction by its adapter).
 */
export interface InteractionContext extends FeatureContext {
  chat: ChatApi;
  reply: Reply;
}

/** The clients, the store and the settings a runtime builds once and every request's context shares. */
export type Ports = Pick<FeatureContext, "chats" | "personalViews" | "tasks" | "pages" | "reminders" | "store" | "claims" | "settings">;
