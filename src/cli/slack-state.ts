/** `npm run slack -- state`: what the sandbox holds now, to pick a message's ts or a modal's id from. */
import { describePage, printMessage, printResponse } from "./slack-print.js";
import { directoryOf, titleOf, type Session } from "./slack-session.js";

/** `state`: the board in Notion, the latest messages and answers, and the last modal opened. */
export async function showState(session: Session): Promise<number> {
  const state = await session.control.state();
  const directory = directoryOf(state);
  const pages = state.pages.filter((page) => !page.in_trash);
  session.say(`Notion board "Tasks" (${pages.length} tasks):`);
  for (const page of pages) session.say(`  ${describePage(page)}`);
  const latest = state.messages.slice(-8);
  session.say();
  session.say(latest.length === 0 ? "Nothing posted in Slack yet." : `Latest in Slack (${latest.length} of ${state.messages.length}):`);
  for (const message of latest) printMessage(session, message, directory);
  const responses = state.responses.slice(-3);
  if (responses.length > 0) {
    session.say();
    session.say("Latest answers through a response_url (since the sandbox started):");
    for (const response of responses) printResponse(session, response, directory);
  }
  const lastModal = state.views.at(-1);
  if (lastModal) {
    session.say();
    session.say(`Last modal the bot opened: ${lastModal.id} "${titleOf(lastModal)}" (npm run slack -- submit ${lastModal.id})`);
  }
  return 0;
}
