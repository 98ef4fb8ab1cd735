/**
 * The chat port: what a feature sees of any chat platform. Derived from what the Slack features do
 * today (src/features, src/platforms/slack/client.ts): who asked, where, what they asked for, and the five ways
 * the bot answers (open a form, post, reply in a thread, redraw a message, tell one person privately).
 * No platform's words here: a Slack block, a Discord component or a Teams card is an adapter's
 * rendering of a Card or a Form. Pure types; docs/chat-port.md says how each platform maps onto them.
 */

import type { EmojiName } from "./emoji.js";

/** The platforms an adapter exists (or is planned) for: the first segment of every Place id. */
export const PLATFORMS = ["slack", "discord", "teams", "mattermost"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A person on one platform. Ids are the platform's own (Slack U…/W…, Discord snowflakes). */
export interface Person {
  platform: Platform;
  /** Slack team (or Enterprise Grid org) id, Discord guild id ("@me" in a DM), Teams tenant. */
  workspace: string;
  userId: string;
  /** What the platform shows for them; undefined when the payload did not say (resolved later, or the id is shown). */
  displayName: string | undefined;
}

/**
 * Where something is or happened: a conversation, and a thread or one message within it. It is
 * plain data and has a stable text form (place.ts), so a task's record can keep it and another
 * function (the status loop, the weekly review) can reply there later.
 *
 * Slack: conversation C…/D…/G…, thread = the root's ts, message = a message's ts.
 * Discord: conversation = the channel (a thread is a channel of its own, so `thread` is unused),
 * message = the message's snowflake (a reply is a message_reference to it).
 * Teams: workspace = the tenant, conversation = the conversation id (a channel's `19:…@thread.tacv2`,
 * a chat's), thread = a channel thread's root message id, message = the activity's id.
 */
export interface Place {
  platform: Platform;
  workspace: string;
  conversation: string;
  thread?: string | undefined;
  message?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Text and cards
// ---------------------------------------------------------------------------------------------

/**
 * Text in a neutral form: pieces the adapter escapes and marks up in its own syntax (Slack mrkdwn,
 * Discord markdown). A feature never writes `*bold*` or `<url|label>` itself, so user text can never
 * be read as markup on any platform.
 */
export type Inline =
  | string
  | { bold: string }
  | { italic: string }
  | { code: string }
  /** A link; `bold` for a task's title (Slack `*<url|title>*`, Discord `**[title](url)**`). */
  | { link: string; text: string; bold?: boolean | undefined }
  /** Slack's shortcode name (`:warning:`), drawn as the character where a platform needs it (emoji.ts). */
  | { emoji: EmojiName }
  /** A mention that pings: only the people a message names this way are ever notified. */
  | { mention: Person | { platform: Platform; userId: string } }
  /**
   * A link to a channel, which pings no one (Slack `<#C…>`, Discord `<#id>`); `name` is what is shown
   * where the platform cannot link it (another platform's channel: `#name`). From admin-written text.
   */
  | { channel: { platform: Platform; conversation: string; name?: string | undefined } }
  /**
   * A moment (`at`, ms since the epoch), shown in each reader's own time zone where the platform
   * can (Slack `<!date^…>`, Discord `<t:…>`), else as `timeZone`'s clock; with `day`, the date too.
   */
  | { time: number; timeZone: string; day?: boolean | undefined };
export type RichText = readonly Inline[];

/** A button that does something in the bot: `action` routes it (routes.ts), `value` says on what. */
export interface ActionButton {
  kind: "action";
  action: string;
  label: string;
  /**
   * What the click carries back, as the feature wrote it. Slack holds 2,000 units; Discord's whole
   * custom_id holds 100 characters with the action: the Discord adapter parks a longer value in the
   * store and puts its key in the custom_id (docs/chat-port.md, "Button values").
   */
  value?: string | undefined;
  style?: "primary" | "danger" | undefined;
}

/** A button that only opens a URL (Notion, a permalink); clicking it sends nothing to the bot on Discord. */
export interface LinkButton {
  kind: "link";
  label: string;
  url: string;
  /** Slack still sends a link button's click, by this action_id (`open_in_notion`), to be acknowledged. */
  action?: string | undefined;
}

export type Button = ActionButton | LinkButton;

/** One labelled value, shown side by side where the platform can (Slack section fields). */
export interface Field {
  label: string;
  value: RichText;
}

export type CardBlock =
  /** A paragraph; `button` sits beside it where the platform can (a Slack section accessory), else below. */
  | { kind: "text"; text: RichText; button?: Button | undefined }
  | { kind: "heading"; text: string }
  /** Small print under the content (a Slack context block). */
  | { kind: "note"; text: RichText }
  | { kind: "fields"; fields: readonly Field[] }
  /**
   * A list, one item a line (a task list, a review's group): packed into as few paragraphs as the
   * platform's text limit allows, in order (Slack: sections of 3,000 units, a longer line cut).
   */
  | { kind: "lines"; lines: readonly RichText[] }
  /**
   * A row of buttons. `id` names the row when a click must know which message it came from (the
   * status buttons' "confirmation" and "announcement": a click redraws only those).
   */
  | { kind: "buttons"; id?: string | undefined; buttons: readonly Button[] };

/** A message or card: blocks in order, and its text as a notification and a screen reader show it. */
export interface Card {
  /**
   * The notification text (Slack's top-level `text`, which today holds a mention and an escaped
   * title: `New task from <@U1>: Fix login`). Discord shows it as the content when no block has text.
   */
  summary: RichText;
  blocks: readonly CardBlock[];
}

// ---------------------------------------------------------------------------------------------
// Forms
// ---------------------------------------------------------------------------------------------

interface InputBase {
  /** Stable within the form: values and errors are keyed by it (Slack block_id, Discord custom_id). */
  id: string;
  label: string;
  hint?: string | undefined;
  optional?: boolean | undefined;
}

export type FormInput =
  | (InputBase & { kind: "text"; multiline?: boolean | undefined; maxLength: number; placeholder?: string | undefined; value?: string | undefined })
  | (InputBase & { kind: "choice"; options: readonly { label: string; value: string }[]; value?: string | undefined; placeholder?: string | undefined })
  /** A calendar date, `YYYY-MM-DD`: a date picker where the platform has one, else a text input that says the format. */
  | (InputBase & { kind: "date"; value?: string | undefined; placeholder?: string | undefined });

/** What a person entered, by input id; an absent or cleared input is undefined. */
export type FormValues = Readonly<Record<string, string | undefined>>;
/** A message per input id that was wrong; shown under the input where the platform can. */
export type FormErrors = Readonly<Record<string, string>>;

/**
 * A form (a Slack modal, a Discord modal). `context` travels with it and comes back on submission:
 * Slack keeps it in private_metadata (3,000 units) as JSON; the Discord adapter packs it into the
 * modal's custom_id (100 characters) and parks what does not fit, as for button values. Flat
 * strings, so both can carry it (today's task modal nests `messageAuthor`: docs/chat-port.md).
 */
export interface Form {
  /** Routes the submission (Slack callback_id, the start of Discord's custom_id). */
  id: string;
  title: string;
  submitLabel: string;
  /** Slack's close button ("Cancel"); Discord's modal has its own. */
  closeLabel?: string | undefined;
  /** A line above or below the inputs (Slack context block, Discord Text Display). */
  note?: string | undefined;
  inputs: readonly FormInput[];
  context: Readonly<Record<string, string>>;
  /** Shown with the inputs when the form is drawn again after a refused submission. */
  errors?: FormErrors | undefined;
}

// ---------------------------------------------------------------------------------------------
// What comes in
// ---------------------------------------------------------------------------------------------

/** A conversation as the person sees it: anyone in the workspace may join it, or only its members, or it is a DM between two people or a few. */
export type ConversationKind = "public" | "private" | "dm" | "group_dm";

/** A message as a shortcut or a button sees it: where it is, who wrote it, what it says (plain text). */
export interface ChatMessage {
  place: Place;
  /**
   * The kind of conversation it is in, when the payload says (Slack: the channel's id and name;
   * Discord: the channel's type): what a failure to post there is explained by. Undefined reads as public.
   */
  conversationKind?: ConversationKind | undefined;
  /** Undefined for a bot's, a webhook's or a system message: nobody is mentioned for it. */
  author: Person | undefined;
  text: string;
  /** A link a browser opens on the message (Slack permalink, discord.com/channels/…), when known without a call. */
  link: string | undefined;
}

interface IntentBase {
  person: Person;
  /** Where it happened: the channel of the command, the message's conversation, the form's origin. */
  place: Place | undefined;
}

/**
 * What a person asked for, in the bot's words. Each adapter parses its payloads into these and
 * routes.ts decides what each does; names (`subcommand`, `shortcut`, `action`, `form`) are the
 * routing table's keys, the same on every platform.
 */
export type Intent =
  /** `/task Fix login` on Slack, `/task text:Fix login` on Discord: a form prefilled with `text`. */
  | (IntentBase & { kind: "ask_for_task"; text: string })
  /** `/task list`, `/task review`, `/task help`. */
  | (IntentBase & { kind: "subcommand"; name: string; rest: string })
  /** A message shortcut (Slack) or a MESSAGE command (Discord) on one message. */
  | (IntentBase & { kind: "message_shortcut"; shortcut: string; message: ChatMessage })
  /** A button press; `message` is the message the button was on, when it was on one. */
  | (IntentBase & { kind: "button"; action: string; value: string | undefined; rowId: string | undefined; message: Place | undefined })
  | (IntentBase & {
      kind: "submit_form";
      form: string;
      /**
       * The same for every submission of one opened form, so a resend saves once: Slack's view id;
       * Discord's id of the interaction that opened the modal (the adapter keeps it in the form's
       * context as `o`, through a form opened again after a refusal too).
       */
      instance: string;
      values: FormValues;
      context: Readonly<Record<string, string>>;
    });

// ---------------------------------------------------------------------------------------------
// What goes out
// ---------------------------------------------------------------------------------------------

/** Of the Intent union, the one kind `K` (a route's parameter: `IntentOf<"button">`). */
export type IntentOf<K extends Intent["kind"]> = Extract<Intent, { kind: K }>;

/**
 * A notice shown where a submitted form was (Slack: a modal with this title and close button, in
 * place of the form; Discord: an ephemeral message, `title` unused).
 */
export interface FormNotice {
  title: string;
  closeLabel: string;
  card: Card;
}

/** A form that opened. */
export interface OpenForm {
  /**
   * Redraws it while it is open (late priority options, a permalink found after it opened). Slack:
   * views.update. Discord cannot redraw an open modal: resolves having done nothing.
   */
  update(form: Form): Promise<void>;
}

/** A submission taken while its work goes on (a slow save). */
export interface HeldForm {
  /** Shows the outcome where the notice is (Slack views.update; Discord an edit of @original, or a DM once its 15-minute token is past); rejects with ChatError when that is gone. */
  finish(notice: FormNotice): Promise<void>;
}

/**
 * How a feature answers the interaction in hand. The adapter builds one per interaction, since each
 * platform answers through something the interaction carries (Slack trigger_id and response_url,
 * Discord's interaction token) and has its own first-response rule (Slack: 3 s; Discord: 3 s, and a
 * modal only as the first response). What a route says before it returns becomes the HTTP response
 * where the platform allows it (Slack: an ephemeral answer to a command, `response_action`;
 * Discord: the interaction response); what it says later goes through the platform's API. A route
 * that says nothing before it returns gets the platform's plain acknowledgement (Slack: an empty
 * 200; Discord: a deferred response, type 5 with flags 64 or type 6 for a button).
 */
export interface Reply {
  /**
   * Whether an open form can be redrawn (OpenForm.update does something): Slack true (views.update);
   * Discord false, so what the form shows (the board's priorities) must be known before it opens.
   */
  readonly updatesOpenForms?: boolean | undefined;
  /**
   * Opens a form. Rejects with ChatError when it cannot (Slack: an expired trigger_id, a rate
   * limit); Discord answers type 9, which must be the first response, so it opens first or not at all.
   */
  openForm(form: Form): Promise<OpenForm>;
  /** Keeps a submitted form open with errors under its inputs (Slack), or says them and offers the form again, values kept (Discord). */
  refuseForm(form: Form, errors: FormErrors): Promise<void>;
  /** Takes a submission whose work goes on after the response: the notice stands where the form was until `finish`. */
  holdForm(notice: FormNotice): Promise<HeldForm>;
  /** Takes a submission whose work is done: the form closes (Slack `response_action: "clear"`; Discord a deferred ephemeral answer). */
  closeForm(): Promise<void>;
  /**
   * Only the person sees it: Slack's response_url, else chat.postEphemeral, else a DM (or the DM
   * first with `prefer: "dm"`, for what must not be lost); Discord flags 64 (the response, a
   * follow-up, or an edit of the deferred @original), a DM once the 15-minute token is past.
   * Rejects with ChatError when every road failed.
   */
  tellPrivately(card: Card, options?: { prefer?: "here" | "dm" | undefined }): Promise<void>;
  /** Redraws the message the interaction came from (a status button's message). */
  updateSource(card: Card): Promise<void>;
  /**
   * Ends an interaction whose outcome the person sees already (a reply posted where they are) with
   * `card`, only where the platform keeps showing a pending answer until the bot says something:
   * Discord (the deferred ephemeral response becomes `card`, flags 64). Slack shows nothing pending
   * after a shortcut's or a button's empty 200, so it sends nothing. Rejects with ChatError.
   */
  acknowledge(card: Card): Promise<void>;
}

/** A message the bot posted: where it is, so it can be redrawn or replied to later. */
export interface Posted {
  place: Place;
  link: string | undefined;
}

/** The platform's API, for work that is not an answer to an interaction (deferred work, schedules). */
export interface ChatApi {
  readonly platform: Platform;
  /** Posts to a conversation (a channel, the review channel). */
  post(conversation: Place, card: Card): Promise<Posted>;
  /**
   * Replies to a message or in a thread (Slack thread_ts; Discord message_reference). `mention`
   * is the one person the reply may ping; every other mention in it is inert.
   */
  reply(to: Place, card: Card, options?: { mention?: Person | undefined }): Promise<Posted>;
  /** Redraws a message the bot posted. */
  update(message: Place, card: Card): Promise<void>;
  /**
   * Whether `post` shows the card as one message (Slack: at most 50 blocks once its lines are
   * packed). A card that can be shortened (the weekly review drops tasks) asks before posting.
   * Undefined where any card is posted whole: Discord sends a long one as several messages.
   */
  fits?(card: Card): boolean;
  /** A direct message; rejects with ChatError "cannot_message_user" when the person refuses them (Discord 50007, 50278). */
  tellPrivately(person: Pick<Person, "platform" | "workspace" | "userId">, card: Card): Promise<Posted>;
  /**
   * A link a browser opens on a message, where the platform has a call for it (Slack
   * chat.getPermalink, a workspace's own URL); absent where ChatMessage.link already is the link
   * (Discord's is built from the ids). Rejects with ChatError.
   */
  permalinkOf?(message: Place): Promise<string>;
  /**
   * A person's email, where the platform shares it (Slack users.info with users:read.email): what
   * links them to a Notion person for a board whose requester is a people property. Absent where
   * the bot cannot know it (Discord); resolves undefined when this person's is not shared.
   */
  emailOf?(person: Pick<Person, "platform" | "workspace" | "userId">): Promise<string | undefined>;
  /** A person's display name, for the Notion requester text. */
  displayNameOf(person: Pick<Person, "platform" | "workspace" | "userId">): Promise<string>;
}

/** Why a ChatApi call failed, in the port's words; each adapter maps its platform's errors onto these. */
export type ChatErrorCode =
  | "rate_limited"
  | "timeout"
  | "network_error"
  | "http_error"
  /** The conversation, message or person is gone (Slack channel_not_found, Discord 10003/10008/10013). */
  | "not_found"
  /** The bot may not see or post there (Slack not_in_channel, Discord 50001/50013). */
  | "forbidden"
  /** A DM the person does not accept (Discord 50007; Slack cannot_dm_bot). */
  | "cannot_message_user"
  /**
   * What answers the interaction is gone: Discord's first response was already given (a form opened
   * later), or its token is past its 15 minutes (10015, 50027, 10062); Slack's trigger_id past 3 s.
   */
  | "expired"
  | "invalid_request";

/** A failed ChatApi call; `platformCode` is the platform's own (Slack's error word, Discord's numeric code). */
export class ChatError extends Error {
  override readonly name = "ChatError";
  constructor(
    readonly code: ChatErrorCode,
    readonly platform: Platform,
    options: { cause?: unknown; platformCode?: string | number; retryAfterMs?: number; partial?: boolean; unsent?: boolean } = {},
  ) {
    super(`${platform} call failed: ${code}`, { cause: options.cause });
    this.platformCode = options.platformCode;
    this.retryAfterMs = options.retryAfterMs;
    this.partial = options.partial === true;
    this.unsent = options.unsent === true;
  }
  readonly platformCode: string | number | undefined;
  readonly retryAfterMs: number | undefined;
  /**
   * A card posted as several messages (Discord, past 2,000 characters) failed after its first part
   * landed: posting it again would repeat that part, whatever the code says.
   */
  readonly partial: boolean;
  /**
   * Nothing reached the platform, whatever the code says (Teams: the connector's token could not be
   * had, so no call was made): unlike a timeout or a 5xx after the call went out, sending it again
   * cannot make a double, so it may be tried again and owed. Only Teams sets it (Slack, Discord and
   * Mattermost have no call before their own).
   */
  readonly unsent: boolean;
}
