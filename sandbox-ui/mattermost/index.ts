/**
 * Mattermost's look: the team's sidebar (its channels, and the direct message with the bot once the
 * bot opened one), a channel's posts (replies collapsed under their root, as Collapsed Reply Threads
 * shows them) with its composer (`/task …` runs the slash command, with the command offered as one
 * types `/`; anything else is a post), a thread on the right with its reply box, and the
 * interactive dialog open on the person's screen. Everything is drawn again from each snapshot;
 * what a person is typing, the scroll position and the focus are kept across redraws.
 */
import { act } from "../api.js";
import { h, replace, ScrollKeeper } from "../dom.js";
import type { PlatformContext, PlatformView } from "../platform.js";
import type { UiMattermost, UiMattermostPost, UiSnapshot } from "../shapes.js";
import { MattermostDialogView } from "./dialog.js";
import type { MattermostDirectory } from "./markdown.js";
import { displayName, postItem, type MattermostPostContext } from "./posts.js";

/** What the team's /task offers as one types it (the slash command's autocomplete hint). */
const COMMAND_HINT = { name: "task", hint: "[title] | list | review | help | remind <link> | from <link>", description: "Put a request on the team's Notion board" };

/** A composer's input, kept across redraws so typing is never lost. */
class Composer {
  readonly input: HTMLTextAreaElement;
  readonly root: HTMLElement;
  readonly #suggestions: HTMLElement;

