/**
 * Requests as Slack sends them to the bot, signed with the sandbox's signing secret: a slash
 * command, a message shortcut, a button click and a modal submission. Payload shapes follow Slack's
 * documentation (docs.slack.dev/interactivity/handling-user-interaction, reference/interaction-payloads),
 * trimmed to what a bot could read.
 */
import { signSlackRequest } from "../slack/verify-request.js";

export interface Workspace {
  teamId: string;
  teamDomain: string;
  appId: string;
}

export interface Person {
  id: string;
  name: string;
}

export interface Place {
  id: string;
  name: string;
}

export interface SlackAnswer {
  status: number;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** POSTs a form body signed exactly as Slack signs it (v0, HMAC-SHA256, timestamp now). */
export async function sendSigned(url: string, body: string, signingSecret: string, nowMs: number = Date.now()): Promise<SlackAnswer> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signSlackRequest(signingSecret, timestamp, body),
    },
    body,
    // Slack gives up after 3 s; the CLI waits longer so a slow answer is shown rather than lost.
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    json = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** A slash command's form body. */
export function slashCommandBody(input: {
  workspace: Workspace;
  command: string;
  text: string;
  user: Person;
  channel: Place;
  triggerId: string;
  responseUrl: string;
}): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: input.workspace.teamId,
    team_domain: input.workspace.teamDomain,
    channel_id: input.channel.id,
    channel_name: input.channel.name,
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: input.workspace.appId,
    is_enterprise_install: "false",
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  }).toString();
}

/** An interactivity request's form body: the payload as JSON in `payload=`. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function userField(workspace: Workspace, user: Person): Record<string, unknown> {
  return { id: user.id, username: user.name, name: user.name, team_id: workspace.teamId };
}

function teamField(workspace: Workspace): Record<string, unknown> {
  return { id: workspace.teamId, domain: workspace.teamDomain };
}

/** A message as it appears inside a shortcut's payload. */
export interface PayloadMessage {
  ts: string;
  text: string;
  /** The author; a bot's message carries bot_id as well. */
  user?: string | undefined;
  bot_id?: string | undefined;
  thread_ts?: string | undefined;
  blocks?: readonly unknown[] | undefined;
}

function messageField(workspace: Workspace, message: PayloadMessage): Record<string, unknown> {
  return {
    type: "message",
    text: message.text,
    ts: message.ts,
    team: workspace.teamId,
    ...(message.user === undefined ? {} : { user: message.user }),
    ...(message.bot_id === undefined ? {} : { bot_id: message.bot_id, subtype: "bot_message" }),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
  };
}

/** A message shortcut (`message_action`) used by `user` on `message` in `channel`. */
export function messageActionPayload(input: {
  workspace: Workspace;
  callbackId: string;
  user: Person;
  channel: Place;
  message: PayloadMessage;
  triggerId: string;
  responseUrl: string;
}): Record<string, unknown> {
  return {
    type: "message_action",
    token: "deprecated-verification-token",
    action_ts: (Date.now() / 1000).toFixed(6),
    team: teamField(input.workspace),
    user: userField(input.workspace, input.user),
    channel: { id: input.channel.id, name: input.channel.name },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: messageField(input.workspace, input.message),
  };
}

/** A click on a button of a message (`block_actions`). An ephemeral message is not sent back, as in Slack. */
export function blockActionsPayload(input: {
  workspace: Workspace;
  user: Person;
  channel: Place;
  message: PayloadMessage;
  ephemeral: boolean;
  button: { actionId: string; label: string; value?: string | undefined; blockId?: string | undefined; url?: string | undefined };
  triggerId: string;
  responseUrl: string;
}): Record<string, unknown> {
  const { button } = input;
  return {
    type: "block_actions",
    user: userField(input.workspace, input.user),
    api_app_id: input.workspace.appId,
    token: "deprecated-verification-token",
    container: {
      type: "message",
      message_ts: input.message.ts,
      channel_id: input.channel.id,
      is_ephemeral: input.ephemeral,
      ...(input.message.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    trigger_id: input.triggerId,
    team: teamField(input.workspace),
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
    ...(input.ephemeral ? {} : { message: messageField(input.workspace, input.message) }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: button.actionId,
        block_id: button.blockId ?? "",
        text: { type: "plain_text", text: button.label, emoji: true },
        ...(button.value === undefined ? {} : { value: button.value }),
        ...(button.url === undefined ? {} : { url: button.url }),
        type: "button",
        action_ts: (Date.now() / 1000).toFixed(6),
      },
    ],
  };
}

/** A modal's submission (`view_submission`): the view as Slack holds it, with what was entered. */
export function viewSubmissionPayload(input: {
  workspace: Workspace;
  user: Person;
  view: { id: string; hash: string; view: Record<string, unknown> };
  values: Record<string, unknown>;
  triggerId: string;
}): Record<string, unknown> {
  return {
    type: "view_submission",
    team: teamField(input.workspace),
    user: userField(input.workspace, input.user),
    api_app_id: input.workspace.appId,
    token: "deprecated-verification-token",
    trigger_id: input.triggerId,
    view: { ...input.view.view, id: input.view.id, hash: input.view.hash, state: { values: input.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}
