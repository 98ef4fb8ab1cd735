/**
 * What Slack sends the bot, one builder per payload kind, for the tests, the Slack CLI and the bench.
 * Shapes follow Slack's documentation (docs.slack.dev/interactivity/handling-user-interaction,
 * …/reference/interaction-payloads, …/interactivity/implementing-slash-commands), trimmed to the
 * fields a bot could read. Each builder defaults to the Slack emulator's seed workspace (Alice and
 * Bob in #general), and its `overrides` are spread last, to set any field odd or add one.
 */
import { TASK_INPUTS } from "../src/features/task-request/modal.js";
import type { TaskField } from "../src/tasks/task.js";
import { SLACK_SEED, type OpenedView, type PostedMessage, type PublishedHome } from "./slack-emulator.js";

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

/** The Slack emulator's seed workspace, which every payload comes from unless told otherwise. */
export const SEED_WORKSPACE: Workspace = Object.freeze({ teamId: SLACK_SEED.teamId, teamDomain: SLACK_SEED.teamDomain, appId: SLACK_SEED.appId });

const GENERAL: Place = Object.freeze({ id: SLACK_SEED.general, name: "general" });
const SEED_NAMES: Record<string, string> = { [SLACK_SEED.alice]: "alice", [SLACK_SEED.bob]: "bob" };

/** Who sends it and from where; a person given by id alone is named as the seed names them. */
export interface Origin {
  workspace?: Workspace;
  user?: string | Person;
  channel?: Place;
}

function person(user: string | Person): Person {
  return typeof user === "string" ? { id: user, name: SEED_NAMES[user] ?? user } : user;
}

function userField(workspace: Workspace, user: Person): Record<string, unknown> {
  return { id: user.id, username: user.name, name: user.name, team_id: workspace.teamId };
}

function teamField(workspace: Workspace): Record<string, unknown> {
  return { id: workspace.teamId, domain: workspace.teamDomain };
}

/** Slack's action_ts: when the person acted, "seconds.micros". */
function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

// ---------------------------------------------------------------------------------------------
// Slash commands: a form body

export interface SlashCommandInput extends Origin {
  command?: string;
  text?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** A slash command's form body: Alice's `/task` in #general unless told otherwise; `overrides` replace form fields. */
export function slashCommandBody(input: SlashCommandInput = {}, overrides: Record<string, string> = {}): string {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  const user = person(input.user ?? SLACK_SEED.alice);
  const channel = input.channel ?? GENERAL;
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: workspace.teamId,
    team_domain: workspace.teamDomain,
    channel_id: channel.id,
    channel_name: channel.name,
    user_id: user.id,
    user_name: user.name,
    command: input.command ?? "/task",
    text: input.text ?? "",
    api_app_id: workspace.appId,
    is_enterprise_install: "false",
    response_url: input.responseUrl ?? "https://hooks.slack.com/commands/T0TEAM/1/abc",
    trigger_id: input.triggerId ?? "13345224609.738474920.8088930838d88f008e0",
    ...overrides,
  }).toString();
}

// ---------------------------------------------------------------------------------------------
// Interactivity: a form body whose `payload` field is JSON

/** An interactivity request's form body: the payload as JSON in `payload=`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let tsCounter = 0;

/** The ts of the message `slackMessage` builds unless told otherwise: each harness has a store of its own, so tests need no unique ts. */
export const DEFAULT_MESSAGE_TS = "1760000000.000100";

/** A fresh message ts ("seconds.micros"), unique within a run: for a test or a load run that needs many different messages. */
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
  blocks?: readonly unknown[];
  [field: string]: unknown;
}

/** A message as it appears inside a payload: Alice's, at DEFAULT_MESSAGE_TS, unless told otherwise. */
export function slackMessage(fields: SlackMessageFields = {}): Record<string, unknown> {
  return {
    client_msg_id: "6d6a7fd9-0a5f-4c33-9a8d-0bde3c0e3f1a",
    type: "message",
    text: "Can someone look at the login page? It's broken on Safari.",
    user: SLACK_SEED.alice,
    ts: fields.ts ?? DEFAULT_MESSAGE_TS,
    team: SLACK_SEED.teamId,
    ...fields,
  };
}

