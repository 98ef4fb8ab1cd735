/** A Slack message as Slack's client shows it: avatar, name, time, its blocks, replies, the "Only visible to you" note, and its ⋮ menu of the app's shortcuts. */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiMessage, UiSnapshot } from "../shapes.js";
import { blocks } from "./blocks.js";
import type { Directory } from "./mrkdwn.js";

export interface MessageContext {
  snapshot: UiSnapshot;
  directory: Directory;
  me: string;
  /** Replies by thread root ts, in this conversation. */
  replies: ReadonlyMap<string, UiMessage[]>;
  /** Shows the message's thread; absent inside the thread itself. */
  openThread?: (message: UiMessage) => void;
  /** Which list this is ("channel", "thread"): a thread's root is in both, with a menu of its own in each. */
  pane: string;
  /** The open ⋮ menu, as `<pane>:<message id>`. */
  menuFor: string | undefined;
  toggleMenu(id: string | undefined): void;
  /** After a shortcut was used on a message (its answer often comes in its thread). */
  afterShortcut(message: UiMessage): void;
}

/** "Alice" for alice: Slack shows display names as people set them. */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const AVATAR_COLORS = ["#e8912d", "#2eb67d", "#1d9bd1", "#e01e5a", "#7c3085", "#36c5f0"];

function avatar(message: UiMessage, context: MessageContext): HTMLElement {
  if (message.author === undefined) return h("div", { class: "sk-avatar sk-app-icon", "aria-hidden": "true" });
  const name = context.directory.users.get(message.author) ?? message.author;
  const color = AVATAR_COLORS[[...message.author].reduce((sum, c) => sum + c.charCodeAt(0), 0) % AVATAR_COLORS.length];
  return h("div", { class: "sk-avatar", style: `background:${color}`, "aria-hidden": "true" }, name.charAt(0).toUpperCase());
}

/** HH:MM of a ts, in the browser's time zone. */
function timeOf(ts: string): string {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function menu(message: UiMessage, context: MessageContext): HTMLElement {
  return h(
    "div",
    { class: "sk-menu", role: "menu" },
    h("div", { class: "sk-menu-title" }, "Message shortcuts"),
    ...context.snapshot.shortcuts.map((shortcut) =>
      h(
        "button",
        {
          class: "sk-menu-item",
          role: "menuitem",
          type: "button",
          title: shortcut.description,
          onclick: () => {
            context.toggleMenu(undefined);
            context.afterShortcut(message);
            void act("shortcut", { user: context.me, callbackId: shortcut.callbackId, messageId: message.id });
          },
        },
        h("span", {}, shortcut.name),
        h("span", { class: "sk-menu-app" }, context.snapshot.workspace.botName),
      ),
    ),
  );
}

/** One message. */
export function messageItem(message: UiMessage, context: MessageContext): HTMLElement {
  const menuKey = `${context.pane}:${message.id}`;
  const bot = message.author === undefined;
  const name = bot ? context.snapshot.workspace.botName : displayName(context.directory.users.get(message.author!) ?? message.author!);
  const ephemeral = message.visibleTo !== undefined;
  const replies = context.replies.get(message.ts) ?? [];
  // The app's shortcuts work on messages in a conversation, not on an ephemeral one.
  const canShortcut = !ephemeral && message.via === undefined;
  const content = blocks(message.blocks, message.text, {
    directory: context.directory,
    press: (button) => void act("click", { user: context.me, surface: { kind: "message", id: message.id }, actionId: button.actionId, blockId: button.blockId, value: button.value }),
  });
  return h(
    "div",
    { class: `sk-message${ephemeral ? " sk-ephemeral" : ""}`, "data-id": message.id, "data-author": message.author ?? "bot" },
    avatar(message, context),
    h(
      "div",
      { class: "sk-message-content" },
      h(
        "div",
        { class: "sk-message-meta" },
        h("span", { class: "sk-name" }, name),
        bot ? h("span", { class: "sk-app-badge" }, "APP") : null,
        h("time", { class: "sk-time", title: message.via === "response_url" ? "Sent through a response_url" : message.via === "reply" ? "The request's reply" : `ts ${message.ts}` }, timeOf(message.ts)),
        message.edited ? h("span", { class: "sk-edited" }, "(edited)") : null,
      ),
      ephemeral ? h("div", { class: "sk-ephemeral-note" }, h("span", { "aria-hidden": "true" }, "👁 "), message.visibleTo === context.me ? "Only visible to you" : `Only visible to ${displayName(context.directory.users.get(message.visibleTo!) ?? "")}`) : null,
      content,
      replies.length > 0 && context.openThread
        ? h("button", { class: "sk-replies", type: "button", onclick: () => context.openThread!(message) }, h("span", { class: "sk-replies-avatar sk-app-icon small" }), `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`)
        : null,
    ),
    canShortcut
      ? h(
          "div",
          { class: "sk-hover-actions" },
          context.openThread ? h("button", { type: "button", class: "sk-icon-button", title: "Reply in thread", "aria-label": "Reply in thread", onclick: () => context.openThread!(message) }, "💬") : null,
          h("button", { type: "button", class: "sk-icon-button", title: "More actions", "aria-label": "More actions", "aria-expanded": context.menuFor === menuKey ? "true" : "false", onclick: () => context.toggleMenu(context.menuFor === menuKey ? undefined : menuKey) }, "⋮"),
        )
      : null,
    context.menuFor === menuKey && canShortcut ? menu(message, context) : null,
  );
}

/** The messages a person sees in a conversation: ephemeral ones only their own. */
export function visibleTo(messages: readonly UiMessage[], me: string): UiMessage[] {
  return messages.filter((m) => m.visibleTo === undefined || m.visibleTo === me);
}
