/** `npm run slack -- shortcut …` and `click …`: a message shortcut, and a button pressed on a message. */
import { sendSigned } from "../../dev/signed-request.js";
import { imChannelIdFor } from "../../dev/slack-emulator.js";
import { blockActions, interactionBody, messageAction, payloadMessage } from "../../dev/slack-payloads.js";
import { HOME_NEW_TASK_ACTION } from "../platforms/slack/home/home-view.js";
import { CREATE_TASK_FROM_MENTION_ACTION } from "../platforms/slack/mention/answer-mention.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../features/process-reminder/reminder-message.js";
import { CREATE_TASK_CALLBACK_ID } from "../features/task-request/task-from-message.js";
import { buttonsIn } from "./block-kit-text.js";
import { didYouMean } from "./closest.js";
import { readManifest } from "./manifest.js";
import type { SandboxMessage, SandboxPage } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";
import { afterRequest } from "./slack-fill-modal.js";
import { checkFormFlags } from "./slack-form-flags.js";
import { placeOf, printAnswer } from "./slack-print.js";
import { alikeNote, asTyped, directoryOf, pickButton, resolveChannel, resolveUser, type PickedButton, type Session } from "./slack-session.js";
import { sameTitleNote, taskTitle, taskWithId, type PickedTask } from "./slack-tasks.js";

/** The buttons whose click opens the task form: the only ones form flags (--title, --submit…) can follow. */
const FORM_BUTTONS: ReadonlySet<string> = new Set([CREATE_TASK_FROM_REMINDER_ACTION, CREATE_TASK_FROM_MENTION_ACTION, HOME_NEW_TASK_ACTION]);

/** `shortcut <callback_id>`: a message shortcut on a message posted first (--text) or already there (--ts); rejects with a UsageError for an undeclared shortcut or a message not found. */
export async function shortcut(session: Session, callbackId: string | undefined): Promise<number> {
  const declared = (readManifest().features.shortcuts ?? []).filter((entry) => entry.type === "message").map((entry) => entry.callback_id);
  if (!callbackId || !declared.includes(callbackId)) {
    throw new UsageError(`${callbackId ? `The app has no message shortcut ${callbackId}` : "Which shortcut?"}: ${declared.join(" or ")}.${callbackId ? didYouMean(callbackId, declared) : ""}`);
  }
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  let message: SandboxMessage;
  if (session.flags.ts) {
    const found = before.messages.find((m) => m.ts === session.flags.ts && m.kind === "message");
    if (!found) throw new UsageError(`No message with ts ${session.flags.ts}: see npm run slack -- state`);
    await checkFormFlags(session, callbackId === CREATE_TASK_CALLBACK_ID ? {} : undefined, `the shortcut ${callbackId}`);
    message = found;
  } else {
    const text = session.flags.text;
    if (!text) throw new UsageError('Which message? Pass --text "…" (or --ts of a message already there).');
    const author = resolveUser(before, session.flags.author ?? "bob");
    const channel = resolveChannel(before, session.flags.channel ?? "general");
    const thread = session.flags.thread;
    if (thread !== undefined && !before.messages.some((m) => m.ts === thread && m.channel === channel.id && m.kind === "message")) {
      throw new UsageError(`No message ${thread} in #${channel.name} to reply to: see npm run slack -- state`);
    }
    // The message is the first thing sent: every check comes before it.
    await checkFormFlags(session, callbackId === CREATE_TASK_CALLBACK_ID ? {} : undefined, `the shortcut ${callbackId}`);
    message = await session.control.postUserMessage({ channel: channel.id, author: author.id, text: asTyped(text, before), thread_ts: session.flags.thread });
    session.say(`@${author.name} wrote in ${placeOf(message, directory)}:`);
    for (const line of text.split("\n")) session.say(`    ${line}`);
  }
  const channel = { id: message.channel, name: directory.channels.get(message.channel) ?? message.channel };
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  session.say(`→ @${user.name} uses the shortcut ${callbackId} on that message`);
  const payload = messageAction({ workspace: session.file, callbackId, user, channel, message: payloadMessage(message), triggerId, responseUrl });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directory);
  // The posted message is the person's, already shown: only what the bot did follows.
  return afterRequest(session, { ...before, messages: [...before.messages, message] }, { answer, triggerId, user, expectEffect: true });
}

