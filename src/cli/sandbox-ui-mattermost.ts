/**
 * Mattermost on the sandbox's page: what the page draws of the team (built from the Mattermost
 * emulator through the control server, and from what only Mattermost's web app knows: which dialogs
 * are still open on whose screen, and what their last submission was answered with), and the page's
 * Mattermost actions, each posted to the functions as the Mattermost server posts it
 * (sandbox-mattermost.ts: the command token, the bot's signed state and context), here on the
 * server, never in the page. A command's answer, and what the bot later posts to its response_url,
 * becomes the post Mattermost makes of it (ephemeral unless in_channel), so its buttons can be pressed.
 */
import * as z from "zod/mini";
import type { UiActions, UiMattermost, UiResult } from "../../sandbox-ui/shapes.js";
import type { SandboxControlClient } from "./sandbox-control.js";
import type { MattermostSandboxState } from "./sandbox-control-mattermost.js";
import { sendMattermostAct, type MattermostAct, type MattermostOutcome } from "./sandbox-mattermost.js";
import type { SandboxFile } from "./sandbox-file.js";

/** The one slash command the sandbox's team has: the bot's. */
const COMMAND = "/task";

/** What Mattermost's web app knows that the emulator's state does not say: a dialog's last answer, each page command's origin (the control server keeps which dialogs are closed). */
export class MattermostClientState {
  /** The last answer to a dialog that stays open: `{ errors }` by element name, or `{ error }`. */
  readonly dialogAnswers = new Map<number, { errors: Record<string, string>; error?: string | undefined }>();
  /** Each response_url of a command the page sent: the channel and person its answers are shown to. */
  readonly origins = new Map<string, { channel: string; user: string }>();
  /** How many of the emulator's response_url bodies were looked at: each is shown once. */
  responsesSeen = 0;
}

/** The team as its people see it; `site` is the emulator's URL and team name, for permalinks. */
export function mattermostSnapshot(state: MattermostSandboxState, client: MattermostClientState, site: { url: string; teamName: string; botName: string }): UiMattermost {
  return {
    team: site.teamName,
    botId: state.botId,
    botName: site.botName,
    people: state.people,
    channels: state.channels,
    directs: state.directs,
    posts: state.posts.map((post) => {
      const attachments = post.props["attachments"];
      return {
        id: post.id,
        channel: post.channel_id,
        author: post.user_id,
        root: post.root_id,
        message: post.message,
        attachments: Array.isArray(attachments) ? attachments : [],
        ...(post.ephemeralFor === undefined ? {} : { ephemeralTo: post.ephemeralFor }),
        edited: post.edited,
        at: post.create_at,
        permalink: `${site.url}/${site.teamName}/pl/${post.id}`,
      };
    }),
    dialogs: state.dialogs.flatMap((dialog, index) => {
      if (dialog.closed) return [];
      const answer = client.dialogAnswers.get(index);
      return [{ id: index, user: dialog.userId, dialog: dialog.dialog, errors: answer?.errors ?? {}, ...(answer?.error === undefined ? {} : { error: answer.error }) }];
    }),
  };
}

/**
 * The team's state after Mattermost has shown what the bot posted to the page's commands' response_urls
 * (each once, as the post Mattermost makes of it); a response_url the page did not mint (the CLI's) is left as it is.
 */
export async function mattermostState(control: SandboxControlClient, client: MattermostClientState): Promise<MattermostSandboxState> {
  const state = await control.mattermost.state();
  // Claimed before any await: two snapshots built at once show each body once.
  const fresh = state.responses.slice(client.responsesSeen);
  client.responsesSeen = state.responses.length;
  let shown = false;
  for (const response of fresh) {
    const origin = client.origins.get(response.url);
    if (!origin) continue;
    await control.mattermost.commandAnswer({ channel: origin.channel, user: origin.user, body: response.body });
    shown = true;
  }
  return shown ? control.mattermost.state() : state;
}

/** What the page's Mattermost actions need: the control server, the sandbox file (the functions' URLs), and what the web app keeps. */
export interface MattermostActionContext {
  control: SandboxControlClient;
  file: SandboxFile;
  mattermost: MattermostClientState;
}

/** The functions' failure, as Mattermost's web app reports it; undefined for a 200. */
function failureOf(outcome: MattermostOutcome, what: string): UiResult | undefined {
  if (outcome.status === 200) return undefined;
  return { ok: false, notice: `${what} failed: the functions answered ${outcome.status}${outcome.text ? ` (${outcome.text.slice(0, 200)})` : ""}. The function log says why.` };
}

async function send(context: MattermostActionContext, act: MattermostAct): Promise<MattermostOutcome> {
  return sendMattermostAct(context.file, context.control, act);
}

