/**
 * A Mattermost post as its web app shows it: the avatar, the name (the bot's with its BOT tag),
 * "(Only visible to you)" on an ephemeral one, the message as markdown, "Edited", each message
 * attachment (its colour bar, pretext, title, text, fields and action buttons, which reach the bot),
 * the replies' count under a root post (Collapsed Reply Threads), and the post's "…" menu: Reply,
 * Copy Link, and the bot's two message actions, which are its slash command with the post's link.
 */
import { act, toast } from "../api.js";
import { h } from "../dom.js";
import type { UiMattermost, UiMattermostPost } from "../shapes.js";
import { inline, markdown, type MattermostDirectory } from "./markdown.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export interface MattermostPostContext {
  mattermost: UiMattermost;
  directory: MattermostDirectory;
  /** The person acting (a Mattermost user id). */
  me: string;
  /** The post whose "…" menu is open. */
  menuFor: string | undefined;
  toggleMenu(id: string | undefined): void;
  /** Opens a root post's thread on the right. */
  openThread(root: string): void;
  /** Replies to each root post, as the person sees them. */
  replies: ReadonlyMap<string, number>;
  /** Whether this list is the thread on the right (no reply count, no Reply item). */
  inThread: boolean;
}

/** Something Mattermost draws that the sandbox does not: shown with its JSON, never dropped. */
export function placeholder(kind: string, raw: unknown): HTMLElement {
  return h("details", { class: "unknown-block mm-unknown" }, h("summary", {}, `Not drawn by the sandbox: ${kind}`), h("pre", {}, JSON.stringify(raw, null, 2)));
}

/** "Alice" for alice, as the sandbox's people are shown (Mattermost's "Show username" is off: the full name, else the username). */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function nameOf(id: string, context: MattermostPostContext): string {
  if (id === context.mattermost.botId) return context.mattermost.botName;
  return displayName(context.mattermost.people.find((person) => person.id === id)?.name ?? id);
}

/** Attachment actions' styles: `primary`, `danger`, `good`, `success`, `warning`, `default`. */
function actionButton(raw: Json, post: UiMattermostPost, context: MattermostPostContext): HTMLElement {
  if (raw.type !== undefined && raw.type !== "button") return placeholder(`action of type ${String(raw.type)}`, raw);
  const name = typeof raw.name === "string" ? raw.name : "";
  const style = typeof raw.style === "string" ? raw.style : "default";
  return h(
    "button",
    {
      type: "button",
      class: `mm-action mm-action-${style}`,
      "data-action": typeof raw.id === "string" ? raw.id : undefined,
      onclick: async (event: Event) => {
        const element = event.currentTarget as HTMLButtonElement;
        element.disabled = true;
        await act("mattermost_click", { user: context.me, post: post.id, button: name });
        element.disabled = false;
      },
    },
    name,
  );
}

