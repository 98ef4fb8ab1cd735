/**
 * What follows a request: the bot's work, and a modal to fill (from flags or prompts) and submit as
 * Slack would, for as long as the bot answers with errors and someone is there to correct them.
 */
import { isRecord } from "../../dev/is-record.js";
import { sendSigned, type SlackAnswer } from "../../dev/signed-request.js";
import { interactionBody, viewSubmission, type Person } from "../../dev/slack-payloads.js";
import { checkInputs, fillInput, readModalInputs, renderModal, toStateValues, valueText, type ModalInput } from "./modal-form.js";
import type { SandboxState, SandboxView } from "./sandbox-control.js";
import { FIELD_FLAGS, UsageError } from "./slack-arguments.js";
import { fillFromFlags } from "./slack-form-flags.js";
import { hasVisibleAnswer, printChanges } from "./slack-print.js";
import { CANCELLED_EXIT, Cancelled, directoryOf, FormLeftOpen, plainTextOf, resolveUser, type Session } from "./slack-session.js";
import { settle, SETTLE_MAX_MS } from "./slack-settle.js";

/** `submit [view id|last]`: fills and submits a modal the bot opened; rejects with a UsageError when there is none. */
export async function submitOpenModal(session: Session, target: string): Promise<number> {
  const state = await session.control.state();
  const forms = state.views.filter((view) => readModalInputs(view.view).length > 0);
  const view = target === "last" ? forms.at(-1) : state.views.find((v) => v.id === target);
  if (!view) throw new UsageError(target === "last" ? "The bot has not opened a modal with inputs yet." : `No modal ${target}.`);
  const user = resolveUser(state, session.flags.as ?? view.user ?? "alice");
  return fillAndSubmit(session, state, view, user, `The modal ${view.id}, open for @${user.name}:`);
}

/** A request the CLI sent as Slack, and what to wait for after it. */
export interface Sent {
  answer: SlackAnswer;
  /** The trigger_id sent: a modal opened with it is this request's. */
  triggerId: string;
  user: Person;
  /** Whether the bot should do something visible after an empty answer (a modal, a post); else only wait for quiet. */
  expectEffect: boolean;
}

/** Waits for the bot's work after a request, shows it, and fills the modal the request opened, if any; returns the exit code. */
export async function afterRequest(session: Session, before: SandboxState, sent: Sent): Promise<number> {
  const opened = (state: SandboxState) => state.views.find((view) => view.trigger_id === sent.triggerId);
  const homes = new Map(before.homes.map((home) => [home.user, home.hash]));
  // A Home tab's button is answered by publishing the tab again, which no message shows.
  const posted = (state: SandboxState) =>
    state.messages.length > before.messages.length || state.responses.length > before.responses.length || state.homes.some((home) => homes.get(home.user) !== home.hash);
  const waitForEffect = sent.expectEffect && sent.answer.status === 200 && !hasVisibleAnswer(sent.answer);
  const after = await settle(session, {
    ...(waitForEffect ? { until: (state: SandboxState) => opened(state) !== undefined || posted(state) } : {}),
    maxMs: waitForEffect ? SETTLE_MAX_MS : 1_500,
  });
  const modal = opened(after);
  printChanges(session, before, after, { skipView: modal?.id });
  if (sent.answer.status !== 200) return 1;
  if (!modal) return 0;
  return fillAndSubmit(session, after, modal, sent.user, `The bot opened a modal (${modal.id}) for @${sent.user.name}:`);
}

