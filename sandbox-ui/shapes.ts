/**
 * What the sandbox's page and its server (src/cli/sandbox-ui-server.ts) say to each other: the
 * snapshot pushed over server-sent events, a function log line, and the actions the page asks for.
 * Types only: the page's bundle and the server both import this file, and neither's runtime.
 */

/** A person or channel as the page names it. */
export interface UiNamed {
  id: string;
  name: string;
}

/**
 * A message as a person sees it in Slack: the bot's and people's posts from the Slack emulator, the
 * ephemeral ones it recorded (chat.postEphemeral), and what Slack's client shows from an answer (a
 * slash command's reply, a response_url post), placed in its conversation.
 */
export interface UiMessage {
  /** Unique on the page: `<channel>/<ts>` for a posted message, `answer:<n>` for what an answer showed. */
  id: string;
  channel: string;
  /** Slack's ts for a posted message; for an answer, when it arrived, in the same "seconds.micros". */
  ts: string;
  thread_ts?: string | undefined;
  /** A person's user id; absent on the bot's own messages. */
  author?: string | undefined;
  /** Only this person sees it (Slack: "Only visible to you"). */
  visibleTo?: string | undefined;
  text: string;
  blocks?: unknown[] | undefined;
  /** Replaced through a response_url (replace_original), as Slack redraws a message. */
  edited?: boolean | undefined;
  /** Where an answer came from, shown on hover: its request's reply, or a response_url post. */
  via?: "reply" | "response_url" | undefined;
}

/** A modal open on a person's screen, as the bot last opened, updated or answered it. */
export interface UiModal {
  id: string;
  user: string;
  view: Record<string, unknown>;
  /** Field errors from `response_action: "errors"`, by block_id. */
  errors: Record<string, string>;
}

/** One task on the board, as Notion's table shows its columns. */
export interface UiTask {
  id: string;
  title: string;
  status: string;
  priority: string;
  due: string;
  requester: string;
  assignee: string;
  /** The Slack message or thread it came from. */
  slackLink: string;
  /** The page in Notion. */
  url: string;
  lastEdited: string;
}

export interface UiBoard {
  title: string;
  /** The Status property's options, in the board's order, with Notion's color names. */
  statuses: { name: string; color: string }[];
  tasks: UiTask[];
}

/** Everything the page shows but the log: sent whole on connect and on every change. */
export interface UiSnapshot {
  workspace: { domain: string; botUserId: string; botName: string };
  /** The people one can act as (not the bot). */
  people: UiNamed[];
  /** Channels, DMs left out (a person's DM with the bot is `D` + their id without its `U`). */
  channels: UiNamed[];
  messages: UiMessage[];
  modals: UiModal[];
  /** Each person's Home tab as the bot last published it. */
  homes: { user: string; view: Record<string, unknown> }[];
  /** The app's slash commands and message shortcuts, from manifest.yml. */
  commands: { command: string; description: string; usageHint: string }[];
  shortcuts: { name: string; callbackId: string; description: string }[];
  /** manifest.yml's messages_tab_read_only_enabled: the DM with the bot takes no messages. */
  messagesReadOnly: boolean;
  board: UiBoard;
  /** Where the review goes (SLACK_REVIEW_CHANNEL_ID) and new tasks are announced (SLACK_TASKS_CHANNEL_ID). */
  reviewChannel: string;
  /** The Discord guild, when the sandbox serves Discord. */
  discord?: UiDiscord | undefined;
  /** The Mattermost team, when the sandbox serves Mattermost. */
  mattermost?: UiMattermost | undefined;
  /** The Teams tenant, when the sandbox serves Teams. */
  teams?: UiTeams | undefined;
}

