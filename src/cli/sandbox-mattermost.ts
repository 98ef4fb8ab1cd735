/**
 * One act sent as the Mattermost server sends it to the sandbox's functions, for a Mattermost CLI:
 * the control server has the emulator build the body (a command's form with the command token and
 * a fresh trigger_id and response_url; a dialog's submission carrying the bot's signed `state`; a
 * button's action carrying its signed `context`), it is POSTed where Mattermost posts it (the
 * slash command's URL, the dialog's `url`, the button's `integration.url`), and a button's answer
 * goes back to the emulator as Mattermost takes it (the post redrawn, the presser told).
 */
import type { SandboxControlClient } from "./sandbox-control.js";
import type { SandboxFile } from "./sandbox-file.js";

/** What a person does on Mattermost that reaches the bot; `user` and `channel` are ids. */
export type MattermostAct =
  /** `/task <text>` typed in a channel. */
  | { kind: "command"; user: string; channel: string; text: string }
  /** The dialog the bot opened (its index among the dialogs opened), submitted with these values by element name. */
  | { kind: "submit"; user: string; dialog: number; values: Record<string, string | null> }
  /** A message button pressed, by its name, on a post. */
  | { kind: "click"; user: string; post: string; button: string };

/** What came of it: the functions' HTTP status and answer (JSON when it was). */
export interface MattermostOutcome {
  status: number;
  answer: Record<string, unknown> | undefined;
  text: string;
  /** A command's response_url: where the bot's later answers to it go. */
  responseUrl?: string | undefined;
}

/** How long the CLI waits for the functions' answer (netlify dev's first request builds the function). */
const ANSWER_WAIT_MS = 60_000;

/** Sends one act; rejects with SandboxRefused when what it names is not there, and the transport's error when the functions do not answer. */
export async function sendMattermostAct(file: SandboxFile, control: SandboxControlClient, act: MattermostAct): Promise<MattermostOutcome> {
  switch (act.kind) {
    case "command": {
      const body = await control.mattermost.commandBody({ text: act.text, user: act.user, channel: act.channel });
      const outcome = await post(file.mattermost.commandsUrl, body, "application/x-www-form-urlencoded");
      return { ...outcome, responseUrl: new URLSearchParams(body).get("response_url") ?? undefined };
    }
    case "submit": {
      const { url, body } = await control.mattermost.submission({ dialog: act.dialog, values: act.values, user: act.user });
      return post(url, JSON.stringify(body), "application/json");
    }
    case "click": {
      const { url, body } = await control.mattermost.action({ post: act.post, button: act.button, user: act.user });
      const outcome = await post(url, JSON.stringify(body), "application/json");
      // Mattermost applies a 200's answer: an `update` redraws the post, an `ephemeral_text` is shown to the presser.
      if (outcome.status === 200) await control.mattermost.actionAnswer({ post: act.post, user: act.user, body: outcome.answer ?? {} });
      return outcome;
    }
  }
}

async function post(url: string, body: string, contentType: string): Promise<MattermostOutcome> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": contentType }, body, signal: AbortSignal.timeout(ANSWER_WAIT_MS) });
  const text = await response.text();
  let answer: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    answer = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    answer = undefined;
  }
  return { status: response.status, answer, text };
}
