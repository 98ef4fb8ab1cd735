/**
 * Discord's look: the server rail, the guild's channels and the DM with the bot, a channel with its
 * messages and its composer (`/task …` runs the application's command, with the commands offered as
 * one types `/`; anything else is a message), and the modal open on the person's screen. Everything
 * is drawn again from each snapshot; what a person is typing, the scroll position and the focus are
 * kept across redraws.
 */
import { act } from "../api.js";
import { h, replace, ScrollKeeper } from "../dom.js";
import type { PlatformContext, PlatformView } from "../platform.js";
import type { UiDiscord, UiSnapshot } from "../shapes.js";
import type { DiscordDirectory } from "./markdown.js";
import { displayName, messageItem, type DiscordMessageContext } from "./messages.js";
import { DiscordModalView } from "./modal.js";

/** A composer's input, kept across redraws so typing is never lost. */
class Composer {
  readonly input: HTMLInputElement;
  readonly root: HTMLElement;
  readonly #suggestions: HTMLElement;
  #commands: UiDiscord["commands"] = [];

  constructor(send: (text: string) => Promise<boolean>, placeholderText: string) {
    this.#suggestions = h("div", { class: "dc-suggestions", role: "listbox", "aria-label": "Commands" });
    this.input = h("input", {
      type: "text",
      class: "dc-composer-input",
      placeholder: placeholderText,
      "aria-label": placeholderText,
      oninput: () => this.#suggest(),
      onkeydown: async (event: Event) => {
        if ((event as KeyboardEvent).key !== "Enter") return;
        event.preventDefault();
        const text = this.input.value;
        if (text.trim() === "") return;
        this.input.value = "";
        this.#suggest();
        // A refused line is given back, as Discord keeps what it could not send.
        if (!(await send(text)) && this.input.value === "") this.input.value = text;
      },
    });
    this.root = h("div", { class: "dc-composer" }, this.#suggestions, this.input);
  }

  commands(commands: UiDiscord["commands"]): void {
    this.#commands = commands.filter((command) => command.type === 1);
    this.#suggest();
  }

  get focused(): boolean {
    return document.activeElement === this.input;
  }

  #suggest(): void {
    const typed = /^\/(\S*)$/.exec(this.input.value);
    const matching = typed ? this.#commands.filter((command) => command.name.startsWith(typed[1]!)) : [];
    replace(
      this.#suggestions,
      ...matching.map((command) =>
        h(
          "button",
          { type: "button", class: "dc-suggestion", role: "option", onclick: () => ((this.input.value = `/${command.name} `), this.#suggest(), this.input.focus()) },
          h("span", { class: "dc-suggestion-name" }, `/${command.name}`),
          h("span", { class: "dc-suggestion-description" }, command.description),
        ),
      ),
    );
  }
}

export class DiscordView implements PlatformView {
  readonly id = "discord";
  readonly label = "Discord";
  #channel: string | undefined;
  #menuFor: string | undefined;
  readonly #composers = new Map<string, Composer>();
  readonly #modals = new Map<string, DiscordModalView>();
  readonly #dismissed = new Set<string>();
  readonly #scroll = new ScrollKeeper();

  render(root: HTMLElement, snapshot: UiSnapshot, context: PlatformContext): void {
    const discord = snapshot.discord;
    if (!discord) {
      replace(root, h("div", { class: "discord dc-off" }, h("p", {}, "This sandbox does not serve Discord.")));
      return;
    }
    // The person acting: the Slack workspace's person of the same name, on Discord.
    const slackName = snapshot.people.find((person) => person.id === context.me())?.name;
    const me = discord.people.find((person) => person.name === slackName)?.id ?? discord.people[0]?.id ?? "";
    const directory: DiscordDirectory = {
      // Mentions show the display name, as Discord's client does.
      users: new Map([...discord.people.map((p) => [p.id, displayName(p.name)] as const), [discord.botId, discord.botName]]),
      channels: new Map(discord.channels.map((c) => [c.id, c.name])),
    };
    const dm = discord.dms.find((entry) => entry.user === me)?.channel;
    const places = [...discord.channels.map((c) => c.id), ...(dm ? [dm] : [])];
    if (this.#channel === undefined || !places.includes(this.#channel)) this.#channel = discord.channels[0]?.id ?? "";
    const channel = this.#channel;
    const focused = [...this.#composers.values()].find((c) => c.focused);
    this.#scroll.save(root);

    const go = (id: string) => {
      this.#channel = id;
      this.#menuFor = undefined;
      context.redraw();
    };
    const navItem = (id: string, label: HTMLElement | string, attributes: Record<string, string>) =>
      h("button", { type: "button", class: `dc-nav-item${id === channel ? " active" : ""}`, onclick: () => go(id), ...attributes }, label);
    const sidebar = h(
      "aside",
      { class: "dc-sidebar", "aria-label": "Discord channels" },
      h("header", { class: "dc-guild-name" }, discord.guild.name),
      h("div", { class: "dc-nav-title" }, "Text channels"),
      ...discord.channels.map((c) => navItem(c.id, h("span", {}, h("span", { class: "dc-hash" }, "#"), c.name), { "data-channel": c.name })),
      dm ? h("div", { class: "dc-nav-title" }, "Direct messages") : null,
      dm ? navItem(dm, h("span", {}, h("span", { class: "dc-avatar dc-bot-avatar small", "aria-hidden": "true" }, "⚙"), discord.botName), { "data-dm": discord.botName }) : null,
    );

    const messageContext: DiscordMessageContext = {
      discord,
      directory,
      me,
      menuFor: this.#menuFor,
      toggleMenu: (id) => {
        this.#menuFor = id;
        context.redraw();
      },
      dismiss: (id) => {
        this.#dismissed.add(id);
        context.redraw();
      },
    };
    const shown = discord.messages.filter((m) => m.channel === channel && (m.ephemeralTo === undefined || m.ephemeralTo === me) && !this.#dismissed.has(m.id));
    const name = channel === dm ? discord.botName : (directory.channels.get(channel) ?? channel);
    const key = `${me}:${channel}`;
    let composer = this.#composers.get(key);
    if (!composer) {
      composer = new Composer(async (text) => (await act("discord_send", { user: me, channel, text })).ok, channel === dm ? `Message @${discord.botName}` : `Message #${name}`);
      this.#composers.set(key, composer);
    }
    composer.commands(discord.commands);
    const main = h(
      "main",
      { class: "dc-main", "aria-label": channel === dm ? `@${name}` : `#${name}` },
      h("header", { class: "dc-header-bar" }, h("h1", {}, channel === dm ? "@" : h("span", { class: "dc-hash" }, "#"), name)),
      h(
        "div",
        { class: "dc-messages", "data-scroll": key },
        shown.length === 0 ? h("div", { class: "dc-empty" }, channel === dm ? "The bot's messages to you land here." : `This is the start of the #${name} channel.`) : null,
        ...shown.map((m) => messageItem(m, messageContext)),
      ),
      composer.root,
    );

    const modals = discord.modals.filter((m) => m.user === me);
    const overlays: HTMLElement[] = [];
    for (const modal of modals) {
      const modalKey = `${modal.id}:${JSON.stringify(modal.modal)}`;
      let view = this.#modals.get(modalKey);
      if (!view) {
        view = new DiscordModalView(modal, me, directory, discord.botName);
        this.#modals.set(modalKey, view);
      }
      overlays.push(view.root);
    }
    for (const [modalKey, view] of this.#modals) if (!modals.some((m) => modalKey === `${m.id}:${JSON.stringify(m.modal)}`)) this.#modals.delete(modalKey), view.root.remove();

    replace(root, h("div", { class: "discord", "data-me": me }, h("nav", { class: "dc-rail", "aria-label": "Servers" }, h("div", { class: "dc-guild-icon", title: discord.guild.name }, "cs")), sidebar, main, ...overlays));
    this.#scroll.restore(root);
    if (focused && overlays.length === 0) focused.input.focus();
  }

  dismiss(target: Element | null): boolean {
    if (this.#menuFor === undefined || target?.closest(".dc-menu, .dc-hover-actions")) return false;
    this.#menuFor = undefined;
    return true;
  }
}
