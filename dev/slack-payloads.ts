/**
 * Interactivity payloads as Slack sends them for message shortcuts (`message_action`) and buttons
 * (`block_actions`). Shapes follow Slack's documentation (docs.slack.dev/reference/interaction-payloads),
 * trimmed to the fields a bot could read; pass the result to `harness.interact()`.
 */
import { SLACK_SEED, type PostedMessage } from "./slack-emulator.js";

const USER_NAMES: Record<string, string> = { [SLACK_SEED.alice]: "alice", [SLACK_SEED.bob]: "bob" };

let tsCounter = 0;

/** A fresh message ts ("seconds.micros"), unique within a test run, so tests never share a message. */
export function messageTs(): string {
  tsCounter += 1;
  return `${1_760_000_000 + tsCounter}.${String(100 + tsCounter).padStart(6, "0")}`;
}

export interface SlackMessageFields {
  ts?: string;
  text?: string;
  /** The author; absent on some system messages. */
  user?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
  [field: string]: unknown;
}

/** A message as it appears inside a payload: a person's message by default. */
export function slackMessage(fields: SlackMessageFields = {}): Record<string, unknown> {
  return {
    client_msg_id: "6d6a7fd9-0a5f-4c33-9a8d-0bde3c0e3f1a",
    type: "message",
    text: "Can someone look at the login page? It's broken on Safari.",
    user: SLACK_SEED.alice,
    ts: fields.ts ?? messageTs(),
    team: SLACK_SEED.teamId,
    ...fields,
  };
}

/** A bot's message: `bot_id`, `subtype: bot_message`, and the bot user as `user` where Slack sets it. */
export function botMessage(fields: SlackMessageFields = {}): Record<string, unknown> {
  return slackMessage({ user: "U0OTHERBOT", bot_id: "B0OTHER", subtype: "bot_message", text: "Deploy finished: build #512 is live.", ...fields });
}

export interface MessageActionInput {
  callbackId: string;
  /** Who used the shortcut. */
  user?: string;
  channel?: { id: string; name: string };
  message?: Record<string, unknown>;
  triggerId: string;
  responseUrl: string;
}

/** A message shortcut (`message_action`). */
export function messageAction(input: MessageActionInput): Record<string, unknown> {
  const user = input.user ?? SLACK_SEED.bob;
  const message = input.message ?? slackMessage();
  return {
    type: "message_action",
    token: "deprecated-verification-token",
    action_ts: "1760000500.123456",
    team: { id: SLACK_SEED.teamId, domain: SLACK_SEED.teamDomain },
    user: { id: user, username: USER_NAMES[user] ?? user, name: USER_NAMES[user] ?? user, team_id: SLACK_SEED.teamId },
    channel: input.channel ?? { id: SLACK_SEED.general, name: "general" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: message.ts,
    message,
  };
}

export interface BlockActionsInput {
  user?: string;
  channel?: { id: string; name: string };
  /** The message the button is on (for a reminder: the bot's own message, not the original). */
  message: Record<string, unknown>;
  action: { action_id: string; value?: string; block_id?: string; text?: string };
  triggerId: string;
  responseUrl: string;
}

/** A button click in a message (`block_actions`). */
export function blockActions(input: BlockActionsInput): Record<string, unknown> {
  const user = input.user ?? SLACK_SEED.bob;
  const channel = input.channel ?? { id: SLACK_SEED.general, name: "general" };
  return {
    type: "block_actions",
    user: { id: user, username: USER_NAMES[user] ?? user, name: USER_NAMES[user] ?? user, team_id: SLACK_SEED.teamId },
    api_app_id: SLACK_SEED.appId,
    token: "deprecated-verification-token",
    container: {
      type: "message",
      message_ts: input.message.ts,
      channel_id: channel.id,
      is_ephemeral: false,
      ...(input.message.thread_ts ? { thread_ts: input.message.thread_ts } : {}),
    },
    trigger_id: input.triggerId,
    team: { id: SLACK_SEED.teamId, domain: SLACK_SEED.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel,
    message: input.message,
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: input.action.action_id,
        block_id: input.action.block_id ?? "Yx3e",
        text: { type: "plain_text", text: input.action.text ?? "Button", emoji: true },
        ...(input.action.value === undefined ? {} : { value: input.action.value }),
        type: "button",
        action_ts: "1760000600.654321",
      },
    ],
  };
}

/** The button with `actionId` in a message the bot posted (as the emulator recorded it), or an error. */
export function findButton(posted: PostedMessage, actionId: string): { action_id: string; value?: string; text: { text: string } } {
  for (const block of (posted.blocks ?? []) as { type: string; elements?: { type: string; action_id?: string }[] }[]) {
    const button = block.elements?.find((element) => element.type === "button" && element.action_id === actionId);
    if (button) return button as unknown as { action_id: string; value?: string; text: { text: string } };
  }
  throw new Error(`no button ${actionId} in the posted message`);
}

/** Clicking a button of a message the bot posted: the payload carries that message, as Slack's does. */
export function clickButton(posted: PostedMessage, actionId: string, input: { user?: string; triggerId: string; responseUrl: string; channelName?: string }): Record<string, unknown> {
  const button = findButton(posted, actionId);
  const message = {
    type: "message",
    subtype: "bot_message",
    text: posted.text,
    user: SLACK_SEED.botUserId,
    bot_id: SLACK_SEED.botId,
    app_id: SLACK_SEED.appId,
    ts: posted.ts,
    ...(posted.thread_ts ? { thread_ts: posted.thread_ts } : {}),
    blocks: posted.blocks,
  };
  return blockActions({
    ...(input.user ? { user: input.user } : {}),
    channel: { id: posted.channel, name: input.channelName ?? "general" },
    message,
    action: { action_id: button.action_id, text: button.text.text, ...(button.value === undefined ? {} : { value: button.value }) },
    triggerId: input.triggerId,
    responseUrl: input.responseUrl,
  });
}
