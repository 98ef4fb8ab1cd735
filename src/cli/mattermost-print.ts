/**
 * How `npm run mattermost` shows what happened, as Mattermost would show it: the functions' answer to
 * a command, a dialog or a button, and a post with its attachments and buttons (where, by whom, for
 * whom alone). Pure: it writes through `say`.
 */
import type { MattermostSandboxPost, MattermostSandboxState } from "./sandbox-control-mattermost.js";
import type { MattermostOutcome } from "./sandbox-mattermost.js";

/** Writes one line of the CLI's output. */
export type Say = (text?: string) => void;

/** The functions' HTTP answer as Mattermost shows it: a command's ephemeral text, a dialog's errors, a button's ephemeral_text. */
export function printAnswer(say: Say, outcome: MattermostOutcome, kind: "command" | "dialog" | "action"): void {
  if (outcome.status !== 200) {
    say(`Mattermost shows an error: the functions answered ${outcome.status} (${outcome.text.slice(0, 200)}). The function log says why.`);
    return;
  }
  const answer = outcome.answer ?? {};
  if (kind === "command" && typeof answer["text"] === "string" && answer["text"] !== "") say(`Only you: ${answer["text"]}`);
  if (kind === "dialog") {
    const errors = answer["errors"];
    if (typeof errors === "object" && errors !== null && Object.keys(errors).length > 0) {
      say("The dialog stays open, what was typed kept:");
      for (const [field, error] of Object.entries(errors)) say(`  ${field}: ${String(error)}`);
    } else if (typeof answer["error"] === "string") say(`The dialog stays open: ${answer["error"]}`);
    else say("The dialog closes.");
  }
  if (kind === "action" && typeof answer["ephemeral_text"] === "string") say(`Only you: ${answer["ephemeral_text"]}`);
}

/** Whether a dialog stays open after the bot's 200 answer to its submission: Mattermost closes it unless the answer has `errors` or an `error` (as the page's server decides too). */
export function dialogStaysOpen(answer: Record<string, unknown>): boolean {
  const { errors, error } = answer;
  return (typeof errors === "object" && errors !== null && Object.keys(errors).length > 0) || (typeof error === "string" && error !== "");
}

/** A post as Mattermost shows it, after `heading` ("New post", "Redrawn post", "Post"): where, by whom, for whom alone, its text, attachments and buttons. */
export function printPost(say: Say, state: MattermostSandboxState, post: MattermostSandboxPost, heading: string): void {
  const channel = state.channels.find((candidate) => candidate.id === post.channel_id);
  const direct = state.directs.find((candidate) => candidate.channel === post.channel_id);
  const where = channel ? `~${channel.name}` : direct ? `a direct message to @${nameOf(state, direct.user)}` : post.channel_id;
  const thread = post.root_id === "" ? "" : `, in the thread of ${post.root_id}`;
  const who = post.ephemeralFor === undefined ? "" : ` (only @${nameOf(state, post.ephemeralFor)} sees it)`;
  say(`${heading} ${post.id} in ${where}${thread}, by @${nameOf(state, post.user_id)}${who}:`);
  if (post.message !== "") say(indent(post.message));
  for (const attachment of attachmentsOf(post)) {
    for (const key of ["pretext", "title", "text"] as const) if (typeof attachment[key] === "string" && attachment[key] !== "") say(indent(attachment[key]));
    const fields = Array.isArray(attachment["fields"]) ? (attachment["fields"] as Record<string, unknown>[]) : [];
    for (const field of fields) say(indent(`${String(field["title"])}: ${String(field["value"])}`));
  }
  const buttons = buttonsOf(post);
  if (buttons.length > 0) say(`  ${buttons.map((name) => `[${name}]`).join(" ")}`);
}

function attachmentsOf(post: MattermostSandboxPost): Record<string, unknown>[] {
  const attachments = post.props["attachments"];
  return Array.isArray(attachments) ? attachments.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null) : [];
}

/** The labels of a post's buttons, in order. */
export function buttonsOf(post: MattermostSandboxPost): string[] {
  return attachmentsOf(post).flatMap((attachment) => (Array.isArray(attachment["actions"]) ? (attachment["actions"] as Record<string, unknown>[]).map((action) => String(action["name"])) : []));
}

/** A person's username by id (the bot's is chatops), else the id. */
export function nameOf(state: MattermostSandboxState, id: string): string {
  return id === state.botId ? "chatops" : (state.people.find((person) => person.id === id)?.name ?? id);
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  │ ${line}`)
    .join("\n");
}
