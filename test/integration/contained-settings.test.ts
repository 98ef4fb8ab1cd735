/**
 * A malformed optional setting breaks only what uses it (env.ts, `contained`): every other feature
 * works, through the real handlers, and the log says which setting is wrong without its value.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { messageAction, slackMessage } from "../../dev/slack-payloads.js";

let h: Harness;
afterEach(async () => h?.close());

function lines(): Record<string, unknown>[] {
  return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** /task opens the form, Create task saves it and links it, the shortcuts work, /task list answers. */
async function expectEverydayFeaturesWork() {
  const command = await h.command("Fix the printer");
  expect(command.status).toBe(200);
  await h.settle();
  expect(h.slack.views).toHaveLength(1);

  const submitted = await h.submitTaskModal(h.slack.views[0]!, { title: "Fix the printer" });
  expect(submitted.json).toEqual({ response_action: "clear" });
  await h.settle();
  const pages = h.notion.pages(h.board.dataSourceId);
  expect(pages).toHaveLength(1);
  expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain(pages[0]!.url);

  await h.interact(messageAction({ callbackId: "create_task", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
  await h.settle();
  expect(h.slack.views).toHaveLength(2);

  const list = await h.command("list");
  expect(JSON.stringify(list.json)).toContain("Fix the printer");
}

/** Every line's fields, as text: a setting's value must never appear in them. */
const logText = () => h.logs.join("\n");

describe("REVIEW_TIMEZONE=Europe/Berln (a typo)", () => {
  it("leaves /task, Create task, the shortcuts and /task list working", async () => {
    h = await startHarness({ env: { REVIEW_TIMEZONE: "Europe/Berln" } });
    await expectEverydayFeaturesWork();
    expect(lines().filter((line) => line.event === "request").map((line) => line.status)).not.toContain(503);
    expect(lines().some((line) => line.event === "env.setting_invalid" && line.variable === "REVIEW_TIMEZONE")).toBe(true);
  });

  it("/task review tells the person the review is misconfigured", async () => {
    h = await startHarness({ env: { REVIEW_TIMEZONE: "Europe/Berln" } });
    const answer = await h.command("review");
    expect(answer.json).toEqual({
      response_type: "ephemeral",
      text: ":warning: The weekly review is misconfigured (its time zone setting, REVIEW_TIMEZONE, is not one I know), so I can't show it. Please tell whoever runs the bot.",
    });
    expect(h.notion.requests).toHaveLength(0);
  });

  it("the weekly run fails with the setting's problem, posting nothing", async () => {
    h = await startHarness({ env: { REVIEW_TIMEZONE: "Europe/Berln", SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general } });
    const answer = await h.runWeeklyReview();
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ outcome: "failed", failed: "config", reason: "invalid_setting" });
    expect(h.slack.messages).toHaveLength(0);
    expect(lines().find((line) => line.event === "weekly_review")?.fix).toMatch(/^REVIEW_TIMEZONE must be an IANA time zone/);
  });
});

describe("SLACK_TASKS_CHANNEL_ID=general (a name, not an id)", () => {
  it("saves and confirms the task, skips the announcement, and says why in the log", async () => {
    h = await startHarness({ env: { SLACK_TASKS_CHANNEL_ID: "general" } });
    await expectEverydayFeaturesWork();
    expect(h.slack.callsTo("chat.postMessage").filter((call) => call.args.channel === "general")).toHaveLength(0);
    const skipped = lines().find((line) => line.event === "task.announce_skipped");
    expect(skipped?.problem).toMatch(/^SLACK_TASKS_CHANNEL_ID must be a channel id/);
  });
});

describe("PROCESS_REMINDER_TEXT over 2,500 characters", () => {
  it("posts the reminder with the default text, and says why in the log, without the text", async () => {
    const text = `Please use {command}! ${"x".repeat(2_500)}`;
    h = await startHarness({ env: { PROCESS_REMINDER_TEXT: text } });
    await h.interact(messageAction({ callbackId: "remind_process", message: slackMessage(), triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    const reminder = h.slack.messages.find((message) => message.kind === "message");
    expect(reminder?.text).toContain("Requests made in chat tend to get lost");
    expect(lines().find((line) => line.event === "reminder.text_skipped")?.problem).toMatch(/^PROCESS_REMINDER_TEXT /);
    expect(logText()).not.toContain("x".repeat(100));
    await expectEverydayFeaturesWork();
  });
});

describe("SLACK_REVIEW_CHANNEL_ID=#general (a name, not an id)", () => {
  it("leaves everything but the weekly run working, /task review included", async () => {
    h = await startHarness({ env: { SLACK_REVIEW_CHANNEL_ID: "#general" } });
    await expectEverydayFeaturesWork();
    const review = await h.command("review");
    expect(String(review.json?.text)).toMatch(/^Weekly review, week of/);

    const run = await h.runWeeklyReview();
    expect(run.json).toMatchObject({ outcome: "failed", failed: "config", reason: "invalid_setting" });
    expect(logText()).not.toContain("#general");
  });
});