/** `click <ts|last>`: presses a button on a message; rejects with a UsageError when there is no such message or button. */
export async function click(session: Session, target: string): Promise<number> {
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  const withButtons = before.messages.filter((m) => buttonsIn(m.blocks).length > 0 && seenBy(m, user.id));
  const message = target === "last" ? withButtons.at(-1) : before.messages.find((m) => m.ts === target);
  if (!message) throw new UsageError(target === "last" ? `No message with a button that @${user.name} can see yet.` : `No message with ts ${target}: see npm run slack -- state`);
  if (!seenBy(message, user.id)) throw new UsageError(`@${user.name} can't see the message ${message.ts}: it is in ${placeOf(message, directory)}${message.kind === "ephemeral" ? ", for its one reader" : ""}. --as picks who presses.`);
  const wanted = session.flags.button ?? "1";
  const picked = pickButtonOn(message, wanted, target === "last" ? `the last message with buttons @${user.name} can see, ${message.ts} in ${placeOf(message, directory)}` : undefined);
  const { button } = picked;
  await checkFormFlags(session, FORM_BUTTONS.has(button.actionId) && !button.url ? {} : undefined, `[${button.label}]`);
  const channel = { id: message.channel, name: directory.channels.get(message.channel) ?? message.channel };
  const task = taskWithId(before.pages, button.value);
  session.say(`→ @${user.name} presses [${button.label}]${task ? ` for "${taskTitle(task.page)}"` : ""} on the message ${message.ts} in ${placeOf(message, directory)}`);
  sayWhich(session, picked, wanted, task, (page) => {
    const other = before.messages.findLast((m) => buttonsIn(m.blocks).some((b) => b.value === page.id && b.label === button.label));
    return other ? `npm run slack -- click ${other.ts} --button ${/\s/.test(button.label) ? `"${button.label}"` : button.label}` : `no message shows its [${button.label}]`;
  });
  if (button.url) session.say(`  (Slack also opens ${button.url} in the browser)`);
  const triggerId = await session.control.triggerId(user.id);
  const responseUrl = await session.control.responseUrl({ channel: channel.id, user: user.id });
  const payload = blockActions({
    workspace: session.file,
    user,
    channel,
    message: payloadMessage(message),
    ephemeral: message.kind === "ephemeral",
    action: { action_id: button.actionId, text: button.label, value: button.value, block_id: button.blockId, url: button.url },
    triggerId,
    responseUrl,
  });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directory);
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: !button.url });
}

/** After the press line: which of several matching buttons was pressed, and which of several tasks with its title it acts on. */
export function sayWhich(session: Session, picked: PickedButton, wanted: string, task: PickedTask | undefined, howToPick: (page: SandboxPage) => string): void {
  const alike = alikeNote(picked, wanted);
  if (alike) session.say(alike);
  for (const line of task ? sameTitleNote(task, howToPick) : []) session.say(`  ${line}`);
}

/** Whether the person sees the message: not someone else's ephemeral message, nor the bot's DM with someone else. */
function seenBy(message: SandboxMessage, userId: string): boolean {
  if (message.kind === "ephemeral") return message.user === userId;
  return !message.channel.startsWith("D") || message.channel === imChannelIdFor(userId);
}

/**
 * pickButton on `message`; for `click last`, a miss also says which message "last" was (`which`), since
 * a form left open (not submitted) leaves the newest message with buttons where it was.
 */
function pickButtonOn(message: SandboxMessage, wanted: string, which: string | undefined): PickedButton {
  try {
    return pickButton(buttonsIn(message.blocks), wanted);
  } catch (error) {
    if (!(error instanceof UsageError) || which === undefined) throw error;
    throw new UsageError(`${error.message.replace(/\.$/, "")}, on ${which} (a form still open? npm run slack -- submit sends it).`);
  }
}
