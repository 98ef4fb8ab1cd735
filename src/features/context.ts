/** What every feature is handed: its ports, settings and the request's clock, log and deferral. */
import type { Logger } from "../log.js";
import type { TaskStore } from "../notion/task-store.js";
import type { AccessPolicy } from "../slack/access.js";
import type { SlackApi } from "../slack/client.js";

export interface Settings {
  /** Where every new task is announced, if anywhere. */
  tasksChannelId: string | undefined;
  reviewChannelId: string | undefined;
  /** mrkdwn with {author} and {command} placeholders. */
  reminderText: string | undefined;
  reviewTimeZone: string;
  skipEmptyReview: boolean;
  /** The slash command as installed, for help texts ("/task"). */
  command: string;
  access: AccessPolicy;
}

export interface FeatureContext {
  slack: SlackApi;
  tasks: TaskStore;
  settings: Settings;
  log: Logger;
  now(): Date;
  /** Runs work after the response is sent (Netlify's waitUntil); a failure is logged, never thrown. */
  defer(label: string, work: () => Promise<void>): void;
  /** How long a request may wait for Notion before acknowledging and finishing in the background. */
  ackBudgetMs: number;
}