/** Shows the modal, fills it (flags or prompts), submits it like Slack, and shows what came of it. */
export async function fillAndSubmit(session: Session, state: SandboxState, view: SandboxView, user: Person, heading: string): Promise<number> {
  const directory = directoryOf(state);
  const fromFlags = fillFromFlags(session.flags, readModalInputs(view.view));
  // Checked before sending too (checkFormFlags), against the form the bot was expected to open.
  if (fromFlags.problems.length > 0) throw new FormLeftOpen(`${fromFlags.problems.join("; ")}.`, view.id, 2);
  let inputs = fromFlags.inputs;
  const given = FIELD_FLAGS.filter((name) => session.flags[name] !== undefined);
  session.say();
  session.say(heading);
  for (const line of renderModal(view.view, { inputs, directory })) session.say(`  ${line}`);

  const submitNow = session.flags.submit === true || given.length > 0;
  if (session.flags["no-submit"] || (!submitNow && !session.ask)) {
    session.say(`It stays open. To submit it: npm run slack -- submit ${view.id} --title "…" (or --submit to keep what it holds)`);
    return 0;
  }
  let errors: Record<string, string> = {};
  for (;;) {
    if (!submitNow || Object.keys(errors).length > 0) {
      if (!session.ask) return 1;
      let confirm: string;
      try {
        inputs = await promptInputs(session, inputs, errors);
        confirm = (await session.ask(`${plainTextOf(view.view.submit) ?? "Submit"}? [Y/n] `)).trim().toLowerCase();
      } catch (error) {
        if (error instanceof Cancelled) throw new FormLeftOpen(error.message, view.id, CANCELLED_EXIT);
        throw error;
      }
      if (confirm === "n" || confirm === "no") {
        session.say("Closed without submitting.");
        return 0;
      }
    }
    const problems = checkInputs(inputs);
    if (problems.length > 0) {
      if (!session.ask) throw new FormLeftOpen(`Slack won't submit this: ${problems.join("; ")}.`, view.id, 1);
      session.say(`Slack won't submit this: ${problems.join("; ")}.`);
      errors = {};
      continue;
    }
    const before = await session.control.state();
    const filled = inputs.filter((input) => valueText(input) !== "").map((input) => `${input.label} = ${JSON.stringify(valueText(input))}`);
    session.say(`→ @${user.name} presses [${plainTextOf(view.view.submit) ?? "Submit"}]${filled.length > 0 ? ` with ${filled.join(", ")}` : ""}`);
    const payload = viewSubmission({ workspace: session.file, user, view, values: toStateValues(inputs), triggerId: await session.control.triggerId(user.id) });
    const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
    const action = typeof answer.json?.response_action === "string" ? answer.json.response_action : undefined;
    if (answer.status !== 200) {
      session.say(`← ${answer.status} ${answer.text.slice(0, 500)}: Slack would show "We had some trouble connecting".`);
      return 1;
    }
    if (action === "errors") {
      errors = readErrors(answer.json?.errors);
      session.say("← 200: the modal stays open with errors:");
      for (const line of renderModal(view.view, { inputs, errors, directory })) session.say(`  ${line}`);
      if (!session.ask) return 1;
      continue;
    }
    if ((action === "update" || action === "push") && isRecord(answer.json?.view)) {
      session.say(`← 200: the modal ${action === "update" ? "now shows" : "pushes"}:`);
      for (const line of renderModal(answer.json.view, { directory })) session.say(`  ${line}`);
    } else {
      session.say("← 200: the modal closes.");
    }
    const after = await settle(session, {
      until: (now) => now.messages.length > before.messages.length || now.responses.length > before.responses.length,
      maxMs: SETTLE_MAX_MS,
    });
    printChanges(session, before, after, {});
    return 0;
  }
}

async function promptInputs(session: Session, inputs: ModalInput[], errors: Record<string, string>): Promise<ModalInput[]> {
  const ask = session.ask!;
  const filled = [...inputs];
  const onlyErrors = Object.keys(errors).length > 0;
  session.say('Fill in the modal: Enter keeps what is shown in [brackets], "-" empties it.');
  for (const [index, input] of filled.entries()) {
    if (input.kind === "unsupported" || (onlyErrors && !errors[input.blockId])) continue;
    for (;;) {
      const choices = input.kind === "select" ? ` (${input.options.map((o, i) => `${i + 1} ${o.label}`).join(", ")})` : input.kind === "date" ? " (YYYY-MM-DD)" : "";
      const answer = await ask(`${input.label}${input.optional ? " (optional)" : ""}${choices} [${valueText(input)}]: `);
      if (answer === "") break;
      const result = fillInput(input, answer.trim() === "-" ? "" : input.kind === "text" ? answer.replaceAll("\\n", "\n") : answer);
      if (result.ok) {
        filled[index] = result.input;
        break;
      }
      session.say(`  ${result.problem}`);
    }
  }
  return filled;
}

function readErrors(raw: unknown): Record<string, string> {
  if (!isRecord(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
