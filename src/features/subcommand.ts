/**
 * A subcommand's work (`/task list`, `/task review`, `/task help`), apart from how its answer
 * reaches the person: privately through the interaction's Reply here, or as a reply in a thread when
 * they mention the bot (platforms/slack/mention).
 */
import type { Card, IntentOf, Person } from "../chat/model.js";
import type { MessageContent } from "../platforms/slack/client.js";
import type { SlashCommand } from "../platforms/slack/payloads.js";
import { acknowledge, ephemeral } from "../platforms/slack/responses.js";
import { answerPrivately } from "./answer.js";
import type { FeatureContext, InteractionContext } from "./context.js";
import { settleWithin } from "./settle-within.js";
import { TASK_COMMAND } from "./task-request/request-task.js";

/** Who asked. */
export type Asker = Pick<Person, "platform" | "workspace" | "userId">;

/** The answer for the person who asked, a failure included (told in words they can act on): never rejects. */
export type Subcommand = (asker: Asker, ctx: FeatureContext) => Promise<Card>;

/**
 * The port's route for a subcommand: its answer privately at once (Slack: the command's ephemeral
 * response) if it is ready before the deadline (Notion answering in time), else privately when it is.
 */
export function answerSubcommand(subcommand: Subcommand): (intent: IntentOf<"subcommand">, ctx: InteractionContext) => Promise<void> {
  return async (intent, ctx) => {
    const answering = subcommand(intent.person, ctx);
    const settled = await settleWithin(answering, ctx.deadline.remainingMs());
    if (settled.state === "fulfilled") return ctx.reply.tellPrivately(settled.value);
    // A subcommand never rejects; if one did, serve.ts's one place for unexpected errors says so.
    if (settled.state === "rejected") throw settled.error;
    ctx.defer(`finish ${TASK_COMMAND} ${intent.name}`, async () => ctx.reply.tellPrivately(await answering));
  };
}

/** A subcommand still answering in Slack's words (`/task review`, until the weekly review builds a Card). */
export type SlackSubcommand = (asker: Asker, ctx: FeatureContext) => Promise<MessageContent>;

/**
 * Answers a slash command with a Slack subcommand's answer: at once, ephemerally, if it is ready
 * before the deadline, else through the response_url when it is (answerSubcommand's rule).
 */
export async function answerSlashCommand(command: SlashCommand, subcommand: SlackSubcommand, name: string, ctx: FeatureContext): Promise<Response> {
  const answering = subcommand({ platform: "slack", workspace: command.team_id, userId: command.user_id }, ctx);
  const settled = await settleWithin(answering, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") return ephemeral(settled.value.text, settled.value.blocks);
  // A subcommand never rejects; if one did, serve.ts's one place for unexpected errors says so.
  if (settled.state === "rejected") throw settled.error;
  const to = { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id };
  ctx.defer(`finish ${command.command} ${name}`, async () => answerPrivately(ctx, to, await answering));
  return acknowledge();
}
