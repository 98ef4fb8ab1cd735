/**
 * What comes in: a person's request, in the bot's words, which each adapter parses its payloads into
 * and routes.ts routes by kind. Pure types, part of the port (model.ts).
 */
import type { FormValues } from "./form.js";
import type { Person, Place } from "./model.js";

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

/** Of the Intent union, the one kind `K` (a route's parameter: `IntentOf<"button">`). */
export type IntentOf<K extends Intent["kind"]> = Extract<Intent, { kind: K }>;
