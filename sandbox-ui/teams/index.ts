/**
 * Teams' look: the app bar, the list (the person's 1:1 chat with the bot under Chat, the team's
 * General under Teams), a conversation (a chat's messages; a channel's posts, each with its replies
 * and a Reply box), the bot's messages drawn from their Adaptive Cards (a card an Action.Execute
 * redrew for the person shown as they see it), a message's "…" menu with the app's message
 * extension commands, and the dialog (task module) open on the person's screen. Everything is drawn
 * again from each snapshot; what a person is typing, the scroll position and the focus are kept.
 */
import { act, toast } from "../api.js";
import { h, replace, ScrollKeeper } from "../dom.js";
import type { PlatformContext, PlatformView } from "../platform.js";
import type { UiSnapshot, UiTeams, UiTeamsDialog, UiTeamsMessage } from "../shapes.js";
import { AdaptiveCardView, placeholder } from "./adaptive-card.js";

type Json = Record<string, unknown>;
const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** A card's actions as Teams numbers them for a press: its top-level ActionSets', then its own. */
function actionsOf(card: unknown): unknown[] {
  if (!isJson(card)) return [];
  const body = Array.isArray(card.body) ? card.body : [];
  return [...body.flatMap((element) => (isJson(element) && element.type === "ActionSet" && Array.isArray(element.actions) ? element.actions : [])), ...(Array.isArray(card.actions) ? card.actions : [])];
}

/** A composer's input, kept across redraws so typing is never lost. */
class Composer {
  readonly input: HTMLInputElement;
  readonly root: HTMLElement;

  constructor(send: (text: string) => Promise<boolean>, placeholderText: string) {
    this.input = h("input", {
      type: "text",
      class: "tm-composer-input",
      placeholder: placeholderText,
      "aria-label": placeholderText,
      onkeydown: async (event: Event) => {
        if ((event as KeyboardEvent).key !== "Enter") return;
        event.preventDefault();
        const text = this.input.value;
        if (text.trim() === "") return;
        this.input.value = "";
        if (!(await send(text)) && this.input.value === "") this.input.value = text;
      },
    });
    this.root = h("div", { class: "tm-composer" }, this.input);
  }

  get focused(): boolean {
    return document.activeElement === this.input;
  }
}

export class TeamsView implements PlatformView {
  readonly id = "teams";
  readonly label = "Teams";
  #place: string | undefined;
  #menuFor: string | undefined;
  readonly #composers = new Map<string, Composer>();
  readonly #cards = new Map<string, AdaptiveCardView>();
  readonly #dialogs = new Map<string, { view: AdaptiveCardView; root: HTMLElement }>();
  readonly #scroll = new ScrollKeeper();

