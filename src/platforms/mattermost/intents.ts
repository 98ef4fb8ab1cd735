/**
 * Mattermost's requests as the port's Intents. `/task` text reads as Slack's does (a known
 * subcommand word, else a title), and the two message shortcuts, which Mattermost has no place for
 * without a server plugin, are `/task remind <permalink>` and `/task from <permalink>`: the post is
 * read through GET /api/v4/posts/{id} on MATTERMOST_URL only, so a permalink to another server is
 * answered, never followed. A dialog's submission and a button's action are trusted only through
 * what the bot signed (signed.ts); anything else is refused before it becomes an intent.
 */
import type { ChatMessage, IntentOf } from "../../chat/intent.js";
import type { Person, Place } from "../../chat/model.js";
import type { MattermostAction, MattermostCommand, MattermostDialogSubmission } from "./payloads.js";
import { buttonOf, formOf } from "./render.js";
import type { MattermostPost } from "./rest.js";
import { verifyPayload } from "./signed.js";

/** The `/task` words that stand for the message shortcuts, with the shortcut each names (routes.ts's keys, as Slack's callback_ids). */
export const POST_SHORTCUTS = /* @__PURE__ */ Object.freeze({ remind: "remind_process", from: "create_task" } as const);

/** What a slash command's text asks for: an intent at once, a post to read first, or an answer that needs no route. */
export type CommandReading =
  | { kind: "intent"; intent: IntentOf<"ask_for_task"> | IntentOf<"subcommand"> }
  | { kind: "post"; shortcut: string; postId: string; person: Person; place: Place }
  | { kind: "answer"; text: string; outcome: string };

/**
 * Reads `/task` text: a known subcommand word (any case); `remind` or `from` and one link, a
 * permalink to a post on `serverUrl` (else a clear answer); any other text is a title.
 */
export function readCommand(command: MattermostCommand, subcommands: ReadonlySet<string>, serverUrl: string): CommandReading {
  const person = personOf(command.team_id, command.user_id, command.user_name);
  const place: Place = { platform: "mattermost", workspace: command.team_id, conversation: command.channel_id };
  const text = command.text.trim();
  const [first = "", ...others] = text.split(/\s+/);
  const word = first.toLowerCase();
  if (others.length === 0 && subcommands.has(word)) return { kind: "intent", intent: { kind: "subcommand", person, place, name: word, rest: "" } };
  if (Object.hasOwn(POST_SHORTCUTS, word) && others.length === 1 && /^https?:\/\//i.test(others[0]!)) {
    const found = postIdOf(others[0]!, serverUrl);
    if (found.kind === "elsewhere") return { kind: "answer", text: `That link is to another server. I can only read posts on ${new URL(serverUrl).host}: use a post's Copy Link there.`, outcome: "permalink_elsewhere" };
    if (found.kind === "not_a_post") return { kind: "answer", text: "That link isn't to a post. Use a post's ... menu -> Copy Link, then /task " + word + " <link>.", outcome: "not_a_permalink" };
    return { kind: "post", shortcut: POST_SHORTCUTS[word as keyof typeof POST_SHORTCUTS], postId: found.postId, person, place };
  }
  return { kind: "intent", intent: { kind: "ask_for_task", person, place, text } };
}

/**
 * The post a permalink names: `<site>/<team>/pl/<id>` or `<site>/_redirect/pl/<id>`, on the site's
 * origin and under its path (a site at https://example.com/chat has its permalinks there).
 */
export function postIdOf(link: string, serverUrl: string): { kind: "post"; postId: string } | { kind: "elsewhere" } | { kind: "not_a_post" } {
  if (!URL.canParse(link)) return { kind: "not_a_post" };
  const url = new URL(link);
  const server = new URL(serverUrl);
  if (url.origin !== server.origin) return { kind: "elsewhere" };
  const base = server.pathname.replace(/\/+$/, "");
  if (!url.pathname.startsWith(`${base}/`)) return { kind: "elsewhere" };
  const match = url.pathname.slice(base.length).match(/^\/[a-z0-9_-]{1,64}\/pl\/([a-z0-9]{26})\/?$/);
  return match ? { kind: "post", postId: match[1]! } : { kind: "not_a_post" };
}

/** The message a shortcut acts on, from the post as the API returned it; its author only when a person wrote it. */
export function messageOfPost(post: MattermostPost, workspace: string, serverUrl: string): ChatMessage {
  const props = post.props ?? {};
  const byPerson = post.type === "" && props.from_bot !== "true" && props.from_webhook !== "true";
  return {
    place: { platform: "mattermost", workspace, conversation: post.channel_id, ...(post.root_id ? { thread: post.root_id } : {}), message: post.id },
    author: byPerson ? personOf(workspace, post.user_id, "") : undefined,
    text: post.message,
    link: permalinkOf(serverUrl, post.id),
  };
}

/** A link any member opens on the post, whatever its team (Mattermost redirects `_redirect` to it). */
export function permalinkOf(serverUrl: string, postId: string): string {
  return `${serverUrl}/_redirect/pl/${postId}`;
}

export type SignedReading<T> = { ok: true; intent: T } | { ok: false; reason: "forged" | "expired" };

/**
 * A dialog's submission as an intent, when its state is one the bot signed for this form and this
 * person and is not past its time; values by element name (a cleared one is undefined).
 */
export function intentOfDialog(submission: MattermostDialogSubmission, signingKey: Buffer, nowMs: number): SignedReading<IntentOf<"submit_form">> {
  const verified = verifyPayload(signingKey, submission.state, nowMs);
  if (!verified.ok) return verified;
  const form = formOf(verified.payload);
  // Signed, but for another form or person: a state copied from elsewhere.
  if (form === undefined || form.form !== submission.callback_id || form.userId !== submission.user_id) return { ok: false, reason: "forged" };
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(submission.submission ?? {})) {
    const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
    values[name] = text === undefined || text.trim() === "" ? undefined : text;
  }
  return {
    ok: true,
    intent: {
      kind: "submit_form",
      person: personOf(submission.team_id, submission.user_id, form.userName ?? ""),
      place: submission.channel_id ? { platform: "mattermost", workspace: submission.team_id, conversation: submission.channel_id } : undefined,
      form: form.form,
      instance: form.instance,
      values,
      context: form.context,
    },
  };
}

/** A button's action as an intent, when its context is one the bot signed and not past its time. */
export function intentOfAction(action: MattermostAction, signingKey: Buffer, nowMs: number): SignedReading<IntentOf<"button">> {
  const verified = verifyPayload(signingKey, action.context?.signed, nowMs);
  if (!verified.ok) return verified;
  const button = buttonOf(verified.payload);
  if (button === undefined) return { ok: false, reason: "forged" };
  const message: Place = { platform: "mattermost", workspace: action.team_id, conversation: action.channel_id, message: action.post_id };
  return {
    ok: true,
    intent: {
      kind: "button",
      person: personOf(action.team_id, action.user_id, action.user_name),
      place: { platform: "mattermost", workspace: action.team_id, conversation: action.channel_id },
      action: button.action,
      value: button.value,
      rowId: button.rowId,
      message,
    },
  };
}

function personOf(team: string, userId: string, userName: string): Person {
  return { platform: "mattermost", workspace: team, userId, displayName: userName || undefined };
}
