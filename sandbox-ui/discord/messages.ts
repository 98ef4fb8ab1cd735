/**
 * A Discord message as Discord's client shows it: what it replies to or which command it answers
 * above it, the avatar, the name (the bot's with its APP tag), the time, the content as markdown,
 * action rows of buttons (link buttons open their URL, the others reach the bot), "Only you can see
 * this" under an ephemeral one, and the Apps menu of the application's message commands.
 */
import { act } from "../api.js";
import { h } from "../dom.js";
import type { UiDiscord, UiDiscordMessage } from "../shapes.js";
import { inline, markdown, type DiscordDirectory } from "./markdown.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

export interface DiscordMessageContext {
  discord: UiDiscord;
  directory: DiscordDirectory;
  /** The person acting (a Discord user id). */
  me: string;
  /** The open Apps menu's message id. */
  menuFor: string | undefined;
  toggleMenu(id: string | undefined): void;
  /** Hides an ephemeral message, as "Dismiss message" does (for this page only). */
  dismiss(id: string): void;
}

/** Something Discord draws that the sandbox does not: shown with its JSON, never dropped. */
export function placeholder(kind: string, raw: unknown): HTMLElement {
  return h("details", { class: "unknown-block dc-unknown" }, h("summary", {}, `Not drawn by the sandbox: ${kind}`), h("pre", {}, JSON.stringify(raw, null, 2)));
}

/** Button styles (components/reference): 1 primary, 2 secondary, 3 success, 4 danger, 5 link. */
const STYLE_CLASS: Record<number, string> = { 1: "dc-primary", 2: "dc-secondary", 3: "dc-success", 4: "dc-danger", 5: "dc-secondary" };

function button(raw: Json, message: UiDiscordMessage, context: DiscordMessageContext): HTMLElement {
  const label = typeof raw.label === "string" ? raw.label : "";
  const style = typeof raw.style === "number" ? raw.style : 2;
  const disabled = raw.disabled === true;
  if (style === 5 && typeof raw.url === "string") {
    return h("a", { class: `dc-button ${STYLE_CLASS[5]}`, href: raw.url, target: "_blank", rel: "noopener noreferrer", role: "button", title: raw.url }, label, h("span", { class: "dc-external", "aria-hidden": "true" }, " ↗"));
  }
  if (typeof raw.custom_id !== "string") return placeholder("button without a custom_id", raw);
  const customId = raw.custom_id;
  return h(
    "button",
    {
      type: "button",
      class: `dc-button ${STYLE_CLASS[style] ?? "dc-secondary"}`,
      disabled,
      "data-custom-id": customId,
      onclick: async (event: Event) => {
        const element = event.currentTarget as HTMLButtonElement;
        element.classList.add("dc-busy");
        await act("discord_click", { user: context.me, message: message.id, customId, label });
        element.classList.remove("dc-busy");
      },
    },
    label,
  );
}

/** Action rows (type 1) of buttons (type 2); anything else as a placeholder. */
export function components(rows: readonly unknown[], message: UiDiscordMessage, context: DiscordMessageContext): HTMLElement | null {
  if (rows.length === 0) return null;
  return h(
    "div",
    { class: "dc-components" },
    ...rows.map((row) => {
      if (!isJson(row) || row.type !== 1 || !Array.isArray(row.components)) return placeholder(`component of type ${isJson(row) ? String(row.type) : "?"}`, row);
      return h("div", { class: "dc-action-row" }, ...row.components.map((item) => (isJson(item) && item.type === 2 ? button(item, message, context) : placeholder(`component of type ${isJson(item) ? String(item.type) : "?"}`, item))));
    }),
  );
}

const AVATAR_COLORS = ["#5865f2", "#3ba55c", "#faa61a", "#ed4245", "#eb459e", "#00a8fc"];

function avatar(author: string, name: string, bot: boolean): HTMLElement {
  if (bot) return h("div", { class: "dc-avatar dc-bot-avatar", "aria-hidden": "true" }, "⚙");
  const color = AVATAR_COLORS[[...author].reduce((sum, c) => sum + c.charCodeAt(0), 0) % AVATAR_COLORS.length];
  return h("div", { class: "dc-avatar", style: `background:${color}`, "aria-hidden": "true" }, name.charAt(0).toUpperCase());
}