  constructor(send: (text: string) => Promise<boolean>, placeholderText: string) {
    this.#suggestions = h("div", { class: "mm-suggestions", role: "listbox", "aria-label": "Commands" });
    this.input = h("textarea", {
      class: "mm-composer-input",
      rows: 1,
      placeholder: placeholderText,
      "aria-label": placeholderText,
      oninput: () => this.#suggest(),
      onkeydown: async (event: Event) => {
        const key = event as KeyboardEvent;
        if (key.key !== "Enter" || key.shiftKey) return;
        event.preventDefault();
        const text = this.input.value;
        if (text.trim() === "") return;
        this.input.value = "";
        this.#suggest();
        // A refused line is given back, as the web app keeps what it could not send.
        if (!(await send(text)) && this.input.value === "") this.input.value = text;
      },
    });
    this.root = h("div", { class: "mm-composer" }, this.#suggestions, this.input);
  }

  get focused(): boolean {
    return document.activeElement === this.input;
  }

  #suggest(): void {
    const typed = /^\/(\S*)$/.exec(this.input.value);
    const matching = typed && COMMAND_HINT.name.startsWith(typed[1]!) ? [COMMAND_HINT] : [];
    replace(
      this.#suggestions,
      ...matching.map((command) =>
        h(
          "button",
          { type: "button", class: "mm-suggestion", role: "option", onclick: () => ((this.input.value = `/${command.name} `), this.#suggest(), this.input.focus()) },
          h("span", { class: "mm-suggestion-name" }, `/${command.name} `, h("span", { class: "mm-suggestion-hint" }, command.hint)),
          h("span", { class: "mm-suggestion-description" }, command.description),
        ),
      ),
    );
  }
}

export class MattermostView implements PlatformView {
  readonly id = "mattermost";
  readonly label = "Mattermost";
  #channel: string | undefined;
  #thread: string | undefined;
  #menuFor: string | undefined;
  readonly #composers = new Map<string, Composer>();
  readonly #dialogs = new Map<string, MattermostDialogView>();
  readonly #scroll = new ScrollKeeper();

  render(root: HTMLElement, snapshot: UiSnapshot, context: PlatformContext): void {
    const mattermost = snapshot.mattermost;
    if (!mattermost) {
      replace(root, h("div", { class: "mattermost mm-off" }, h("p", {}, "This sandbox does not serve Mattermost.")));
      return;
    }
    // The person acting: the Slack workspace's person of the same name, on Mattermost.
    const slackName = snapshot.people.find((person) => person.id === context.me())?.name;
    const me = mattermost.people.find((person) => person.name === slackName)?.id ?? mattermost.people[0]?.id ?? "";
    const myName = mattermost.people.find((person) => person.id === me)?.name;
    const directory: MattermostDirectory = {
      usernames: new Set([...mattermost.people.map((person) => person.name), mattermost.botName]),
      channels: new Set(mattermost.channels.map((channel) => channel.name)),
      me: myName,
    };
    const direct = mattermost.directs.find((entry) => entry.user === me)?.channel;
    const places = [...mattermost.channels.map((c) => c.id), ...(direct ? [direct] : [])];
    if (this.#channel === undefined || !places.includes(this.#channel)) this.#channel = mattermost.channels[0]?.id ?? "";
    const channel = this.#channel;
    const focused = [...this.#composers.values()].find((c) => c.focused);
    this.#scroll.save(root);

    const visible = mattermost.posts.filter((post) => post.ephemeralTo === undefined || post.ephemeralTo === me);
    const replies = new Map<string, number>();
    for (const post of visible) if (post.root !== "") replies.set(post.root, (replies.get(post.root) ?? 0) + 1);
    const go = (id: string) => {
      this.#channel = id;
      this.#thread = undefined;
      this.#menuFor = undefined;
      context.redraw();
    };
    const navItem = (id: string, label: HTMLElement | string, attributes: Record<string, string>) =>
      h("button", { type: "button", class: `mm-nav-item${id === channel ? " active" : ""}`, onclick: () => go(id), ...attributes }, label);
    const sidebar = h(
      "aside",
      { class: "mm-sidebar", "aria-label": "Mattermost channels" },
      h("header", { class: "mm-team-name" }, displayName(mattermost.team)),
      h("div", { class: "mm-nav-title" }, "Channels"),
      ...mattermost.channels.map((c) => navItem(c.id, h("span", {}, h("span", { class: "mm-globe", "aria-hidden": "true" }, "⊕"), c.name), { "data-channel": c.name })),
      direct ? h("div", { class: "mm-nav-title" }, "Direct messages") : null,
      direct ? navItem(direct, h("span", {}, h("span", { class: "mm-avatar mm-bot-avatar small", "aria-hidden": "true" }, "⚙"), mattermost.botName), { "data-direct": mattermost.botName }) : null,
    );

    const postContext = (inThread: boolean): MattermostPostContext => ({
      mattermost,
      directory,
      me,
      menuFor: this.#menuFor,
      toggleMenu: (id) => {
        this.#menuFor = id;
        context.redraw();
      },
      openThread: (id) => {
        this.#thread = id;
        this.#menuFor = undefined;
        context.redraw();
      },
      replies,
      inThread,
    });
    const composer = (key: string, placeholderText: string, send: (text: string) => Promise<boolean>) => {
      let made = this.#composers.get(key);
      if (!made) {
        made = new Composer(send, placeholderText);
        this.#composers.set(key, made);
      }
      return made.root;
    };
    const shown = visible.filter((post) => post.channel === channel && post.root === "");
    const isDirect = channel === direct;
    const name = isDirect ? mattermost.botName : (mattermost.channels.find((c) => c.id === channel)?.name ?? channel);
    const key = `${me}:${channel}`;
    const main = h(
      "main",
      { class: "mm-main", "aria-label": isDirect ? `@${name}` : `~${name}` },
      h("header", { class: "mm-header-bar" }, h("h1", {}, isDirect ? `@${name}` : name)),
      h(
        "div",
        { class: "mm-posts", "data-scroll": key },
        shown.length === 0 ? h("div", { class: "mm-empty" }, isDirect ? "The bot's messages to you land here." : `Beginning of ${name}`) : null,
        ...shown.map((post) => postItem(post, postContext(false))),
      ),
      // The bot reads no direct message: the sandbox's team has no place to send one to it.
      isDirect
        ? h("div", { class: "mm-readonly" }, `${mattermost.botName} reads no messages here: use /task in a channel.`)
        : composer(key, `Write to ${name}`, async (text) => (await act("mattermost_send", { user: me, channel, text })).ok),
    );

    let threadPane: HTMLElement | null = null;
    const rootPost: UiMattermostPost | undefined = this.#thread === undefined ? undefined : visible.find((post) => post.id === this.#thread);
    if (rootPost) {
      const inThread = visible.filter((post) => post.root === rootPost.id);
      const threadContext = postContext(true);
      threadPane = h(
        "aside",
        { class: "mm-thread", "aria-label": "Thread" },
        h("header", { class: "mm-header-bar" }, h("h2", {}, "Thread ", h("span", { class: "mm-thread-where" }, name)), h("button", { type: "button", class: "mm-icon-button", "aria-label": "Close thread", onclick: () => ((this.#thread = undefined), context.redraw()) }, "×")),
        h(
          "div",
          { class: "mm-posts", "data-scroll": `thread:${rootPost.id}` },
          postItem(rootPost, threadContext),
          h("div", { class: "mm-thread-divider" }, `${inThread.length} ${inThread.length === 1 ? "reply" : "replies"}`),
          ...inThread.map((post) => postItem(post, threadContext)),
        ),
        isDirect ? null : composer(`${me}:${channel}:${rootPost.id}`, "Reply to this thread…", async (text) => (await act("mattermost_send", { user: me, channel: rootPost.channel, text, root: rootPost.id })).ok),
      );
    }

    const dialogs = mattermost.dialogs.filter((dialog) => dialog.user === me);
    const overlays: HTMLElement[] = [];
    for (const dialog of dialogs) {
      const dialogKey = `${dialog.id}:${me}`;
      let view = this.#dialogs.get(dialogKey);
      if (!view) {
        view = new MattermostDialogView(dialog, me, directory, mattermost.botName);
        this.#dialogs.set(dialogKey, view);
      }
      view.show(dialog);
      overlays.push(view.root);
    }
    for (const [dialogKey, view] of this.#dialogs) if (!dialogs.some((d) => dialogKey === `${d.id}:${me}`)) this.#dialogs.delete(dialogKey), view.root.remove();

    replace(
      root,
      h("div", { class: `mattermost${threadPane ? " with-thread" : ""}`, "data-me": me }, h("nav", { class: "mm-rail", "aria-label": "Teams" }, h("div", { class: "mm-team-icon", title: mattermost.team }, mattermost.team.slice(0, 2))), sidebar, main, threadPane, ...overlays),
    );
    this.#scroll.restore(root);
    if (focused && overlays.length === 0) focused.input.focus();
  }

  dismiss(target: Element | null): boolean {
    if (this.#menuFor === undefined || target?.closest(".mm-menu, .mm-hover-actions")) return false;
    this.#menuFor = undefined;
    return true;
  }
}