/** A bot's message (another bot's unless told otherwise): `bot_id`, `subtype: bot_message`, and the bot user as `user`. */
export function botMessage(fields: SlackMessageFields = {}): Record<string, unknown> {
  const { client_msg_id: _, ...message } = slackMessage({ user: "U0OTHERBOT", bot_id: "B0OTHER", subtype: "bot_message", text: "Deploy finished: build #512 is live.", ...fields });
  return message;
}

/** A message the Slack emulator holds, as a payload carries it: a person's with their id, the bot's own with its bot_id. */
export function payloadMessage(posted: { ts: string; text: string; author?: string | undefined; thread_ts?: string | undefined; blocks?: readonly unknown[] | undefined }): Record<string, unknown> {
  const fields = {
    ts: posted.ts,
    text: posted.text,
    ...(posted.thread_ts === undefined ? {} : { thread_ts: posted.thread_ts }),
    ...(posted.blocks === undefined ? {} : { blocks: posted.blocks }),
  };
  if (posted.author !== undefined) return slackMessage({ ...fields, user: posted.author });
  return botMessage({ ...fields, user: SLACK_SEED.botUserId, bot_id: SLACK_SEED.botId, app_id: SLACK_SEED.appId });
}

export interface MessageActionInput extends Origin {
  callbackId: string;
  /** The message the shortcut is used on: Alice's by default. */
  message?: Record<string, unknown>;
  triggerId: string;
  responseUrl: string;
}

/** A message shortcut (`message_action`): Bob uses it on Alice's message in #general unless told otherwise. */
export function messageAction(input: MessageActionInput, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  const message = input.message ?? slackMessage();
  return {
    type: "message_action",
    token: "deprecated-verification-token",
    action_ts: actionTs(),
    team: teamField(workspace),
    user: userField(workspace, person(input.user ?? SLACK_SEED.bob)),
    channel: input.channel ?? GENERAL,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: message.ts,
    message,
    ...overrides,
  };
}

export interface BlockActionsInput extends Origin {
  /** The message the button is on (for a reminder: the bot's own message, not the original). */
  message: Record<string, unknown>;
  /** Whether only the clicker sees the message: Slack then leaves the message out of the payload. */
  ephemeral?: boolean;
  action: { action_id: string; text?: string; value?: string; block_id?: string; url?: string };
  triggerId: string;
  responseUrl: string;
}

/** A button click in a message (`block_actions`): Bob clicks in #general unless told otherwise. */
export function blockActions(input: BlockActionsInput, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  const channel = input.channel ?? GENERAL;
  const { action } = input;
  return {
    type: "block_actions",
    user: userField(workspace, person(input.user ?? SLACK_SEED.bob)),
    api_app_id: workspace.appId,
    token: "deprecated-verification-token",
    container: {
      type: "message",
      message_ts: input.message.ts,
      channel_id: channel.id,
      is_ephemeral: input.ephemeral ?? false,
      ...(input.message.thread_ts === undefined ? {} : { thread_ts: input.message.thread_ts }),
    },
    trigger_id: input.triggerId,
    team: teamField(workspace),
    enterprise: null,
    is_enterprise_install: false,
    channel,
    ...(input.ephemeral ? {} : { message: input.message }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: action.action_id,
        // Slack makes up a block_id when the block has none.
        block_id: action.block_id ?? "Yx3e",
        text: { type: "plain_text", text: action.text ?? "Button", emoji: true },
        ...(action.value === undefined ? {} : { value: action.value }),
        ...(action.url === undefined ? {} : { url: action.url }),
        type: "button",
        action_ts: actionTs(),
      },
    ],
    ...overrides,
  };
}

/** The button with `actionId` in a message the bot posted (as the emulator recorded it), with its block's id, or an error. */
export function findButton(posted: Pick<PostedMessage, "blocks">, actionId: string): { action_id: string; value?: string; text: { text: string }; block_id?: string } {
  for (const block of (posted.blocks ?? []) as { type: string; block_id?: string; elements?: { type: string; action_id?: string }[] }[]) {
    const button = block.elements?.find((element) => element.type === "button" && element.action_id === actionId);
    if (button) return { ...(button as unknown as { action_id: string; value?: string; text: { text: string } }), ...(block.block_id === undefined ? {} : { block_id: block.block_id }) };
  }
  throw new Error(`no button ${actionId} in the posted message`);
}

