/**
 * Slack's look: the sidebar (channels, the app), a conversation with its composer, a thread beside
 * it, the app's Home and Messages tabs, and the modal open on the person's screen. Everything is
 * drawn again from each snapshot; what a person is typing (composers, modal forms), the scroll
 * position and the focus are kept across redraws.
 */
import { act } from "../api.js";
import { h, replace, ScrollKeeper } from "../dom.js";
import type { PlatformContext, PlatformView } from "../platform.js";
import type { UiMessage, UiSnapshot } from "../shapes.js";
import { blocks } from "./blocks.js";
import { Composer } from "./composer.js";
import { displayName, messageItem, visibleTo, type MessageContext } from "./messages.js";
import { ModalView } from "./modal.js";
import type { Directory } from "./mrkdwn.js";

type Place = { kind: "channel"; id: string } | { kind: "app"; tab: "home" | "messages" };

/** The bot's DM with a person, as the Slack emulator names it (imChannelIdFor). */
const dmWith = (user: string) => `D${user.slice(1)}`;

export class SlackView implements PlatformView {
  readonly id = "slack";
  readonly label = "Slack";
  #place: Place | undefined;
  #thread: { channel: string; ts: string } | undefined;
  #menuFor: string | undefined;
  /** A message a shortcut was just used on: its thread opens when a reply arrives (a reminder lands there). */
  #watch: { channel: string; ts: string; replies: number } | undefined;
  readonly #composers = new Map<string, Composer>();
  readonly #modals = new Map<string, ModalView>();
  /** How many messages each person has seen in each conversation: the rest are unread. */
  readonly #seen = new Map<string, number>();
  readonly #scroll = new ScrollKeeper();
  #stickToBottom = false;

