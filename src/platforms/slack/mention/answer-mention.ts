/**
 * `@chatops …` in a channel: `help`, `list` and `review` are answered in the thread as `/task help`,
 * `/task list` and `/task review` answer (the same subcommands); anything else gets a short reply in
 * the thread with a *Create task from this* button. Events carry no trigger_id, so the button is what
 * opens the form: its click does, prefilled from the mention, linked to the thread's root message.
 */
import { describeError } from "../../../log.js";
import { actions, button, section } from "../blocks.js";
import type { MessageContent } from "../client.js";
import { mentionedText, plainTextFrom } from "../message.js";
import { botUserIdOf, type AppMention, type EventCallback } from "../payloads.js";
import { answerPrivately } from "../answer-privately.js";
import type { SlackContext } from "../context.js";
import { encodeReminderButton, type ReminderButton } from "../../../features/process-reminder/reminder-message.js";
import type { Asker } from "../../../features/subcommand.js";

/** A subcommand answering in Slack's words: a port subcommand's Card drawn as Block Kit (routes.ts), for a reply in the mention's thread. */
export type SlackSubcommand = (asker: Asker, ctx: SlackContext) => Promise<MessageContent>;

/**
 * The reply's button. Its value is the reminder button's (reminder-message.ts: channel, message ts,
 * author, a bounded excerpt), so one route opens the form from either: the message is the thread's root.
 */
export const CREATE_TASK_FROM_MENTION_ACTION = "create_task_from_mention";

/** After the acknowledgement: the answer, in the mention's thread; privately when the thread refuses it. */
export async function answerMention(callback: EventCallback<AppMention>, ctx: SlackContext, subcommands: Readonly<Record<string, SlackSubcommand>>): Promise<void> {
  const { event } = callback;
  // The handler lets only a person's mention through.
  const userId = event.user!;
  // A mention in a thread is answered there, and the task links the thread's root; else it starts one.
  const root = event.thread_ts ?? event.ts;
  const said = mentionedText(event.text, botUserIdOf(callback));
  const word = said.toLowerCase();
  // A bare mention has nothing to make a task of: it gets the help.
  const name = word === "" ? "help" : word;
  const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  const reply = subcommand
    ? await subcommand({ platform: "slack", workspace: callback.team_id, userId }, ctx)
    : buildMentionReply({ message: { platform: "slack", workspace: callback.team_id, conversation: event.channel, message: root }, authorId: userId, excerpt: plainTextFrom(said) });
  ctx.log.info("mention.answering", { answer: subcommand ? name : "offer_task", in_thread: event.thread_ts !== undefined });
  try {
    await ctx.slack.postMessage(event.channel, { ...reply, threadTs: root });
  } catch (error) {
    ctx.log.warn("mention.reply_failed", { channel: event.channel, ...describeError(error) });
    // Only the person who mentioned the bot sees it then: ephemeral in the channel, else a direct message.
    await answerPrivately(ctx, { userId, channelId: event.channel }, reply);
  }
}

/** The reply to a mention that is not a subcommand: a short offer and the button. Pure. */
export function buildMentionReply(source: ReminderButton): MessageContent {
  const text = "Want this on the team's board? Press the button: I'll fill the task form in from your message, linked to this thread.";
  return {
    text,
    blocks: [
      section(text),
      actions([button({ actionId: CREATE_TASK_FROM_MENTION_ACTION, text: "Create task from this", style: "primary", value: encodeReminderButton(source) })]),
    ],
  };
}
