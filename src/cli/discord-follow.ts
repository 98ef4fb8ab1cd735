/**
 * What follows an act in `npm run discord`: the bot's answer shown as Discord's client shows it,
 * its work after the answer waited for and shown (messages posted or edited, pages in Notion), and
 * a modal it opened, filled from the flags or prompts and submitted as Discord would.
 */
import { DISCORD_FIELD_FLAGS, UsageError } from "./discord-arguments.js";
import { answerLines, checkFields, describeMessage, fillField, modalLines, readModal, submittedValues, type GuildInteraction, type GuildState, type ModalField, type Named } from "./discord-print.js";
import type { Run } from "./discord-session.js";
import type { SandboxPage } from "./sandbox-control.js";
import { failureOf, type DiscordAct } from "./sandbox-discord.js";
import { describePage } from "./slack-print.js";
import { SETTLE_MAX_MS } from "./slack-settle.js";

/** Sends the act, shows the answer and what the bot did after it, and fills the modal it opened, if any. */
export async function afterAct(run: Run, before: GuildState, user: Named, act: DiscordAct): Promise<number> {
  const pagesBefore = await run.link.pages();
  const outcome = await run.link.send(act);
  const failure = failureOf(outcome);
  if (failure !== undefined) {
    run.say(`← ${failure}`);
    return 1;
  }
  for (const line of answerLines(outcome.answer!, user.name)) run.say(line);
  const type = outcome.answer!["type"];
  const after = await settle(run, { waitForEdit: type === 5 || type === 6 ? outcome.interaction.id : undefined, before });
  await printChanges(run, before, after, pagesBefore, outcome.interaction.id);
  const opening = type === 9 ? after.interactions.find((i) => i.id === outcome.interaction.id) : undefined;
  if (!opening) {
    // Flags for a form that did not open were not used: say so rather than let them pass for done.
    const unused = ([...DISCORD_FIELD_FLAGS, "submit"] as const).filter((name) => run.flags[name] !== undefined);
    if (unused.length === 0) return 0;
    run.say(`The bot opened no modal: ${unused.map((name) => `--${name}`).join(", ")} had nothing to fill or submit.`);
    return 1;
  }
  return fillAndSubmit(run, after, opening, user, undefined);
}

/** Fills the modal from the flags and submits it, or says how to; shows what came of it. */
export async function fillAndSubmit(run: Run, state: GuildState, opening: GuildInteraction, user: Named, heading: string | undefined): Promise<number> {
  const modal = readModal(opening.response?.["data"]);
  if (!modal) throw new UsageError(`The interaction ${opening.id} did not open a modal.`);
  let fields: ModalField[] = modal.fields;
  const problems: string[] = [];
  for (const name of DISCORD_FIELD_FLAGS) {
    const text = run.flags[name];
    if (text === undefined) continue;
    const index = fields.findIndex((field) => field.id === name || field.label.toLowerCase().startsWith(name));
    if (index === -1) {
      problems.push(`This modal has no ${name} input`);
      continue;
    }
    const filled = fillField(fields[index]!, text);
    if (filled.ok) fields = fields.map((field, i) => (i === index ? filled.field : field));
    else problems.push(filled.problem);
  }
  if (heading) {
    run.say();
    run.say(heading);
    for (const line of modalLines({ ...modal, fields })) run.say(`  ${line}`);
  }
  const leftOpen = `npm run discord -- submit ${opening.id} --title "…" (or --submit to keep what it holds)`;
  if (problems.length > 0) {
    run.say(`${problems.join("; ")}.`);
    run.say(`The modal stays open: ${leftOpen}`);
    return 2;
  }
  const given = DISCORD_FIELD_FLAGS.some((name) => run.flags[name] !== undefined);
  if (run.flags["no-submit"] || (!(given || run.flags.submit) && !run.ask)) {
    run.say(`It stays open. To submit it: ${leftOpen}`);
    return 0;
  }
  if (!(given || run.flags.submit) && run.ask) fields = await promptFields(run, fields, run.ask);
  const refused = checkFields(fields);
  if (refused.length > 0) {
    run.say(`Discord won't submit this: ${refused.join("; ")}.`);
    run.say(`The modal stays open: ${leftOpen}`);
    return 1;
  }
  const shown = fields.filter((field) => (field.kind === "text" ? field.value !== "" : field.value !== undefined)).map((field) => `${field.label} = ${JSON.stringify(field.kind === "text" ? field.value : field.options.find((o) => o.value === field.value)?.label)}`);
  run.say(`→ @${user.name} presses [Submit]${shown.length > 0 ? ` with ${shown.join(", ")}` : ""}`);
  const before = await run.link.state();
  const pagesBefore = await run.link.pages();
  const outcome = await run.link.send({ kind: "modal_submit", user: user.id, opening: opening.id, values: submittedValues(fields) });
  const failure = failureOf(outcome);
  if (failure !== undefined) {
    run.say(`← ${failure}`);
    return 1;
  }
  run.say("  The modal closes.");
  for (const line of answerLines(outcome.answer!, user.name)) run.say(line);
  const type = outcome.answer!["type"];
  const after = await settle(run, { waitForEdit: type === 5 || type === 6 ? outcome.interaction.id : undefined, before });
  await printChanges(run, before, after, pagesBefore, outcome.interaction.id);
  return 0;
}

