/**
 * What the sandbox's page shows, built from the control server's state (the emulators) and from what
 * only Slack's own client knows: the replies and response_url posts it showed, which message each
 * answered, and which modals are open on whose screen. Slack keeps those in the client too: they
 * are gone after a reload, as here after a restart.
 */
import { existsSync, readFileSync } from "node:fs";
import * as z from "zod/mini";
import { propertyText, type PagePropertyValue } from "../notion/properties.js";
import type { SandboxBoard, SandboxPage, SandboxState } from "./sandbox-control.js";
import { readManifest, type SlackManifest } from "./manifest.js";
import type { UiBoard, UiMessage, UiModal, UiSnapshot, UiTask } from "../../sandbox-ui/shapes.js";

/** Where an answer belongs: the conversation, the person, and the message it answers (for replace_original). */
export interface AnswerOrigin {
  channel: string;
  user: string;
  thread_ts?: string | undefined;
  /** The UiMessage id the request came from: a click's message, a shortcut's message. */
  target?: string | undefined;
}

/** A body Slack's client showed: a request's reply (a slash command's), at a time. */
interface Reply extends AnswerOrigin {
  at: number;
  body: Record<string, unknown>;
}

/** What Slack's client knows that the Slack emulator does not keep. */
export class SlackClientState {
  readonly replies: Reply[] = [];
  /** Each response_url's origin, for those the page minted. */
  readonly origins = new Map<string, AnswerOrigin>();
  /** trigger_id → who acted: the modal opened with it opens on their screen. */
  readonly pendingTriggers = new Map<string, string>();
  /** Open modals by view id: whose screen, a view a `response_action: "update"` put in its place, errors. */
  readonly modals = new Map<string, { user: string; replaced?: { hash: string; view: Record<string, unknown> }; errors: Record<string, string> }>();
}

let manifest: SlackManifest | undefined;
/** manifest.yml, read once: the app's commands, shortcuts and names do not change while the sandbox runs. */
export function appManifest(): SlackManifest {
  return (manifest ??= readManifest());
}

const channelFile = z.object({ channels: z.array(z.looseObject({ id: z.string(), name: z.string(), isMember: z.optional(z.boolean()), isIm: z.optional(z.boolean()), isPrivate: z.optional(z.boolean()) })) });

/** Public channels the bot is in, read from the Slack emulator's state file (its API has no list): where the app can be used. */
function channelsWithTheBot(slackStatePath: string): { id: string; name: string }[] {
  if (!existsSync(slackStatePath)) return [];
  const parsed = channelFile.safeParse(JSON.parse(readFileSync(slackStatePath, "utf8")));
  if (!parsed.success) return [];
  return parsed.data.channels.filter((c) => c.isMember !== false && !c.isIm && !c.isPrivate).map(({ id, name }) => ({ id, name }));
}

/** "seconds.micros" of a time in ms: an answer's place among messages. */
function tsAt(ms: number): string {
  return (ms / 1000).toFixed(6);
}

function visibleBody(body: Record<string, unknown>): boolean {
  return typeof body.text === "string" || Array.isArray(body.blocks);
}

/** The messages as people see them: posts, then each reply and response_url post placed, replacing or deleting what it answers. */
export function messagesOf(state: SandboxState, client: SlackClientState): UiMessage[] {
  const messages: UiMessage[] = state.messages.map((m) => ({
    id: `${m.channel}/${m.ts}`,
    channel: m.channel,
    ts: m.ts,
    thread_ts: m.thread_ts,
    author: m.author,
    visibleTo: m.kind === "ephemeral" ? m.user : undefined,
    text: m.text,
    blocks: m.blocks,
  }));
  const answers = [
    ...client.replies.map((reply, index) => ({ ...reply, id: `answer:r${index}`, via: "reply" as const })),
    ...state.responses.map((response, index) => {
      const origin = client.origins.get(response.url) ?? { channel: response.channel ?? "", user: response.user ?? "" };
      return { ...origin, at: response.at, body: response.body, id: `answer:u${index}`, via: "response_url" as const };
    }),
  ].sort((a, b) => a.at - b.at);
  for (const answer of answers) {
    const { body } = answer;
    const target = answer.target === undefined ? -1 : messages.findIndex((m) => m.id === answer.target);
    if (body.delete_original === true && target !== -1) {
      messages.splice(target, 1);
      continue;
    }
    if (!visibleBody(body)) continue;
    const content = { text: typeof body.text === "string" ? body.text : "", blocks: Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined };
    if (body.replace_original === true && target !== -1) {
      // A replacement keeps the original's place and visibility, unless it says otherwise.
      const original = messages[target]!;
      messages[target] = { ...original, ...content, edited: true, ...(body.response_type === "in_channel" ? { visibleTo: undefined } : {}) };
      continue;
    }
    messages.push({
      id: answer.id,
      channel: answer.channel,
      ts: tsAt(answer.at),
      thread_ts: answer.thread_ts,
      visibleTo: body.response_type === "in_channel" ? undefined : answer.user,
      ...content,
      via: answer.via,
    });
  }
  return messages.sort((a, b) => Number(a.ts) - Number(b.ts));
}

