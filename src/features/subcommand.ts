/**
 * A subcommand's work (`/task list`, `/task review`, `/task help`), apart from how its answer
 * reaches the person: as the slash command's response here, or as a reply in a thread when they
 * mention the bot (platforms/slack/mention).
 */
import type { MessageContent } from "../platforms/slack/client.js";
import type { SlashCommand } from "../platforms/slack/payloads.js";
import { acknowledge, ephemeral } from "../platforms/slack/responses.js";
import { answerPrivately } from "./answer.js";
import type { FeatureContext } from "./context.js";
import { settleWithin } from "./settle-within.js";

/** Who asked. */
export interface Asker {
  userId: string;
}

/** The answer for the person who asked, a failure included (told in words they can act on): never rejects. */
export type Subcommand = (asker: Asker, ctx: FeatureContext) => Promise<MessageContent>;

/**
 * Answers a slash command with a subcommand's answer: at once, ephemerally, if it is ready before the
 * deadline (Notion answering in time), else through the response_url when it is.
 */
export async function answerSlashCommand(command: SlashCommand, subcommand: Subcommand, name: string, ctx: FeatureContext): Promise<Response> {
  const answering = subcommand({ userId: command.user_id }, ctx);
  const settled = await settleWithin(answering, ctx.deadline.remainingMs());
  if (settled.state === "fulfilled") return ephemeral(settled.value.text, settled.value.blocks);
  // A subcommand never rejects; if one did, serve.ts's one place for unexpected errors says so.
  if (settled.state === "rejected") throw settled.error;
  const to = { userId: command.user_id, responseUrl: command.response_url, channelId: command.channel_id };
  ctx.defer(`finish ${command.command} ${name}`, async () => answerPrivately(ctx, to, await answering));
  return acknowledge();
}