/** A message as a person sees it in Discord: a person's, the bot's, an interaction's response or follow-up. */
export interface UiDiscordMessage {
  id: string;
  channel: string;
  /** When it was sent, ms since the epoch (from its snowflake). */
  at: number;
  /** The author's user id (the bot's for the bot's). */
  author: string;
  content: string;
  /** Action rows of buttons, as the bot sent them. */
  components: unknown[];
  /** Only this person sees it (flags 64): Discord's "Only you can see this". */
  ephemeralTo?: string | undefined;
  edited: boolean;
  /** What it replies to (message_reference), as Discord shows it above the reply; `missing` when that message is gone. */
  replyTo?: { id: string; author?: string | undefined; content?: string | undefined; missing?: boolean | undefined } | undefined;
  /** An interaction's answer: who used what, shown above it ("Alice used /task"). */
  usedBy?: { user: string; name: string } | undefined;
  /** A deferred answer not yet filled in: Discord shows "<bot> is thinking…". */
  thinking?: boolean | undefined;
}

/** A modal open on a person's screen: the interaction that opened it, and its `data` as the bot answered it (response type 9). */
export interface UiDiscordModal {
  id: string;
  user: string;
  modal: Record<string, unknown>;
}

/** The Discord guild the sandbox serves, as its people see it. */
export interface UiDiscord {
  guild: UiNamed;
  botId: string;
  botName: string;
  /** The people one can act as, by username (alice, bob): the Slack workspace's people, on Discord. */
  people: UiNamed[];
  channels: UiNamed[];
  /** Each person's DM channel with the bot, once the bot opened one. */
  dms: { user: string; channel: string }[];
  messages: UiDiscordMessage[];
  modals: UiDiscordModal[];
  /** The application's commands as registered: CHAT_INPUT (type 1) and MESSAGE (type 3). */
  commands: { name: string; type: number; description: string }[];
}

/** A post as a person sees it in Mattermost: a person's, the bot's, an ephemeral one, a command's answer. */
export interface UiMattermostPost {
  id: string;
  channel: string;
  /** The author's user id (the bot's for the bot's). */
  author: string;
  /** The thread's root post; "" for a root post. */
  root: string;
  /** Markdown, as the bot or the person wrote it. */
  message: string;
  /** props.attachments, as sent: text, fields and action buttons. */
  attachments: unknown[];
  /** Only this person sees it: Mattermost's "(Only visible to you)". */
  ephemeralTo?: string | undefined;
  edited: boolean;
  /** When it was made, ms since the epoch. */
  at: number;
  /** What the web app's Copy Link gives: `<site>/<team>/pl/<id>`. */
  permalink: string;
}

/** An interactive dialog open on a person's screen: the bot's dialog as opened, and what its last submission was answered with. */
export interface UiMattermostDialog {
  /** Its index among the dialogs the bot opened. */
  id: number;
  user: string;
  dialog: Record<string, unknown>;
  /** `{ errors }`: each under its element, by name. */
  errors: Record<string, string>;
  /** `{ error }`: shown above the elements. */
  error?: string | undefined;
}

/** The Mattermost team the sandbox serves, as its people see it. */
export interface UiMattermost {
  team: string;
  botId: string;
  botName: string;
  /** The people one can act as, by username (alice, bob, carol). */
  people: UiNamed[];
  channels: UiNamed[];
  /** Each person's direct channel with the bot, once the bot opened one. */
  directs: { user: string; channel: string }[];
  /** In the order they were made. */
  posts: UiMattermostPost[];
  dialogs: UiMattermostDialog[];
}

/** A message as a person sees it in Teams: a person's text, or the bot's with its Adaptive Card. */
export interface UiTeamsMessage {
  id: string;
  /** The conversation (a channel, or a 1:1 chat), without a thread's `;messageid=`. */
  conversation: string;
  /** The thread's root, for a reply in a channel. */
  replyTo?: string | undefined;
  /** `28:<app id>` for the bot, `29:…` for a person. */
  from: string;
  /** A person's text; the bot's summary. */
  text: string;
  /** The bot's Adaptive Card (its first card attachment's content). */
  card?: unknown;
  /** The card an Action.Execute's answer drew for one person only, by their id (Universal Actions). */
  cardFor?: Record<string, unknown> | undefined;
  /** The bot redrew it for everyone. */
  updated: boolean;
  at: number;
}

