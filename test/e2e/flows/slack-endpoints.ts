/** The Slack endpoints and the weekly schedule, each proven through netlify dev. */
import { describe, expect, it } from "vitest";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { interactionBody, slashCommandBody, taskModalValues, viewSubmission } from "../../../dev/slack-payloads.js";
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
  it("/slack/commands: a signed /task opens the modal", async () => {
    const view = await openTaskModal("Opened through netlify dev");
    expect(JSON.stringify(view.view.blocks)).toContain("Opened through netlify dev");
  });

  it("/slack/interactions: a signed submission lands in Notion", async () => {
    const view = await openTaskModal("Saved through netlify dev");
    const answer = await stack().post("/slack/interactions", interactionBody(viewSubmission({ view, values: taskModalValues({ title: "Saved through netlify dev" }) })));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(pagesTitled("Saved through netlify dev")).toHaveLength(1);
  });

  it("refuses an unsigned request with 401", async () => {
    const response = await fetch(`${stack().dev.url}/slack/commands`, { method: "POST", body: slashCommandBody() });
    expect(response.status).toBe(401);
  });
});
