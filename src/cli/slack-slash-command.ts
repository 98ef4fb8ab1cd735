/** `npm run slack -- /task …`: a slash command, typed by a person in a channel. */
import { sendSigned } from "../../dev/signed-request.js";
import { slashCommandBody } from "../../dev/slack-payloads.js";
import { TASK_COMMAND } from "../features/task-request/request-task.js";
import { subcommandNames } from "../routes.js";
import { escapeMrkdwn } from "../platforms/slack/mrkdwn.js";
import { titleFrom } from "../tasks/task.js";
import { didYouMean } from "./closest.js";
import { readManifest } from "./manifest.js";
import { UsageError } from "./slack-arguments.js";
import { afterRequest } from "./slack-fill-modal.js";
import { checkFormFlags } from "./slack-form-flags.js";
import { printAnswer } from "./slack-print.js";
import { directoryOf, resolveChannel, resolveUser, type Session } from "./slack-session.js";

/** `/task …`: sends the slash command as Slack would and shows what followed; rejects with a UsageError for a command the app does not declare, or flags the form would refuse. */
export async function slashCommand(session: Session, command: string, text: string): Promise<number> {
  const declared = (readManifest().features.slash_commands ?? []).map((entry) => entry.command);
  if (!declared.includes(command)) throw new UsageError(`Slack would say "${command} is not a valid command": the app declares ${declared.join(", ")}.${didYouMean(command, declared)}`);
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const channel = resolveChannel(before, session.flags.channel ?? "general");
  // The bot opens the task form for any text but a subcommand's word (platforms/slack/intents.ts: intentOfCommand).
  const word = text.trim().toLowerCase();
  const opensForm = command === TASK_COMMAND && !(/^\S+$/.test(word) && subcommandNames().includes(word));
  await checkFormFlags(session, opensForm ? { title: titleFrom(text.trim()) } : undefined, `${command}${text.trim() ? ` ${text.trim()}` : ""}`);
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  session.say(`→ @${user.name} in #${channel.name}: ${command}${text ? ` ${text}` : ""}`);
  // Slack escapes &, < and > in a command's text (manifest.yml leaves mentions as typed: should_escape false).
  const sent = escapeMrkdwn(text);
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/commands`, slashCommandBody({ workspace: session.file, command, text: sent, user, channel, triggerId, responseUrl }), {
    secret: session.file.signingSecret,
  });
  printAnswer(session, answer, directoryOf(before));
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: true });
}
