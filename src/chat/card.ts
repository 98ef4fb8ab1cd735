/**
 * A Card: what the bot shows, in blocks of neutral text (rich-text.ts) and buttons, which each adapter
 * draws in its own UI (Slack Block Kit, Discord components, Mattermost attachments, Adaptive Cards).
 * Pure types, part of the port (model.ts).
 */
import type { RichText } from "./rich-text.js";

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
