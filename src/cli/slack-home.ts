/** `npm run slack -- mention …`, `home` and `click home`: the Events API's two events, and the Home tab's buttons. */
import { JSON_CONTENT, sendSigned } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { appHomeOpened, appMention, clickHomeButton, eventBody, eventCallback, interactionBody } from "../../dev/slack-payloads.js";
import { buttonsIn } from "./block-kit-text.js";
import type { SandboxHome, SandboxState } from "./sandbox-control.js";
import { UsageError } from "./slack-arguments.js";
import { sayWhich } from "./slack-clicks.js";
import { afterRequest } from "./slack-fill-modal.js";
import { placeOf, printAnswer, printEventAnswer, printHome } from "./slack-print.js";
import { asTyped, directoryOf, pickButton, resolveChannel, resolveUser, type Session } from "./slack-session.js";
import { settle } from "./slack-settle.js";
import { taskTitle, taskWithId } from "./slack-tasks.js";

/** `mention "<text>"`: a person's message mentioning the bot, then the event Slack sends about it. */
export async function mention(session: Session, text: string): Promise<number> {
  const before = await session.control.state();
  const directory = directoryOf(before);
  const user = resolveUser(before, session.flags.as ?? "alice");
  const channel = resolveChannel(before, session.flags.channel ?? "general");
  const thread = session.flags.thread;
  if (thread !== undefined && !before.messages.some((m) => m.ts === thread && m.channel === channel.id && m.kind === "message")) {
    throw new UsageError(`No message ${thread} in #${channel.name} to reply to: npm run slack -- state lists them (--channel picks another channel).`);
  }
  // The message as Slack stores it, then the event Slack sends about it.
  const said = asTyped(text, before);
  const message = await session.control.postUserMessage({ channel: channel.id, author: user.id, text: `<@${SLACK_SEED.botUserId}> ${said}`, thread_ts: session.flags.thread });
  session.say(`@${user.name} wrote in ${placeOf(message, directory)}:`);
  session.say(`    @chatops ${text}`);
  const event = eventCallback(appMention({ text: said, user: user.id, channel: channel.id, ts: message.ts, ...(session.flags.thread ? { threadTs: session.flags.thread } : {}) }), { workspace: session.file });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/events`, eventBody(event), { secret: session.file.signingSecret, headers: JSON_CONTENT });
  printEventAnswer(session, answer);
  return afterRequest(session, { ...before, messages: [...before.messages, message] }, { answer, triggerId: "", user, expectEffect: true });
}

/** How long the Home tab may take to be published: Slack's 3 s, and some for netlify dev. */
const HOME_WAIT_MS = 5_000;
/** No Slack or Notion call this long after the event: the bot is not publishing (its first read comes well before). */
const HOME_IDLE_MS = 1_500;

/** `home`: the person opens the bot's Home tab; shows what the bot published, or says why nothing was. */
export async function openHome(session: Session): Promise<number> {
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const previous = homeOf(before, user.id);
  session.say(`→ @${user.name} opens the bot's Home tab`);
  const event = eventCallback(appHomeOpened({ user: user.id }), { workspace: session.file });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/events`, eventBody(event), { secret: session.file.signingSecret, headers: JSON_CONTENT });
  printEventAnswer(session, answer);
  if (answer.status !== 200) return 1;
  // A tab refreshed less than a minute ago is not read again: no call at all comes, and that is the answer.
  const after = await settle(session, { until: (state) => homeOf(state, user.id)?.hash !== previous?.hash, maxMs: HOME_WAIT_MS, idleMs: HOME_IDLE_MS });
  const home = homeOf(after, user.id);
  session.say();
  if (!home) {
    session.say("The bot published nothing: the function's log line in the sandbox's output says why.");
    return 1;
  }
  session.say(
    home.hash === previous?.hash
      ? `Nothing new was published: the bot refreshes a tab at most once a minute when it is opened ([Refresh] on it does it now). @${user.name}'s tab as last published:`
      : `The bot published @${user.name}'s Home tab:`,
  );
  printHome(session, home, directoryOf(after));
  session.say("Press its buttons with: npm run slack -- click home --button <n|label>");
  return 0;
}

/** `click home`: presses a button on the person's Home tab; rejects with a UsageError when they have none yet. */
export async function clickHome(session: Session): Promise<number> {
  const before = await session.control.state();
  const user = resolveUser(before, session.flags.as ?? "alice");
  const home = homeOf(before, user.id);
  if (!home) throw new UsageError(`@${user.name} has no Home tab yet: npm run slack -- home --as ${user.name}`);
  const wanted = session.flags.button ?? "1";
  const picked = pickButton(buttonsIn(home.view.blocks as unknown[]), wanted);
  const { button } = picked;
  const task = taskWithId(before.pages, button.value);
  session.say(`→ @${user.name} presses [${button.label}]${task ? ` for "${taskTitle(task.page)}"` : ""} on their Home tab`);
  sayWhich(session, picked, wanted, task, (page) => {
    const index = buttonsIn(home.view.blocks as unknown[]).findIndex((b) => b.value === page.id && b.label === button.label);
    return index === -1 ? `its [${button.label}] is not on @${user.name}'s tab` : `npm run slack -- click home --button ${index + 1}`;
  });
  if (button.url) session.say(`  (Slack also opens ${button.url} in the browser)`);
  const triggerId = await session.control.triggerId(user.id);
  const payload = clickHomeButton(home, button.actionId, { triggerId, workspace: session.file, user });
  const answer = await sendSigned(`${session.file.functionsUrl}/slack/interactions`, interactionBody(payload), { secret: session.file.signingSecret });
  printAnswer(session, answer, directoryOf(before));
  return afterRequest(session, before, { answer, triggerId, user, expectEffect: !button.url });
}

function homeOf(state: SandboxState, userId: string): SandboxHome | undefined {
  return state.homes.find((home) => home.user === userId);
}
