/**
 * A subcommand's work (`/task list`, `/task review`, `/task help`), apart from how its answer
 * reaches the person: privately through the interaction's Reply here, or as a reply in a thread when
 * they mention the bot (Slack's mentions, in Slack's adapter).
 */
import type { Card } from "../chat/card.js";
import type { IntentOf } from "../chat/intent.js";
import type { Person } from "../chat/model.js";
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
