/**
 * Every length as Slack and Notion count it, in UTF-16 code units (an emoji is two), through the
 * real handlers and both emulators: the Slack emulator refuses an initial_value over its input's
 * max_length and a button value over 2,000 units; the Notion emulator refuses a rich text item over
 * 2,000 units with Notion's own validation_error.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED, type OpenedView } from "../../dev/slack-emulator.js";
import { clickButton, findButton, messageAction, slackMessage } from "../../dev/slack-payloads.js";
import { BUTTON_VALUE_MAX, CREATE_TASK_FROM_REMINDER_ACTION, decodeReminderButton } from "../../src/features/process-reminder/reminder-message.js";

let h: Harness;
afterEach(async () => h?.close());

/** An input's prefilled value in an opened view. */
function initialValue(view: OpenedView, block: string): string | undefined {
  const blocks = view.view.blocks as { block_id?: string; element?: { initial_value?: string } }[];
  return blocks.find((b) => b.block_id === block)?.element?.initial_value;
}

/** The page body as Notion holds it: each paragraph's rich text items. */
function bodyItems(pageId: string): string[][] {
  return (h.notion.children(pageId) as unknown as { paragraph: { rich_text: { plain_text: string }[] } }[]).map((block) => block.paragraph.rich_text.map((item) => item.plain_text));
}

/** Uses a message shortcut (Bob, on a message of Alice's with `text`) and waits for what follows. */
async function shortcut(callbackId: string, text: string) {
  const answer = await h.interact(messageAction({ callbackId, message: slackMessage({ text }), triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
  await h.settle();
  return answer;
}

describe("Create task on a long message prefills a form Slack accepts", () => {
  it("cuts a title of 151 emoji (302 units) to 74 emoji and an ellipsis, within max_length 150", async () => {
    h = await startHarness();
    await shortcut("create_task", "😀".repeat(151));
    // The emulator refuses views.open with an initial_value over max_length, as Slack does.
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
    expect(h.slack.views).toHaveLength(1);
    expect(initialValue(h.slack.views[0]!, "title")).toBe(`${"😀".repeat(74)}…`);
    expect(initialValue(h.slack.views[0]!, "description")).toBe("😀".repeat(151));
  });

  it("cuts a description of 2,000 emoji (4,000 units) to the longest start that fits 3,000, and saves it whole", async () => {
    h = await startHarness();
    await shortcut("create_task", "😀".repeat(2_000));
    expect(h.slack.views).toHaveLength(1);
    const view = h.slack.views[0]!;
    const title = initialValue(view, "title")!;
    const description = initialValue(view, "description")!;
    expect(description).toBe(`${"😀".repeat(1_499)}…`);
    expect(description.length).toBe(2_999);

    // Create task with the form as it was prefilled: one page, the description whole, in items Notion accepts.
    const answer = await h.submitTaskModal(view, { title, description }, SLACK_SEED.bob);
    expect(answer.json).toEqual({ response_action: "clear" });
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const [items] = bodyItems(pages[0]!.id);
    expect(items!.join("")).toBe(description);
    expect(items!.map((item) => item.length)).toEqual([2_000, 999]);
    expect(items!.every((item) => item.isWellFormed())).toBe(true);
  });

  it("/task with 151 emoji opens the form too, the whole text in the description", async () => {
    h = await startHarness();
    await h.command("😀".repeat(151));
    expect(h.slack.views).toHaveLength(1);
    expect(initialValue(h.slack.views[0]!, "title")).toBe(`${"😀".repeat(74)}…`);
    expect(initialValue(h.slack.views[0]!, "description")).toBe("😀".repeat(151));
  });
});

describe("a description counted as Notion counts it", () => {

  it("saves 1,500 emoji (3,000 units, all the input holds) as one page, in items of at most 2,000 units", async () => {
    h = await startHarness();
    const description = "😀".repeat(1_500);
    const answer = await h.submitTaskModal(await h.openTaskModal(), { title: "Emoji", description });
    expect(answer.json).toEqual({ response_action: "clear" });
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(bodyItems(pages[0]!.id)).toEqual([["😀".repeat(1_000), "😀".repeat(500)]]);
  });

  it("refuses 2,001 emoji (4,002 units) under the description, naming the limit, and sends Notion nothing", async () => {
    h = await startHarness();
    const answer = await h.submitTaskModal(await h.openTaskModal(), { title: "Emoji", description: "😀".repeat(2_001) });
    expect(answer.json).toEqual({ response_action: "errors", errors: { description: "Keep the description under 3000 characters (an emoji counts as two)." } });
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
  });

  it("says which text Notion refused as too long, under that input, and never blames the board's properties", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", {
      kind: "error",
      status: 400,
      code: "validation_error",
      message: "body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `4000`.",
    });
    const answer = await h.submitTaskModal(view, { title: "Emoji", description: "typed with care" });
    expect(answer.json).toEqual({
      response_action: "errors",
      errors: {
        description:
          "Not saved: Notion refused the description as too long: it takes at most 2,000 characters there (an emoji counts as two). Shorten it. Your text is kept; press Create task to try again.",
      },
    });
    expect(JSON.stringify(answer.json)).not.toMatch(/properties may have changed|doctor/);
    expect(h.logs.some((line) => line.includes('"error_code":"too_long"'))).toBe(true);
  });
});

describe("the reminder's button carries the longest excerpt whose value fits 2,000 units", () => {
  it.each([
    ['3,000 " (two units each once JSON-escaped)', '"'.repeat(3_000), '"'],
    ["2,000 emoji (two units each)", "😀".repeat(2_000), "😀"],
  ])("for a message of %s", async (_name, text, unit) => {
    h = await startHarness();
    await shortcut("remind_process", text);
    const reminder = h.slack.messages.find((message) => message.kind === "message");
    expect(reminder).toBeDefined();
    const value = findButton(reminder!, CREATE_TASK_FROM_REMINDER_ACTION).value!;
    expect(value.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
    // Each character costs two units in the value: one more would not fit.
    expect(value.length + 2).toBeGreaterThan(BUTTON_VALUE_MAX);
    const excerpt = decodeReminderButton(value, { platform: "slack", workspace: SLACK_SEED.teamId })!.excerpt;
    expect(excerpt).toMatch(/…$/);
    const kept = excerpt.slice(0, -1);
    expect(kept).toBe(unit.repeat(kept.length / unit.length));
    expect(kept.length).toBeGreaterThan(900);

    // Pressing it opens the form, prefilled from the excerpt, which Slack accepts.
    await h.interact(clickButton(reminder!, CREATE_TASK_FROM_REMINDER_ACTION, { triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    expect(h.slack.views).toHaveLength(1);
    expect(initialValue(h.slack.views[0]!, "description")).toBe(excerpt);
  });
});