/** Clicking a button of a message the bot posted: the payload carries that message, as Slack's does. */
export function clickButton(posted: PostedMessage, actionId: string, input: { user?: string; triggerId: string; responseUrl: string; channelName?: string }): Record<string, unknown> {
  const button = findButton(posted, actionId);
  return blockActions({
    ...(input.user ? { user: input.user } : {}),
    channel: { id: posted.channel, name: input.channelName ?? "general" },
    message: payloadMessage(posted),
    action: { action_id: button.action_id, text: button.text.text, ...(button.value === undefined ? {} : { value: button.value }), ...(button.block_id === undefined ? {} : { block_id: button.block_id }) },
    triggerId: input.triggerId,
    responseUrl: input.responseUrl,
  });
}

/**
 * Clicking a button of an ephemeral message the bot sent through a response_url (a confirmation):
 * Slack leaves the message out of the payload, as it does for every ephemeral message.
 */
export function clickEphemeralButton(
  sent: { blocks?: readonly unknown[] | undefined },
  actionId: string,
  input: { user?: string; channel?: Place; triggerId: string; responseUrl: string },
): Record<string, unknown> {
  const button = findButton({ blocks: [...(sent.blocks ?? [])] }, actionId);
  return blockActions({
    ...(input.user ? { user: input.user } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    message: { ts: messageTs() },
    ephemeral: true,
    action: { action_id: button.action_id, text: button.text.text, ...(button.value === undefined ? {} : { value: button.value }), ...(button.block_id === undefined ? {} : { block_id: button.block_id }) },
    triggerId: input.triggerId,
    responseUrl: input.responseUrl,
  });
}

/**
 * A button pressed on a person's Home tab (as the emulator holds it): block_actions whose container
 * is the view, with the view and no channel or message, as Slack sends it.
 */
export function clickHomeButton(home: PublishedHome, actionId: string, input: { triggerId: string; workspace?: Workspace; user?: string | Person }): Record<string, unknown> {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  const button = findButton({ blocks: home.view.blocks as unknown[] } as PostedMessage, actionId);
  return {
    type: "block_actions",
    user: userField(workspace, person(input.user ?? home.user)),
    api_app_id: workspace.appId,
    token: "deprecated-verification-token",
    container: { type: "view", view_id: home.id },
    trigger_id: input.triggerId,
    team: teamField(workspace),
    enterprise: null,
    is_enterprise_install: false,
    view: { ...home.view, state: { values: {} } },
    actions: [
      {
        action_id: button.action_id,
        block_id: "home_actions",
        text: { type: "plain_text", text: button.text.text, emoji: true },
        ...(button.value === undefined ? {} : { value: button.value }),
        type: "button",
        action_ts: actionTs(),
      },
    ],
  };
}

/** What `view.state.values` holds for one input element, as Slack sends it on submission. */
export const elementState = {
  text: (value: string | undefined) => ({ type: "plain_text_input", value: value ?? null }),
  select: (option: { label: string; value: string } | undefined) => ({
    type: "static_select",
    selected_option: option ? { text: { type: "plain_text", text: option.label, emoji: true }, value: option.value } : null,
  }),
  date: (value: string | undefined) => ({ type: "datepicker", selected_date: value ?? null }),
};

export interface ViewSubmissionInput extends Omit<Origin, "channel"> {
  /** The modal as Slack holds it (the emulator's OpenedView). */
  view: Pick<OpenedView, "id" | "hash" | "view">;
  /** `view.state.values`: block_id → action_id → element state. */
  values: Record<string, Record<string, unknown>>;
  triggerId?: string;
}

/** A modal's submission (`view_submission`): the view as Slack holds it, with what was entered; Alice submits by default. */
export function viewSubmission(input: ViewSubmissionInput, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  return {
    type: "view_submission",
    team: teamField(workspace),
    user: userField(workspace, person(input.user ?? SLACK_SEED.alice)),
    api_app_id: workspace.appId,
    token: "deprecated-verification-token",
    trigger_id: input.triggerId ?? "1111.2222.abcd",
    view: { ...input.view.view, id: input.view.id, hash: input.view.hash, state: { values: input.values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
    ...overrides,
  };
}

export interface TaskFields {
  title?: string;
  description?: string;
  priority?: string;
  due?: string;
}

/**
 * The task modal's inputs as Slack holds them: each input's id as its block_id, and `<id>_input` as
 * its element's action_id (render-card.ts renderSlackForm).
 */
export const TASK_BLOCKS = Object.fromEntries(Object.entries(TASK_INPUTS).map(([field, id]) => [field, { block: id, action: `${id}_input` }])) as Readonly<Record<TaskField, { block: string; action: string }>>;

/** The task modal's `view.state.values` with these fields entered (the rest left empty). */
export function taskModalValues(fields: TaskFields): Record<string, Record<string, unknown>> {
  return {
    [TASK_BLOCKS.title.block]: { [TASK_BLOCKS.title.action]: elementState.text(fields.title) },
    [TASK_BLOCKS.description.block]: { [TASK_BLOCKS.description.action]: elementState.text(fields.description) },
    [TASK_BLOCKS.priority.block]: { [TASK_BLOCKS.priority.action]: elementState.select(fields.priority ? { label: fields.priority, value: fields.priority } : undefined) },
    [TASK_BLOCKS.due.block]: { [TASK_BLOCKS.due.action]: elementState.date(fields.due) },
  };
}

// ---------------------------------------------------------------------------------------------
// Events API: a JSON body, not a form (docs.slack.dev/apis/events-api): the url_verification
// challenge, and the event_callback envelope (token, team_id, api_app_id, event, event_id,
// event_time, authorizations, …) around one event (app_home_opened, app_mention, …).

/** An Events API request's JSON body. */
export function eventBody(payload: unknown): string {
  return JSON.stringify(payload);
}

/** Slack's check of a new Request URL: the bot must answer the challenge. */
export function urlVerification(challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"): Record<string, unknown> {
  return { token: "deprecated-verification-token", challenge, type: "url_verification" };
}

let eventCounter = 0;

/** A fresh event_id ("Ev" and letters and digits, as Slack's), unique within a run. */
export function eventId(): string {
  eventCounter += 1;
  return `Ev0${Date.now().toString(36).toUpperCase()}${String(eventCounter).padStart(4, "0")}`;
}

/**
 * The envelope around one event, as the seed workspace's installation receives it: the bot's own
 * authorization (its user id, `is_bot`), a fresh event_id unless told otherwise.
 */
export function eventCallback(event: Record<string, unknown>, input: { workspace?: Workspace; eventId?: string } = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const workspace = input.workspace ?? SEED_WORKSPACE;
  return {
    token: "deprecated-verification-token",
    team_id: workspace.teamId,
    context_team_id: workspace.teamId,
    context_enterprise_id: null,
    api_app_id: workspace.appId,
    event,
    type: "event_callback",
    event_id: input.eventId ?? eventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: workspace.teamId, user_id: SLACK_SEED.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: "4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBURUFNIn0",
    ...overrides,
  };
}

/** `app_home_opened`: Alice opens the bot's Home tab unless told otherwise. `view` is the tab as last published, if ever. */
export function appHomeOpened(input: { user?: string; tab?: "home" | "messages"; view?: Record<string, unknown> } = {}): Record<string, unknown> {
  const user = input.user ?? SLACK_SEED.alice;
  return {
    type: "app_home_opened",
    user,
    channel: `D${user.slice(1)}`,
    tab: input.tab ?? "home",
    event_ts: (Date.now() / 1000).toFixed(6),
    ...(input.view === undefined ? {} : { view: input.view }),
  };
}

export interface AppMentionInput {
  /** What follows the bot's mention, as Slack stores text (`<@U…>` mentions, `&lt;` escapes). */
  text: string;
  user?: string;
  channel?: string;
  ts?: string;
  /** Set for a mention inside a thread: the thread's root. */
  threadTs?: string;
  /**
   * Set for Slack's app_mention about an edit of the message (bolt-js#960): the same `ts`, an
   * `edited` field naming the editor and the edit's time, and a new event_id in its envelope.
   */
  editedTs?: string;
}

/** `app_mention`: Alice writes "<@bot> …" in #general unless told otherwise. */
export function appMention(input: AppMentionInput, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const user = input.user ?? SLACK_SEED.alice;
  const ts = input.ts ?? messageTs();
  return {
    type: "app_mention",
    client_msg_id: "5f0a4c1e-2d8b-4f3a-9c6e-7b1d0e2f3a4b",
    user,
    text: `<@${SLACK_SEED.botUserId}> ${input.text}`,
    ts,
    team: SLACK_SEED.teamId,
    user_team: SLACK_SEED.teamId,
    source_team: SLACK_SEED.teamId,
    channel: input.channel ?? SLACK_SEED.general,
    event_ts: ts,
    ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    ...(input.editedTs === undefined ? {} : { edited: { user, ts: input.editedTs } }),
    ...overrides,
  };
}
