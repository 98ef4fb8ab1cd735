/** The commands of `npm run discord`: each sends one act as Discord would, then shows what followed (discord-follow.ts). */
import { MESSAGE_COMMANDS } from "../platforms/discord/parse-interaction.js";
import { didYouMean } from "./closest.js";
import { UsageError } from "./discord-arguments.js";
import { afterAct, fillAndSubmit } from "./discord-follow.js";
import { buttonsOf, describeMessage, nameOf, readModal, seenBy, whereOf, type GuildMessage } from "./discord-print.js";
import { person, pick, place, refuseFormFlags, type Run } from "./discord-session.js";

/** `/task [text]`: the slash command with its text option, then the modal it opens, if any. */
export async function slashTask(run: Run, text: string): Promise<number> {
  const before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  const channel = place(before, run.flags.channel ?? "general");
  // The routing table's /task words (list, review, help) answer without a form.
  if (["list", "review", "help"].includes(text.trim().toLowerCase())) refuseFormFlags(run, `/task ${text.trim()}`);
  run.say(`→ @${user.name} in #${channel.name}: /task${text ? ` text:${text}` : ""}`);
  return afterAct(run, before, user, { kind: "command", user: user.id, channel: channel.id, text });
}

/** `remind` / `create`: a MESSAGE command on a message already there (its id, or last) or posted first (--text). */
export async function messageCommand(run: Run, kind: "remind" | "create", target: string | undefined): Promise<number> {
  const name = Object.keys(MESSAGE_COMMANDS).find((key) => MESSAGE_COMMANDS[key as keyof typeof MESSAGE_COMMANDS] === (kind === "remind" ? "remind_process" : "create_task"))!;
  if (kind === "remind") refuseFormFlags(run, `"${name}"`);
  let before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  let message: GuildMessage;
  if (run.flags.text !== undefined) {
    const author = person(before, run.flags.author ?? "bob");
    const channel = place(before, run.flags.channel ?? "general");
    message = await run.link.postMessage({ channel: channel.id, author: author.id, content: run.flags.text });
    run.say(`@${author.name} wrote in #${channel.name} (id ${message.id}):`);
    for (const line of run.flags.text.split("\n")) run.say(`    ${line}`);
    before = await run.link.state();
  } else if (target === "last") {
    const channel = run.flags.channel === undefined ? undefined : place(before, run.flags.channel);
    const found = before.messages.findLast((m) => m.author !== before.botId && (channel === undefined || m.channel === channel.id));
    if (!found) throw new UsageError(`No message by a person${channel ? ` in #${channel.name}` : ""} yet: post one with --text "…".`);
    message = found;
  } else {
    const found = before.messages.find((m) => m.id === target);
    if (!found) throw new UsageError(`No message ${target}: see npm run discord -- state`);
    message = found;
  }
  if (!seenBy(message, user.id, before)) throw new UsageError(`@${user.name} can't see the message ${message.id}. --as picks who acts.`);
  run.say(`→ @${user.name} uses Apps → "${name}" on @${nameOf(message.author, before)}'s message ${message.id} in ${whereOf(message.channel, before)}`);
  return afterAct(run, before, user, { kind: "message_command", user: user.id, name, message: message.id });
}

/** `click <label|n>`: a button on the newest message showing one to the person (or on --message). */
export async function click(run: Run, wanted: string): Promise<number> {
  const before = await run.link.state();
  const user = person(before, run.flags.as ?? "alice");
  const visible = before.messages.filter((m) => seenBy(m, user.id, before) && buttonsOf(m.components).length > 0);
  let message: GuildMessage | undefined;
  if (run.flags.message !== undefined) {
    message = before.messages.find((m) => m.id === run.flags.message);
    if (!message) throw new UsageError(`No message ${run.flags.message}: see npm run discord -- state`);
    if (!seenBy(message, user.id, before)) throw new UsageError(`@${user.name} can't see the message ${message.id}: it is someone else's. --as picks who presses.`);
  } else {
    message = visible.findLast((m) => pick(buttonsOf(m.components), wanted) !== undefined);
    if (!message) {
      const labels = [...new Set(visible.flatMap((m) => buttonsOf(m.components).map((b) => b.label)))];
      throw new UsageError(`No message shows @${user.name} a button ${wanted}${labels.length > 0 ? `: there are ${labels.join(", ")}.${didYouMean(wanted, labels)}` : " (no message with buttons yet)."}`);
    }
  }
  const buttons = buttonsOf(message.components);
  const button = pick(buttons, wanted);
  if (!button) throw new UsageError(`No button ${wanted} on the message ${message.id}: ${buttons.map((b, i) => `${i + 1} ${b.label}`).join(", ") || "it has none"}.`);
  if (button.customId === undefined) refuseFormFlags(run, `[${button.label}]`);
  run.say(`→ @${user.name} presses [${button.label}] on the message ${message.id} in ${whereOf(message.channel, before)}`);
  if (button.customId === undefined) {
    // A link button opens its URL in the browser; Discord sends the bot nothing.
    run.say(`  Discord opens ${button.url ?? "its link"} in the browser; the bot hears nothing of it.`);
    return 0;
  }
  return afterAct(run, before, user, { kind: "button", user: user.id, message: message.id, customId: button.customId, label: button.label });
}

/** `submit [interaction id|last]`: fills and submits a modal the bot opened. */
export async function submitModal(run: Run, target: string): Promise<number> {
  const state = await run.link.state();
  const modals = state.interactions.filter((i) => i.response?.["type"] === 9);
  const opening = target === "last" ? modals.at(-1) : modals.find((i) => i.id === target);
  if (!opening) throw new UsageError(target === "last" ? "The bot has not opened a modal yet." : `No modal opened by the interaction ${target}: see npm run discord -- state`);
  const user = person(state, run.flags.as ?? opening.user);
  return fillAndSubmit(run, state, opening, user, `The modal opened by ${opening.id}, for @${nameOf(opening.user, state)}:`);
}

/** `state`: the latest messages, and the modals the bot opened. */
export async function showState(run: Run): Promise<number> {
  const state = await run.link.state();
  const latest = state.messages.slice(-12);
  run.say(latest.length === 0 ? "No messages yet." : `The latest ${latest.length} of ${state.messages.length} messages:`);
  for (const message of latest) for (const line of describeMessage(message, state, message.edited)) run.say(line);
  const modals = state.interactions.filter((i) => i.response?.["type"] === 9);
  if (modals.length > 0) {
    run.say();
    run.say("Modals the bot opened (npm run discord -- submit <id>):");
    for (const opening of modals.slice(-5)) run.say(`  ${opening.id} for @${nameOf(opening.user, state)}: ${readModal(opening.response?.["data"])?.title ?? "?"}`);
  }
  return 0;
}