  render(root: HTMLElement, snapshot: UiSnapshot, context: PlatformContext): void {
    const me = context.me();
    const directory: Directory = {
      users: new Map([...snapshot.people.map((p) => [p.id, p.name] as const), [snapshot.workspace.botUserId, snapshot.workspace.botName]]),
      channels: new Map(snapshot.channels.map((c) => [c.id, c.name])),
    };
    this.#place ??= { kind: "channel", id: snapshot.channels[0]?.id ?? "" };
    const place = this.#place;
    const conversation = place.kind === "channel" ? place.id : dmWith(me);
    const focused = [...this.#composers.values()].find((c) => c.focused);
    this.#saveScroll(root);

    const inConversation = (channel: string) => visibleTo(snapshot.messages.filter((m) => m.channel === channel), me);
    const topLevel = (channel: string) => inConversation(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    // On first sight everything already there counts as seen.
    for (const channel of [...snapshot.channels.map((c) => c.id), dmWith(me)]) {
      const key = `${me}:${channel}`;
      if (!this.#seen.has(key)) this.#seen.set(key, topLevel(channel).length);
    }
    if (place.kind === "channel" || place.tab === "messages") this.#seen.set(`${me}:${conversation}`, topLevel(conversation).length);
    const unread = (channel: string) => topLevel(channel).length > (this.#seen.get(`${me}:${channel}`) ?? 0);

    const go = (next: Place) => {
      this.#place = next;
      this.#thread = undefined;
      this.#menuFor = undefined;
      this.#stickToBottom = true;
      // Slack sends app_home_opened each time the person opens the tab.
      if (next.kind === "app" && next.tab === "home") void act("home", { user: me });
      context.redraw();
    };
    const sidebar = h(
      "aside",
      { class: "sk-sidebar", "aria-label": "Slack sidebar" },
      h("div", { class: "sk-workspace" }, h("span", { class: "sk-workspace-name" }, snapshot.workspace.domain), h("span", { class: "sk-workspace-note" }, "sandbox")),
      h("div", { class: "sk-nav-title" }, "Channels"),
      ...snapshot.channels.map((c) =>
        h(
          "button",
          { type: "button", class: `sk-nav-item${place.kind === "channel" && place.id === c.id ? " active" : ""}${unread(c.id) ? " unread" : ""}`, "data-channel": c.name, onclick: () => go({ kind: "channel", id: c.id }) },
          h("span", { class: "sk-hash" }, "#"),
          c.name,
        ),
      ),
      h("div", { class: "sk-nav-title" }, "Apps"),
      h(
        "button",
        { type: "button", class: `sk-nav-item${place.kind === "app" ? " active" : ""}${unread(dmWith(me)) ? " unread" : ""}`, "data-app": snapshot.workspace.botName, onclick: () => go({ kind: "app", tab: "home" }) },
        h("span", { class: "sk-app-icon small", "aria-hidden": "true" }),
        snapshot.workspace.botName,
      ),
    );

    const messageContext = (replies: Map<string, UiMessage[]>, inThread: boolean): MessageContext => ({
      snapshot,
      directory,
      me,
      replies,
      pane: inThread ? "thread" : "channel",
      ...(inThread ? {} : { openThread: (message: UiMessage) => this.#openThread(message, context) }),
      menuFor: this.#menuFor,
      toggleMenu: (id) => {
        this.#menuFor = id;
        context.redraw();
      },
      afterShortcut: (message) => {
        const ts = message.thread_ts ?? message.ts;
        this.#watch = { channel: message.channel, ts, replies: repliesIn(message.channel).get(ts)?.length ?? 0 };
      },
    });
    const repliesIn = (channel: string) => {
      const replies = new Map<string, UiMessage[]>();
      for (const m of inConversation(channel)) if (m.thread_ts && m.thread_ts !== m.ts) replies.set(m.thread_ts, [...(replies.get(m.thread_ts) ?? []), m]);
      return replies;
    };
    const list = (channel: string, key: string) => {
      const shown = topLevel(channel);
      const context = messageContext(repliesIn(channel), false);
      return h(
        "div",
        { class: "sk-messages", "data-scroll": key },
        shown.length === 0 ? h("div", { class: "sk-empty" }, "Nothing here yet.") : null,
        ...shown.map((m) => messageItem(m, context)),
      );
    };
    const composer = (key: string, where: { channel: string; thread_ts?: string }, placeholderText: string) => {
      let box = this.#composers.get(key);
      if (!box) {
        box = new Composer(where, placeholderText, () => context.me(), () => (this.#stickToBottom = true));
        this.#composers.set(key, box);
      }
      box.commands(snapshot.commands);
      return box.root;
    };

    let main: HTMLElement;
    if (place.kind === "channel") {
      const name = directory.channels.get(place.id) ?? place.id;
      main = h(
        "main",
        { class: "sk-main", "aria-label": `#${name}` },
        h("header", { class: "sk-header-bar" }, h("h1", {}, h("span", { class: "sk-hash" }, "#"), name), place.id === snapshot.reviewChannel ? h("span", { class: "sk-topic" }, "The weekly review lands here") : null),
        list(place.id, `channel:${place.id}`),
        composer(`${me}:${place.id}`, { channel: place.id }, `Message #${name}`),
      );
    } else {
      const home = snapshot.homes.find((x) => x.user === me);
      const tab = (which: "home" | "messages", label: string) =>
        h("button", { type: "button", role: "tab", class: `sk-tab${place.tab === which ? " active" : ""}`, "aria-selected": place.tab === which ? "true" : "false", onclick: () => go({ kind: "app", tab: which }) }, label);
      const body =
        place.tab === "home"
          ? h(
              "div",
              { class: "sk-home", "data-scroll": "home" },
              home
                ? blocks(Array.isArray(home.view.blocks) ? home.view.blocks : [], "", {
                    directory,
                    press: (button) => void act("click", { user: me, surface: { kind: "home" }, actionId: button.actionId, blockId: button.blockId, value: button.value }),
                  })
                : h("div", { class: "sk-empty" }, "Waiting for the app to publish this Home tab…"),
            )
          : list(dmWith(me), `dm:${me}`);
      main = h(
        "main",
        { class: "sk-main", "aria-label": snapshot.workspace.botName },
        h("header", { class: "sk-header-bar sk-app-header" }, h("span", { class: "sk-app-icon", "aria-hidden": "true" }), h("h1", {}, snapshot.workspace.botName), h("nav", { class: "sk-tabs", role: "tablist" }, tab("home", "Home"), tab("messages", "Messages"))),
        body,
        place.tab === "messages" && snapshot.messagesReadOnly ? h("div", { class: "sk-readonly" }, "Sending messages to this app has been turned off.") : null,
        place.tab === "messages" && !snapshot.messagesReadOnly ? composer(`${me}:${dmWith(me)}`, { channel: dmWith(me) }, `Message ${snapshot.workspace.botName}`) : null,
      );
    }

    const watch = this.#watch;
    if (watch && (repliesIn(watch.channel).get(watch.ts)?.length ?? 0) > watch.replies) {
      this.#thread = { channel: watch.channel, ts: watch.ts };
      this.#watch = undefined;
    }
    let threadPane: HTMLElement | null = null;
    const thread = this.#thread;
    const threadRoot = thread && inConversation(thread.channel).find((m) => m.ts === thread.ts);
    if (thread && threadRoot) {
      const replies = repliesIn(thread.channel).get(thread.ts) ?? [];
      const tc = messageContext(new Map(), true);
      threadPane = h(
        "aside",
        { class: "sk-thread", "aria-label": "Thread" },
        h("header", { class: "sk-header-bar" }, h("h2", {}, "Thread ", h("span", { class: "sk-thread-where" }, thread.channel.startsWith("D") ? snapshot.workspace.botName : `#${directory.channels.get(thread.channel) ?? thread.channel}`)), h("button", { type: "button", class: "sk-icon-button", "aria-label": "Close thread", onclick: () => ((this.#thread = undefined), context.redraw()) }, "×")),
        h(
          "div",
          { class: "sk-messages", "data-scroll": `thread:${thread.ts}` },
          messageItem(threadRoot, tc),
          h("div", { class: "sk-thread-divider" }, `${replies.length} ${replies.length === 1 ? "reply" : "replies"}`),
          ...replies.map((m) => messageItem(m, tc)),
        ),
        composer(`${me}:${thread.channel}:${thread.ts}`, { channel: thread.channel, thread_ts: thread.ts }, "Reply…"),
      );
    }

    const modals = snapshot.modals.filter((m) => m.user === me);
    const overlays: HTMLElement[] = [];
    for (const modal of modals) {
      const key = `${modal.id}:${JSON.stringify(modal.view)}`;
      let view = this.#modals.get(key);
      if (!view) {
        view = new ModalView(modal, me, { directory });
        this.#modals.set(key, view);
      }
      view.showErrors(modal.errors);
      overlays.push(view.root);
    }
    for (const [key, view] of this.#modals) if (!modals.some((m) => key === `${m.id}:${JSON.stringify(m.view)}`)) this.#modals.delete(key), view.root.remove();

    replace(root, h("div", { class: `slack${threadPane ? " with-thread" : ""}`, "data-me": me }, sidebar, main, threadPane, ...overlays));
    this.#restoreScroll(root);
    if (focused && !focused.focused && overlays.length === 0) focused.focus();
  }

  dismiss(target: Element | null): boolean {
    if (this.#menuFor === undefined || target?.closest(".sk-menu, .sk-hover-actions")) return false;
    this.#menuFor = undefined;
    return true;
  }

  #openThread(message: UiMessage, context: PlatformContext): void {
    this.#thread = { channel: message.channel, ts: message.thread_ts ?? message.ts };
    this.#menuFor = undefined;
    context.redraw();
  }

  #saveScroll(root: HTMLElement): void {
    this.#scroll.save(root);
  }

  /** Where each list was; at the bottom it follows new messages, as Slack does. */
  #restoreScroll(root: HTMLElement): void {
    this.#scroll.restore(root, this.#stickToBottom);
    this.#stickToBottom = false;
  }
}

export { displayName };