/** "Alice" for alice: the display name the emulated people have (global_name). */
export function displayName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function nameOf(id: string, context: DiscordMessageContext): string {
  if (id === context.discord.botId) return context.discord.botName;
  return displayName(context.directory.users.get(id) ?? id);
}

/** Today at HH:MM, in the browser's time zone. */
function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function menu(message: UiDiscordMessage, context: DiscordMessageContext): HTMLElement {
  const commands = context.discord.commands.filter((command) => command.type === 3);
  return h(
    "div",
    { class: "dc-menu", role: "menu" },
    h("div", { class: "dc-menu-title" }, "Apps"),
    ...commands.map((command) =>
      h(
        "button",
        {
          class: "dc-menu-item",
          role: "menuitem",
          type: "button",
          onclick: () => {
            context.toggleMenu(undefined);
            void act("discord_command", { user: context.me, message: message.id, name: command.name });
          },
        },
        h("span", {}, command.name),
        h("span", { class: "dc-menu-app" }, context.discord.botName),
      ),
    ),
  );
}

/** The content as markdown, "(edited)" at the end of its last line as Discord puts it. */
function content(message: UiDiscordMessage, directory: DiscordDirectory): HTMLElement | null {
  const edited = message.edited ? h("span", { class: "dc-edited" }, " (edited)") : null;
  if (!message.content) return edited;
  const body = markdown(message.content, directory);
  if (edited) (body.lastElementChild ?? body).appendChild(edited);
  return body;
}

/** One message. */
export function messageItem(message: UiDiscordMessage, context: DiscordMessageContext): HTMLElement {
  const bot = message.author === context.discord.botId;
  const name = nameOf(message.author, context);
  const ephemeral = message.ephemeralTo !== undefined;
  const above = message.replyTo
    ? h(
        "div",
        { class: "dc-reply-bar" },
        h("span", { class: "dc-reply-spine", "aria-hidden": "true" }),
        message.replyTo.missing
          ? h("span", { class: "dc-reply-missing" }, "Original message was deleted")
          : [h("span", { class: "dc-reply-author" }, `@${nameOf(message.replyTo.author ?? "", context)}`), " ", h("span", { class: "dc-reply-content" }, ...inline((message.replyTo.content ?? "").split("\n")[0]!.slice(0, 120), context.directory))],
      )
    : message.usedBy
      ? h("div", { class: "dc-reply-bar dc-used" }, h("span", { class: "dc-reply-spine", "aria-hidden": "true" }), h("span", { class: "dc-reply-author" }, nameOf(message.usedBy.user, context)), " used ", h("span", { class: "dc-command-name" }, message.usedBy.name))
      : null;
  // Message commands work on messages in a channel, not on an ephemeral one.
  const canUseApps = !ephemeral;
  return h(
    "div",
    { class: `dc-message${ephemeral ? " dc-ephemeral" : ""}`, "data-id": message.id, "data-author": bot ? "bot" : message.author },
    above,
    h(
      "div",
      { class: "dc-message-body" },
      avatar(message.author, name, bot),
      h(
        "div",
        { class: "dc-message-content" },
        h("div", { class: "dc-message-meta" }, h("span", { class: "dc-name" }, name), bot ? h("span", { class: "dc-app-tag" }, "APP") : null, h("time", { class: "dc-time", title: new Date(message.at).toISOString() }, timeOf(message.at))),
        message.thinking ? h("div", { class: "dc-thinking" }, `${context.discord.botName} is thinking…`) : content(message, context.directory),
        components(message.components, message, context),
        ephemeral
          ? h(
              "div",
              { class: "dc-ephemeral-note" },
              h("span", { "aria-hidden": "true" }, "👁 "),
              "Only you can see this",
              " • ",
              h("button", { type: "button", class: "dc-dismiss", onclick: () => context.dismiss(message.id) }, "Dismiss message"),
            )
          : null,
      ),
    ),
    canUseApps
      ? h(
          "div",
          { class: "dc-hover-actions" },
          h("button", { type: "button", class: "dc-icon-button", title: "Apps", "aria-label": "Apps", "aria-expanded": context.menuFor === message.id ? "true" : "false", onclick: () => context.toggleMenu(context.menuFor === message.id ? undefined : message.id) }, "⋯"),
        )
      : null,
    context.menuFor === message.id && canUseApps ? menu(message, context) : null,
  );
}