  render(root: HTMLElement, snapshot: UiSnapshot, context: PlatformContext): void {
    const teams = snapshot.teams;
    if (!teams) {
      replace(root, h("div", { class: "teams tm-off" }, h("p", {}, "This sandbox does not serve Teams.")));
      return;
    }
    const slackName = snapshot.people.find((person) => person.id === context.me())?.name;
    const me = teams.people.find((person) => person.name === slackName) ?? teams.people[0];
    if (!me) return;
    const chat = teams.conversations.find((conversation) => conversation.type === "personal" && conversation.name === me.name);
    const channels = teams.conversations.filter((conversation) => conversation.type === "channel");
    const places = [...(chat ? [chat] : []), ...channels];
    if (this.#place === undefined || !places.some((place) => place.id === this.#place)) this.#place = places[0]?.id ?? "";
    const place = places.find((candidate) => candidate.id === this.#place)!;
    const focused = [...this.#composers.values()].find((composer) => composer.focused);
    this.#scroll.save(root);

    const go = (id: string) => {
      this.#place = id;
      this.#menuFor = undefined;
      context.redraw();
    };
    const navItem = (id: string, label: (Node | string)[], attributes: Record<string, string>) => h("button", { type: "button", class: `tm-nav-item${id === place.id ? " active" : ""}`, onclick: () => go(id), ...attributes }, ...label);
    const list = h(
      "aside",
      { class: "tm-list", "aria-label": "Teams chats and channels" },
      h("div", { class: "tm-list-title" }, "Chat"),
      chat ? navItem(chat.id, [h("span", { class: "tm-avatar tm-bot-avatar small", "aria-hidden": "true" }, "⚙"), teams.botName], { "data-chat": teams.botName }) : null,
      h("div", { class: "tm-list-title" }, "Teams"),
      h("div", { class: "tm-team-name" }, h("span", { class: "tm-team-icon", "aria-hidden": "true" }, "S"), "Sandbox"),
      ...channels.map((channel) => navItem(channel.id, [channel.name], { "data-channel": channel.name })),
    );

    const nameOf = (id: string) => (id === teams.botId ? teams.botName : (teams.people.find((person) => person.id === id)?.displayName ?? id));
    const inPlace = teams.messages.filter((message) => message.conversation === place.id);
    const key = `${me.id}:${place.id}`;
    const composer = (composerKey: string, placeholderText: string, replyTo?: string) => {
      let made = this.#composers.get(composerKey);
      if (!made) {
        made = new Composer(async (text) => (await act("teams_send", { user: me.id, conversation: place.id, text, ...(replyTo === undefined ? {} : { replyTo }) })).ok, placeholderText);
        this.#composers.set(composerKey, made);
      }
      return made.root;
    };
    const shownCards = new Set<string>();
    const item = (message: UiTeamsMessage) => this.#message(message, teams, me.id, nameOf, place.type === "channel", context, shownCards);
    const body =
      place.type === "channel"
        ? inPlace
            .filter((message) => message.replyTo === undefined)
            .map((post) =>
              h(
                "div",
                { class: "tm-thread", "data-root": post.id },
                item(post),
                ...inPlace.filter((reply) => reply.replyTo === post.id).map((reply) => h("div", { class: "tm-reply" }, item(reply))),
                h("div", { class: "tm-reply-box" }, composer(`${key}:${post.id}`, "Reply", post.id)),
              ),
            )
        : inPlace.map(item);
    const main = h(
      "main",
      { class: "tm-main", "aria-label": place.type === "channel" ? place.name : teams.botName },
      h("header", { class: "tm-header-bar" }, h("h1", {}, place.type === "channel" ? place.name : teams.botName), place.type === "channel" ? h("span", { class: "tm-tab" }, "Posts") : h("span", { class: "tm-tab" }, "Chat")),
      h("div", { class: `tm-messages${place.type === "channel" ? " tm-channel" : ""}`, "data-scroll": key }, body.length === 0 ? h("div", { class: "tm-empty" }, place.type === "channel" ? "No posts yet." : "Say task <title> to the bot.") : null, ...body),
      composer(key, place.type === "channel" ? "Start a post (@chatops task … reaches the bot)" : "Type a message"),
    );

    // A card no longer shown (redrawn, another conversation or person) is built again when it is.
    for (const cardKey of this.#cards.keys()) if (!shownCards.has(cardKey)) this.#cards.delete(cardKey);
    const dialogs = teams.dialogs.filter((dialog) => dialog.user === me.id);
    const overlays = dialogs.map((dialog) => this.#dialog(dialog, me.id));
    for (const [dialogKey, shown] of this.#dialogs) if (!dialogs.some((dialog) => `${dialog.id}` === dialogKey)) this.#dialogs.delete(dialogKey), shown.root.remove();

    replace(
      root,
      h(
        "div",
        { class: "teams", "data-me": me.id },
        h("nav", { class: "tm-rail", "aria-label": "App bar" }, h("div", { class: "tm-rail-item" }, "💬", h("span", {}, "Chat")), h("div", { class: "tm-rail-item" }, "👥", h("span", {}, "Teams"))),
        list,
        main,
        ...overlays,
      ),
    );
    this.#scroll.restore(root);
    if (focused && overlays.length === 0) focused.input.focus();
  }

  dismiss(target: Element | null): boolean {
    if (this.#menuFor === undefined || target?.closest(".tm-menu, .tm-hover-actions")) return false;
    this.#menuFor = undefined;
    return true;
  }

  #message(message: UiTeamsMessage, teams: UiTeams, me: string, nameOf: (id: string) => string, inChannel: boolean, context: PlatformContext, shownCards: Set<string>): HTMLElement {
    const bot = message.from === teams.botId;
    const mine = message.from === me;
    const card = message.cardFor?.[me] ?? message.card;
    let content: HTMLElement;
    if (card !== undefined) {
      // One view per message, person and card: what was typed in a card's inputs survives a redraw.
      const cardKey = `${me}/${message.id}/${JSON.stringify(card)}`;
      shownCards.add(cardKey);
      let view = this.#cards.get(cardKey);
      if (!view) {
        const actions = actionsOf(card);
        view = new AdaptiveCardView(
          card,
          {
            act: async (action) => {
              const index = actions.indexOf(action);
              if (index === -1) return toast("The sandbox plays a card's top-level buttons only.", "problem");
              return act("teams_click", { user: me, message: message.id, index, title: String(action.title ?? "") });
            },
          },
          `${message.id}`,
        );
        this.#cards.set(cardKey, view);
      }
      content = view.root;
    } else {
      content = h("div", { class: "tm-text" }, ...message.text.split("\n").map((line) => h("div", {}, line === "" ? h("br") : line)));
    }
    const open = this.#menuFor === message.id;
    // The app's message extension commands act on a person's message (its "…" menu, More actions).
    const canExtend = inChannel && !bot;
    return h(
      "div",
      { class: `tm-message${mine ? " tm-mine" : ""}`, "data-id": message.id, "data-author": bot ? "bot" : (teams.people.find((person) => person.id === message.from)?.name ?? message.from) },
      mine && !inChannel ? null : h("div", { class: `tm-avatar${bot ? " tm-bot-avatar" : ""}`, "aria-hidden": "true" }, bot ? "⚙" : nameOf(message.from).charAt(0)),
      h(
        "div",
        { class: "tm-bubble" },
        h("div", { class: "tm-meta" }, mine && !inChannel ? null : h("span", { class: "tm-name" }, nameOf(message.from)), h("time", { class: "tm-time", title: new Date(message.at).toISOString() }, new Date(message.at).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })), message.updated || message.cardFor?.[me] !== undefined ? h("span", { class: "tm-edited" }, "Edited") : null),
        content,
      ),
      canExtend
        ? h("div", { class: "tm-hover-actions" }, h("button", { type: "button", class: "tm-icon-button", "aria-label": "More options", "aria-expanded": open ? "true" : "false", onclick: () => ((this.#menuFor = open ? undefined : message.id), context.redraw()) }, "…"))
        : null,
      open && canExtend
        ? h(
            "div",
            { class: "tm-menu", role: "menu" },
            h("div", { class: "tm-menu-title" }, "More actions"),
            ...(
              [
                ["Remind of process", "remind"],
                ["Create task", "create"],
              ] as const
            ).map(([label, command]) =>
              h(
                "button",
                {
                  type: "button",
                  class: "tm-menu-item",
                  role: "menuitem",
                  onclick: () => {
                    this.#menuFor = undefined;
                    context.redraw();
                    void act("teams_extension", { user: me, message: message.id, command });
                  },
                },
                h("span", {}, label),
                h("span", { class: "tm-menu-app" }, teams.botName),
              ),
            ),
          )
        : null,
    );
  }

  /** A dialog, its card's view kept while it is open (what was typed survives redraws). */
  #dialog(dialog: UiTeamsDialog, me: string): HTMLElement {
    const dialogKey = `${dialog.id}`;
    const kept = this.#dialogs.get(dialogKey);
    if (kept) return kept.root;
    const close = () => {
      root.remove();
      void act("teams_close", { user: me, dialog: dialog.id });
    };
    const view = new AdaptiveCardView(
      dialog.card,
      {
        act: async (action, values) => {
          if (action.type !== "Action.Submit") return act("teams_submit", { user: me, dialog: dialog.id, values });
          root.classList.add("tm-dialog-busy");
          const result = await act("teams_submit", { user: me, dialog: dialog.id, values });
          root.classList.remove("tm-dialog-busy");
          return result;
        },
      },
      `dialog-${dialog.id}`,
    );
    const root = h(
      "div",
      { class: "tm-dialog-overlay" },
      h(
        "div",
        { class: "tm-dialog", role: "dialog", "aria-modal": "true", "aria-label": dialog.title },
        h("header", { class: "tm-dialog-header" }, h("span", { class: "tm-avatar tm-bot-avatar small", "aria-hidden": "true" }, "⚙"), h("h2", {}, dialog.title), h("button", { type: "button", class: "tm-dialog-x", "aria-label": "Close", onclick: close }, "×")),
        h("div", { class: "tm-dialog-body" }, isJson(dialog.card) ? view.root : placeholder("dialog without a card", dialog)),
      ),
    );
    this.#dialogs.set(dialogKey, { view, root });
    return root;
  }
}