/** One message attachment: Slack's legacy attachment, as Mattermost draws it. */
function attachment(raw: unknown, post: UiMattermostPost, context: MattermostPostContext): HTMLElement {
  if (!isJson(raw)) return placeholder("attachment", raw);
  const text = (key: string) => (typeof raw[key] === "string" && raw[key] !== "" ? (raw[key] as string) : undefined);
  const fields = Array.isArray(raw.fields) ? raw.fields.filter(isJson) : [];
  const actions = Array.isArray(raw.actions) ? raw.actions : [];
  const title = text("title");
  const color = text("color");
  return h(
    "div",
    { class: "mm-attachment", style: color && /^#[0-9a-f]{3,8}$/i.test(color) ? `border-left-color:${color}` : undefined },
    text("pretext") ? h("div", { class: "mm-attachment-pretext" }, markdown(text("pretext")!, context.directory)) : null,
    title ? h("h2", { class: "mm-attachment-title" }, text("title_link") && /^https?:\/\//.test(text("title_link")!) ? h("a", { class: "mm-link", href: text("title_link")!, target: "_blank", rel: "noopener noreferrer" }, title) : title) : null,
    text("text") ? markdown(text("text")!, context.directory) : null,
    fields.length > 0
      ? h("div", { class: "mm-attachment-fields" }, ...fields.map((field) => h("div", { class: `mm-attachment-field${field.short === true ? " short" : ""}` }, h("div", { class: "mm-field-title" }, String(field.title ?? "")), h("div", {}, ...inline(String(field.value ?? ""), context.directory)))))
      : null,
    actions.length > 0 ? h("div", { class: "mm-attachment-actions" }, ...actions.map((action) => (isJson(action) ? actionButton(action, post, context) : placeholder("action", action)))) : null,
  );
}

function menu(post: UiMattermostPost, context: MattermostPostContext): HTMLElement {
  const item = (label: string, hint: string | null, run: () => void) =>
    h(
      "button",
      {
        class: "mm-menu-item",
        role: "menuitem",
        type: "button",
        onclick: () => {
          context.toggleMenu(undefined);
          run();
        },
      },
      h("span", {}, label),
      hint ? h("span", { class: "mm-menu-hint" }, hint) : null,
    );
  // A direct message is not a channel the command runs in: the bot's two actions are for channel posts.
  const inChannel = context.mattermost.channels.some((channel) => channel.id === post.channel);
  return h(
    "div",
    { class: "mm-menu", role: "menu" },
    context.inThread ? null : item("Reply", null, () => context.openThread(post.root || post.id)),
    item("Copy Link", null, () => {
      void navigator.clipboard?.writeText(post.permalink).catch(() => undefined);
      toast(`Copied: ${post.permalink}`);
    }),
    inChannel ? h("div", { class: "mm-menu-title" }, context.mattermost.botName) : null,
    inChannel ? item("Remind of process", "/task remind", () => void act("mattermost_post_action", { user: context.me, post: post.id, action: "remind" })) : null,
    inChannel ? item("Create task", "/task from", () => void act("mattermost_post_action", { user: context.me, post: post.id, action: "from" })) : null,
  );
}

const AVATAR_COLORS = ["#1c58d9", "#3db887", "#ffbc1f", "#d24b4e", "#a35aff", "#00a8b5"];

function avatar(author: string, name: string, bot: boolean): HTMLElement {
  if (bot) return h("div", { class: "mm-avatar mm-bot-avatar", "aria-hidden": "true" }, "⚙");
  const color = AVATAR_COLORS[[...author].reduce((sum, c) => sum + c.charCodeAt(0), 0) % AVATAR_COLORS.length];
  return h("div", { class: "mm-avatar", style: `background:${color}`, "aria-hidden": "true" }, name.charAt(0).toUpperCase());
}

/** One post. */
export function postItem(post: UiMattermostPost, context: MattermostPostContext): HTMLElement {
  const bot = post.author === context.mattermost.botId;
  const name = nameOf(post.author, context);
  const ephemeral = post.ephemeralTo !== undefined;
  const replies = context.inThread ? 0 : (context.replies.get(post.id) ?? 0);
  const attachments = post.attachments.map((raw) => attachment(raw, post, context));
  return h(
    "div",
    { class: `mm-post${ephemeral ? " mm-ephemeral" : ""}`, "data-id": post.id, "data-author": bot ? "bot" : nameOf(post.author, context).toLowerCase() },
    avatar(post.author, name, bot),
    h(
      "div",
      { class: "mm-post-content" },
      h(
        "div",
        { class: "mm-post-meta" },
        h("span", { class: "mm-name" }, name),
        bot ? h("span", { class: "mm-bot-tag" }, "BOT") : null,
        h("time", { class: "mm-time", title: new Date(post.at).toISOString() }, new Date(post.at).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })),
        ephemeral ? h("span", { class: "mm-ephemeral-note" }, "(Only visible to you)") : null,
      ),
      post.message ? markdown(post.message, context.directory) : null,
      post.edited ? h("span", { class: "mm-edited" }, "Edited") : null,
      attachments.length > 0 ? h("div", { class: "mm-attachments" }, ...attachments) : null,
      replies > 0 ? h("button", { type: "button", class: "mm-replies", onclick: () => context.openThread(post.id) }, `${replies} ${replies === 1 ? "reply" : "replies"}`) : null,
    ),
    // Ephemeral posts have no menu: they are the web app's alone, with no link.
    ephemeral
      ? null
      : h(
          "div",
          { class: "mm-hover-actions" },
          h("button", { type: "button", class: "mm-icon-button", title: "More", "aria-label": "More actions", "aria-expanded": context.menuFor === post.id ? "true" : "false", onclick: () => context.toggleMenu(context.menuFor === post.id ? undefined : post.id) }, "…"),
        ),
    context.menuFor === post.id && !ephemeral ? menu(post, context) : null,
  );
}