/** The modals open on someone's screen: those the page's own actions opened, as last drawn. */
export function modalsOf(state: SandboxState, client: SlackClientState): UiModal[] {
  for (const view of state.views) {
    const user = view.trigger_id === undefined ? undefined : client.pendingTriggers.get(view.trigger_id);
    if (user === undefined) continue;
    client.pendingTriggers.delete(view.trigger_id!);
    client.modals.set(view.id, { user, errors: {} });
  }
  const open: UiModal[] = [];
  for (const [id, modal] of client.modals) {
    const view = state.views.find((v) => v.id === id);
    if (!view) continue;
    // The bot's own views.update since the reply's replacement wins: it is newer.
    const shown = modal.replaced && modal.replaced.hash === view.hash ? modal.replaced.view : view.view;
    open.push({ id, user: modal.user, view: shown, errors: modal.errors });
  }
  return open;
}

/** The board as Notion's table shows it: every task not in the trash, newest first. */
export function boardOf(board: SandboxBoard, pages: readonly SandboxPage[]): UiBoard {
  const status = Object.values(board.properties).find((property) => property.type === "status") as { status?: { options?: { name: string; color?: string }[] } } | undefined;
  const text = (page: SandboxPage, name: string) => propertyText(page.properties[name] as PagePropertyValue | undefined);
  const titleName = Object.entries(board.properties).find(([, property]) => property.type === "title")?.[0] ?? "Name";
  const tasks: UiTask[] = pages
    .filter((page) => !page.in_trash)
    .map((page) => ({
      id: page.id,
      title: text(page, titleName) || "Untitled",
      status: text(page, "Status"),
      priority: text(page, "Priority"),
      due: text(page, "Due"),
      requester: text(page, "Requested by"),
      assignee: text(page, "Assignee"),
      slackLink: text(page, "Slack link"),
      url: page.url,
      lastEdited: page.last_edited_time,
    }))
    .reverse();
  return { title: "Tasks", statuses: (status?.status?.options ?? []).map((o) => ({ name: o.name, color: o.color ?? "default" })), tasks };
}

/** The whole snapshot the page draws. */
export function buildSnapshot(input: { state: SandboxState; board: SandboxBoard; client: SlackClientState; slackStatePath: string; domain: string; env: Record<string, string> }): UiSnapshot {
  const { state } = input;
  const manifest = appManifest();
  const bot = state.users.find((user) => user.name === manifest.features.bot_user.display_name);
  return {
    workspace: { domain: input.domain, botUserId: bot?.id ?? "U0BOT", botName: manifest.features.bot_user.display_name },
    people: state.users.filter((user) => user.id !== bot?.id).map(({ id, name }) => ({ id, name })),
    channels: channelsWithTheBot(input.slackStatePath),
    messages: messagesOf(state, input.client),
    modals: modalsOf(state, input.client),
    homes: state.homes.map(({ user, view }) => ({ user, view })),
    commands: (manifest.features.slash_commands ?? []).map((c) => ({ command: c.command, description: c.description, usageHint: c.usage_hint ?? "" })),
    shortcuts: (manifest.features.shortcuts ?? []).filter((s) => s.type === "message").map((s) => ({ name: s.name, callbackId: s.callback_id, description: s.description })),
    messagesReadOnly: manifest.features.app_home?.messages_tab_read_only_enabled === true,
    board: boardOf(input.board, state.pages),
    reviewChannel: input.env.SLACK_REVIEW_CHANNEL_ID ?? "",
  };
}