/** A dialog (task module) open on a person's screen: its title and its Adaptive Card. */
export interface UiTeamsDialog {
  /** Its index among the dialogs the control server keeps. */
  id: number;
  user: string;
  title: string;
  card: unknown;
}

/** The Teams tenant the sandbox serves, as its people see it. */
export interface UiTeams {
  botId: string;
  botName: string;
  /** The people one can act as: name (alice, bob) and display name. */
  people: { id: string; name: string; displayName: string }[];
  /** General (type channel) and each person's 1:1 chat with the bot (type personal, named after them). */
  conversations: { id: string; name: string; type: string }[];
  messages: UiTeamsMessage[];
  dialogs: UiTeamsDialog[];
}

/** One line of the function log: the functions' JSON lines, parsed. */
export interface UiLogLine {
  seq: number;
  /** When the sandbox read it, ms since the epoch. */
  at: number;
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

/** Where a button was pressed. */
export type UiSurface = { kind: "message"; id: string } | { kind: "home" } | { kind: "modal"; viewId: string };

/** The actions the page asks the server for, each POSTed as JSON to /api/<name>. */
export interface UiActions {
  /** A line typed in a composer: a slash command, a message mentioning the bot, or a plain message. */
  send: { user: string; channel: string; text: string; thread_ts?: string | undefined };
  shortcut: { user: string; callbackId: string; messageId: string };
  click: { user: string; surface: UiSurface; actionId: string; blockId?: string | undefined; value?: string | undefined };
  /** A modal's inputs by block_id: text as typed, a select's option value, a date YYYY-MM-DD; "" when empty. */
  submit: { user: string; viewId: string; values: Record<string, string> };
  close: { user: string; viewId: string };
  home: { user: string };
  schedule: { name: "weekly-reminder" | "task-sync" };
  handshake: Record<string, never>;
  status: { taskId: string; status: string; by: "person" | "bot" };
  /** A line typed in a Discord channel: `/task …` is the command, anything else a message. `user` is a Discord user id. */
  discord_send: { user: string; channel: string; text: string };
  /** A MESSAGE command (Apps menu) on a message. */
  discord_command: { user: string; message: string; name: string };
  /** A button on a message, by its custom_id. */
  discord_click: { user: string; message: string; customId: string; label?: string | undefined };
  /** The modal `modal` (the interaction that opened it) submitted: values by custom_id, a select's as a list. */
  discord_submit: { user: string; modal: string; values: Record<string, string | string[]> };
  discord_close: { user: string; modal: string };
  /** A line typed in a Mattermost channel or thread (`root`): `/task …` is the slash command, anything else a post. `user` is a Mattermost user id. */
  mattermost_send: { user: string; channel: string; text: string; root?: string | undefined };
  /** A post's message action, run as the slash command it is on Mattermost: `/task remind <permalink>` or `/task from <permalink>`. */
  mattermost_post_action: { user: string; post: string; action: "remind" | "from" };
  /** A message attachment's button, by its name, on a post. */
  mattermost_click: { user: string; post: string; button: string };
  /** The dialog (by its index) submitted: values by element name, null for an optional one left empty. */
  mattermost_submit: { user: string; dialog: number; values: Record<string, string | null> };
  mattermost_close: { user: string; dialog: number };
  /** A line typed in a Teams conversation (or a channel thread, `replyTo` its root): to the bot in a 1:1 chat, or in a channel when it starts with @chatops. */
  teams_send: { user: string; conversation: string; text: string; replyTo?: string | undefined };
  /** A card's button on a message, by its place among the card's actions, with its title. */
  teams_click: { user: string; message: string; index: number; title: string };
  /** The dialog (by its index) submitted with its inputs' values by id. */
  teams_submit: { user: string; dialog: number; values: Record<string, string> };
  /** A message extension's command on a message: Remind of process or Create task. */
  teams_extension: { user: string; message: string; command: "remind" | "create" };
  teams_close: { user: string; dialog: number };
}

/** What an action answers: ok, or a notice to show (Slack's own refusal, the functions' error status). */
export interface UiResult {
  ok: boolean;
  notice?: string | undefined;
}
