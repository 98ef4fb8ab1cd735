/** The Slack endpoints through netlify dev, and the helpers the other flows open modals with. */
import { describe, expect, it } from "vitest";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { slashCommandBody } from "../../../dev/slack-payloads.js";
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