/** `/task <text>` from `channel`: its answer shown as Mattermost shows it, its response_url remembered for what comes later. */
async function runCommand(context: MattermostActionContext, input: { user: string; channel: string; text: string }): Promise<UiResult> {
  const outcome = await send(context, { kind: "command", user: input.user, channel: input.channel, text: input.text });
  if (outcome.responseUrl) context.mattermost.origins.set(outcome.responseUrl, { channel: input.channel, user: input.user });
  const failure = failureOf(outcome, COMMAND);
  if (failure) return failure;
  if (outcome.answer) await context.control.mattermost.commandAnswer({ channel: input.channel, user: input.user, body: outcome.answer });
  return { ok: true };
}

/** A line typed in a channel or a thread: `/task …` is the command, another `/word` one the team does not have, anything else a post. */
async function mattermostSend(context: MattermostActionContext, input: UiActions["mattermost_send"]): Promise<UiResult> {
  const text = input.text.trim();
  if (text === "") return { ok: true };
  const command = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
  if (command) {
    // The web app's own words for a trigger no command has.
    if (command[1] !== COMMAND) return { ok: false, notice: `Command with a trigger of '${command[1]!.slice(1)}' not found. This team has ${COMMAND}.` };
    return runCommand(context, { user: input.user, channel: input.channel, text: command[2]!.trim() });
  }
  try {
    await context.control.mattermost.postMessage({ channel: input.channel, author: input.user, message: input.text, ...(input.root === undefined ? {} : { root: input.root }) });
    return { ok: true };
  } catch (error) {
    return { ok: false, notice: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Remind of process and Create task on a post: without a server plugin Mattermost has no place for
 * an app in a post's menu, so they are the slash command with the post's permalink, run in its channel.
 */
async function mattermostPostAction(context: MattermostActionContext, input: UiActions["mattermost_post_action"]): Promise<UiResult> {
  const state = await context.control.mattermost.state();
  const post = state.posts.find((candidate) => candidate.id === input.post && candidate.ephemeralFor === undefined);
  if (!post) return { ok: false, notice: "That post is gone, or only one person sees it: Copy Link works on posts in a channel." };
  return runCommand(context, { user: input.user, channel: post.channel_id, text: `${input.action} ${context.file.mattermost.url}/${context.file.mattermost.teamName}/pl/${post.id}` });
}

async function mattermostClick(context: MattermostActionContext, input: UiActions["mattermost_click"]): Promise<UiResult> {
  const outcome = await send(context, { kind: "click", user: input.user, post: input.post, button: input.button });
  return failureOf(outcome, `[${input.button}]`) ?? { ok: true };
}

/** Mattermost closes a dialog on a 200 without `errors` or `error`; with them it stays open, what was typed kept, each error under its element. */
async function mattermostSubmit(context: MattermostActionContext, input: UiActions["mattermost_submit"]): Promise<UiResult> {
  const outcome = await send(context, { kind: "submit", user: input.user, dialog: input.dialog, values: input.values });
  const failure = failureOf(outcome, "The dialog");
  if (failure) return failure;
  const errors = outcome.answer?.["errors"];
  const error = outcome.answer?.["error"];
  if ((typeof errors === "object" && errors !== null && Object.keys(errors).length > 0) || (typeof error === "string" && error !== "")) {
    const fields = typeof errors === "object" && errors !== null ? Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => typeof entry[1] === "string")) : {};
    context.mattermost.dialogAnswers.set(input.dialog, { errors: fields, ...(typeof error === "string" && error !== "" ? { error } : {}) });
    return { ok: true };
  }
  await context.control.mattermost.closeDialog(input.dialog);
  context.mattermost.dialogAnswers.delete(input.dialog);
  return { ok: true };
}

type MattermostActionName = Extract<keyof UiActions, `mattermost_${string}`>;

/** The page's Mattermost actions, by name (sandbox-ui-actions.ts runs them). */
export const MATTERMOST_ACTIONS: { [name in MattermostActionName]: (context: MattermostActionContext, input: UiActions[name]) => Promise<UiResult> } = {
  mattermost_send: mattermostSend,
  mattermost_post_action: mattermostPostAction,
  mattermost_click: mattermostClick,
  mattermost_submit: mattermostSubmit,
  // notify_on_cancel is false on the bot's dialogs: Mattermost tells the bot nothing.
  mattermost_close: async (context, input) => {
    await context.control.mattermost.closeDialog(input.dialog);
    return { ok: true };
  },
};

const id = z.string().check(z.minLength(1));
const index = z.number().check(z.int(), z.nonnegative());
/** Each Mattermost action's input, checked at the boundary as the others are. */
export const MATTERMOST_ACTION_INPUTS: { [name in MattermostActionName]: z.ZodMiniType<UiActions[name]> } = {
  mattermost_send: z.object({ user: id, channel: id, text: z.string(), root: z.optional(id) }),
  mattermost_post_action: z.object({ user: id, post: id, action: z.enum(["remind", "from"]) }),
  mattermost_click: z.object({ user: id, post: id, button: id }),
  mattermost_submit: z.object({ user: id, dialog: index, values: z.record(z.string(), z.nullable(z.string())) }),
  mattermost_close: z.object({ user: id, dialog: index }),
};