/** Asks for each input in a terminal: Enter keeps what is shown, "-" empties it; a select takes a label or its number. */
async function promptFields(run: Run, fields: readonly ModalField[], ask: (question: string) => Promise<string>): Promise<ModalField[]> {
  const filled = [...fields];
  run.say('Fill in the modal: Enter keeps what is shown in [brackets], "-" empties it.');
  for (const [index, field] of filled.entries()) {
    for (;;) {
      const shown = field.kind === "text" ? field.value : (field.options.find((option) => option.value === field.value)?.label ?? "");
      const choices = field.kind === "select" ? ` (${field.options.map((option, i) => `${i + 1} ${option.label}`).join(", ")})` : "";
      const answer = (await ask(`${field.label}${field.required ? "" : " (optional)"}${choices} [${shown}]: `)).trim();
      if (answer === "") break;
      const text = answer === "-" ? "" : field.kind === "select" && /^\d+$/.test(answer) ? (field.options[Number(answer) - 1]?.value ?? answer) : answer;
      const result = fillField(field, text);
      if (result.ok) {
        filled[index] = result.field;
        break;
      }
      run.say(`  ${result.problem}`);
    }
  }
  return filled;
}

/**
 * Waits until the bot is done: nothing under way in the functions and no call since the last look,
 * when they can say (served in process), else no call for quietMs; after a deferred answer, also
 * until its @original is edited or something is posted (or SETTLE_MAX_MS).
 */
async function settle(run: Run, options: { waitForEdit: string | undefined; before: GuildState }): Promise<GuildState> {
  const started = Date.now();
  let { activity } = await run.link.activity();
  let changedAt = started;
  let state = await run.link.state();
  const shown = (now: GuildState) =>
    now.messages.length > options.before.messages.length ||
    now.messages.some((m) => m.interaction === options.waitForEdit && m.edited) ||
    now.messages.some((m) => JSON.stringify(m) !== JSON.stringify(options.before.messages.find((b) => b.id === m.id) ?? m));
  let satisfied = options.waitForEdit === undefined || shown(state);
  const maxMs = options.waitForEdit === undefined ? 3_000 : SETTLE_MAX_MS;
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await run.link.activity();
    const moved = now.activity !== activity;
    if (moved) {
      activity = now.activity;
      changedAt = Date.now();
      if (!satisfied) satisfied = shown((state = await run.link.state()));
    }
    const done = now.busy === undefined ? Date.now() - changedAt >= run.quietMs : now.busy === 0 && !moved;
    if (satisfied && done) break;
  }
  return run.link.state();
}

/** What the bot posted or edited between two states, and the pages it created or changed. */
async function printChanges(run: Run, before: GuildState, after: GuildState, pagesBefore: SandboxPage[], answered: string): Promise<void> {
  const known = new Map(before.messages.map((message) => [message.id, JSON.stringify(message)]));
  // The answer's own message (@original, made first) was shown with the answer, or is still "thinking": only its edits are news.
  const original = after.messages.find((message) => message.interaction === answered);
  const changed = after.messages.filter((message) => known.get(message.id) !== JSON.stringify(message) && !(message === original && !message.edited && !known.has(message.id)));
  if (changed.length > 0) {
    run.say();
    run.say("The bot posted:");
    for (const message of changed) for (const line of describeMessage(message, after, known.has(message.id) || message.edited)) run.say(line);
  }
  const pages = new Map(pagesBefore.map((page) => [page.id, page.last_edited_time]));
  const pagesAfter = await run.link.pages();
  const moved = pagesAfter.filter((page) => pages.get(page.id) !== page.last_edited_time);
  if (moved.length > 0) {
    run.say();
    run.say("In Notion:");
    for (const page of moved) run.say(`  ${pages.has(page.id) ? "~ updated" : "+ created"} ${describePage(page)}`);
  }
}
