/**
 * The sandbox's fixed world: sandbox-only credentials, the workspace's channels, the task board (a
 * fixed database id, so it is found again after a restart) and a few sample tasks for a first run.
 */
import type { EnvName } from "../env.js";
import type { NotionEmulator } from "../../dev/notion-emulator.js";
import { taskBoardSchema } from "../../dev/notion-emulator.js";
import { SLACK_SEED, type SlackEmulator } from "../../dev/slack-emulator.js";
import type { SandboxFile } from "./sandbox-file.js";

/** Credentials that only mean something to the sandbox's emulators. */
export const SANDBOX_CREDENTIALS = {
  signingSecret: "sandbox-signing-secret-0123456789",
  slackToken: "xoxb-sandbox-000000000000",
  notionToken: "ntn_sandbox_000000000000",
  /** The Notion emulator signs its webhook events with it, as Notion signs with a subscription's verification token. */
  notionWebhookSecret: "secret_sandbox_webhook_0000000000000000",
} as const;

/** The board's ids: fixed, so a restart finds the board (and its tasks) in the state file. */
export const SANDBOX_BOARD = {
  databaseId: "5a4db0a2-0000-4000-8000-00000000b0a2",
  dataSourceId: "5a4db0a2-0000-4000-8000-000000000d5a",
} as const;

/** Where new tasks are announced (SLACK_TASKS_CHANNEL_ID) and where the review goes. */
export const SANDBOX_CHANNELS = {
  tasks: { id: "C0TASKS", name: "tasks" },
  review: { id: SLACK_SEED.general, name: "general" },
} as const;

/** The sandbox file of a sandbox running in this process, serving the functions and its control server at these URLs. */
export function sandboxFileFor(urls: { functionsUrl: string; controlUrl: string; slackApiUrl: string; notionUrl: string }): SandboxFile {
  return {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    ...urls,
    signingSecret: SANDBOX_CREDENTIALS.signingSecret,
    teamId: SLACK_SEED.teamId,
    teamDomain: SLACK_SEED.teamDomain,
    appId: SLACK_SEED.appId,
    env: sandboxBotEnv(urls),
  };
}

/**
 * Every variable env.ts knows, as the functions get it in the sandbox. Unused ones are set empty on
 * purpose: netlify dev lets a variable in the process environment win over .env files (an empty
 * one reads as unset in env.ts), so a developer's real .env cannot leak into the sandbox. The
 * Record type makes a variable added to env.ts fail to compile until it is decided here.
 */
export function sandboxBotEnv(urls: { slackApiUrl: string; notionUrl: string }): Record<EnvName, string> {
  return {
    SLACK_SIGNING_SECRET: SANDBOX_CREDENTIALS.signingSecret,
    SLACK_BOT_TOKEN: SANDBOX_CREDENTIALS.slackToken,
    NOTION_TOKEN: SANDBOX_CREDENTIALS.notionToken,
    NOTION_DATABASE_ID: SANDBOX_BOARD.databaseId,
    SLACK_REVIEW_CHANNEL_ID: SANDBOX_CHANNELS.review.id,
    SLACK_TASKS_CHANNEL_ID: SANDBOX_CHANNELS.tasks.id,
    SLACK_API_URL: urls.slackApiUrl,
    NOTION_API_URL: urls.notionUrl,
    NOTION_WEBHOOK_SECRET: SANDBOX_CREDENTIALS.notionWebhookSecret,
    NOTION_STATUS_PROPERTY: "",
    NOTION_PRIORITY_PROPERTY: "",
    NOTION_DUE_PROPERTY: "",
    NOTION_REQUESTER_PROPERTY: "",
    NOTION_SLACK_LINK_PROPERTY: "",
    NOTION_REQUEST_ID_PROPERTY: "",
    NOTION_ASSIGNEE_PROPERTY: "",
    PROCESS_REMINDER_TEXT: "",
    REVIEW_TIMEZONE: "",
    WEEKLY_REVIEW_SKIP_EMPTY: "",
    SLACK_ALLOWED_TEAM_IDS: "",
    SLACK_APP_ID: "",
    TASK_ALLOWED_CHANNEL_IDS: "",
    // The sandbox serves Slack alone for now: Discord stays off, whatever a developer's .env says.
    DISCORD_APPLICATION_ID: "",
    DISCORD_PUBLIC_KEY: "",
    DISCORD_BOT_TOKEN: "",
    DISCORD_API_URL: "",
    DISCORD_REVIEW_CHANNEL_ID: "",
    DISCORD_TASKS_CHANNEL_ID: "",
    DISCORD_ALLOWED_GUILD_IDS: "",
  };
}

/** Adds the sandbox's channels; idempotent, so it runs on every start. */
export function seedWorkspace(slack: SlackEmulator): void {
  slack.addChannel({ id: SANDBOX_CHANNELS.tasks.id, name: SANDBOX_CHANNELS.tasks.name, isMember: true });
}

/**
 * Creates the board and a few sample tasks unless the state file already has the board.
 * Returns whether it seeded. Dates are relative to `now`, so the review has something in every group.
 */
export function seedBoard(notion: NotionEmulator, now: Date): boolean {
  try {
    notion.pages(SANDBOX_BOARD.dataSourceId);
    return false;
  } catch {
    // No such data source yet: a first run (or after --reset).
  }
  notion.addDatabase({ title: "Tasks", ...SANDBOX_BOARD, properties: taskBoardSchema() });
  // The Slack emulator's Alice and Bob, as Notion's people (matched by email): the Home tab's "Assigned to me".
  const alice = notion.addUser({ name: "Alice", email: "alice@example.com" });
  notion.addUser({ name: "Bob", email: "bob@example.com" });
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const samples: { title: string; status: string; priority?: string; due?: string; requester: string; assignee?: string }[] = [
    { title: "Renew the TLS certificate of status.example.com", status: "In progress", priority: "High", due: day(-2), requester: "Alice (U0ALICE)" },
    { title: "Update the onboarding checklist", status: "Not started", priority: "Medium", due: day(1), requester: "Bob (U0BOB)", assignee: alice.id },
    { title: "Plan the team offsite", status: "Not started", priority: "Low", due: day(24), requester: "Alice (U0ALICE)" },
    { title: "Tidy up the shared drive", status: "Not started", requester: "Bob (U0BOB)" },
    { title: "Move CI to Node 22", status: "Done", priority: "Medium", due: day(-6), requester: "Alice (U0ALICE)" },
  ];
  for (const [index, sample] of samples.entries()) {
    notion.addPage(SANDBOX_BOARD.dataSourceId, {
      Name: { title: [{ text: { content: sample.title } }] },
      Status: { status: { name: sample.status } },
      ...(sample.priority ? { Priority: { select: { name: sample.priority } } } : {}),
      ...(sample.due ? { Due: { date: { start: sample.due } } } : {}),
      "Requested by": { rich_text: [{ text: { content: sample.requester } }] },
      "Request ID": { rich_text: [{ text: { content: `sandbox-sample-${index + 1}` } }] },
      ...(sample.assignee ? { Assignee: { people: [{ id: sample.assignee }] } } : {}),
    });
  }
  return true;
}
