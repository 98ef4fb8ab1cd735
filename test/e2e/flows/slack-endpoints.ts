/** The Slack endpoints through netlify dev, and the helpers the other flows open modals with. */
import { describe, expect, it } from "vitest";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { slashCommandBody } from "../../../dev/slack-payloads.js";
import { buildSavingNotice } from "../../../src/features/task-request/modal.js";
import { renderSlackNotice } from "../../../src/platforms/slack/render-card.js";
import { stack } from "../stack.js";

/** Opens a task modal through /slack/commands as `user`, and returns the view Slack holds. */
export async function openTaskModal(title: string, user: string = SLACK_SEED.alice) {
  const { slack, post } = stack();
  const triggerId = slack.triggerId(user);
  const answer = await post("/slack/commands", slashCommandBody({ text: title, user, triggerId, responseUrl: slack.responseUrl() }));
  expect(answer.status).toBe(200);
  const view = slack.views.find((opened) => opened.trigger_id === triggerId);
  if (!view) throw new Error(`no modal opened for ${title}`);
  return view;
}

/**
 * What a task modal's submission may be answered with: the modal closed, or, the save outlasting
 * the production 2 s deadline (netlify dev starts a fresh worker per request, and a busy machine
 * takes longer), the saving notice, the save finishing after it. The confirmation with the page's
 * link comes either way; which of the two comes is test/integration's to check, with held faults.
 */
export function submissionAnswers(title: string) {
  return [{ response_action: "clear" }, { response_action: "update", view: renderSlackNotice(buildSavingNotice(title)) }];
}

/** Waits until `condition` holds, polling every 50 ms, for at most `timeoutMs` (a bound that only catches a hang). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the page titled `title` and for a confirmation through a response_url carrying its link; the page's compact id (32 hex digits). */
export async function confirmedPage(title: string): Promise<string> {
  const { slack } = stack();
  await waitFor(() => pagesTitled(title).length > 0, `the page ${title}`);
  const id = pagesTitled(title)[0]!.id.replaceAll("-", "");
  await waitFor(() => slack.responses.some((response) => JSON.stringify(response.body).includes(id)), `the confirmation of ${title}`);
  return id;
}

/** The pages on the board whose title is `title`. */
export function pagesTitled(title: string) {
  const { notion, board } = stack();
  return notion.pages(board.dataSourceId).filter((page) => JSON.stringify(page.properties.Name).includes(title));
}

describe("netlify dev serves the Slack endpoints", () => {
  // A signed /task through /slack/commands and its submission through /slack/interactions: see store.ts.
  it("refuses an unsigned request with 401", async () => {
    const response = await fetch(`${stack().dev.url}/slack/commands`, { method: "POST", body: slashCommandBody() });
    expect(response.status).toBe(401);
  });

  it("starts no local Netlify Database in the project's copy (the bot uses none)", () => {
    expect(stack().startOutput).toContain("Failed to start Netlify Database locally");
  });
});
