import { describe, expect, it } from "vitest";
import { buildHelp } from "../../../src/features/help/help.js";
import { renderSlackCard, renderSlackText } from "../../../src/platforms/slack/render-card.js";

describe("buildHelp", () => {
  it("draws on Slack exactly the help it drew before the port", () => {
    const text = [
      "*/task* puts a request on the team's Notion board.",
      "• `/task` opens a form; `/task Fix the login page` fills in the title.",
      "• `/task list` shows your open tasks.",
      "• `/task review` shows this week's review of open tasks.",
      "• `/task help` shows this.",
      "On any message, *More actions* (⋮) offers *Create task* (turn it into a task) and *Remind of process* (ask its author, in the thread, to use this command).",
      "Mention me with `help`, `list` or `review` and I answer in the thread; mention me with anything else and I offer to make it a task. My *Home* tab shows your requests and what is assigned to you.",
    ].join("\n");
    expect(renderSlackCard(buildHelp("/task"))).toEqual({ text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });
  });
});

describe("buildHelp on Discord", () => {
  it("names Discord's text option and Apps menu, and neither a Home tab nor mentions, which HTTP-only Discord has not", () => {
    const text = renderSlackText(buildHelp("/task", "discord").summary);
    expect(text).toContain("`/task text:list`");
    expect(text).toContain("*Apps*");
    expect(text).not.toMatch(/Home|Mention|More actions/);
  });
});

describe("buildHelp on Teams", () => {
  it("names the task message (no slash command for a bot), mentioning the bot in a channel, and neither a Home tab nor Discord's words", () => {
    const text = renderSlackText(buildHelp("/task", "teams").summary);
    expect(text).toContain("`task list`");
    expect(text).toContain("mention me first");
    expect(text).not.toMatch(/\/task|Home|text:|Apps/);
  });
});
