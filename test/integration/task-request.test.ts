import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { UNCHECKED_PRIORITY, UNOFFERED_PRIORITY } from "../../src/tasks/task.js";

let h: Harness;
afterEach(async () => h?.close());

type Paragraph = { paragraph: { rich_text: { plain_text: string }[] } };

/** The page body as text, one string per paragraph. */
export function bodyOf(h: Harness, pageId: string): string[] {
  return (h.notion.children(pageId) as unknown as Paragraph[]).map((block) => block.paragraph.rich_text.map((t) => t.plain_text).join(""));
}

function richTextOf(page: { properties: Record<string, unknown> } | undefined, name: string): string {
  const property = page?.properties[name] as { rich_text?: { plain_text: string }[]; title?: { plain_text: string }[] } | undefined;
  return (property?.rich_text ?? property?.title ?? []).map((item) => item.plain_text).join("");
}

describe("/task", () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it("opens the modal with views.open as its only remote call, and acknowledges with an empty 200", async () => {
    const answer = await h.command("");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
    expect(h.notion.requests).toHaveLength(0);
    const view = h.slack.views[0]!.view as { title: { text: string }; private_metadata: string };
    expect(view.title.text).toBe("New task");
    expect(JSON.parse(view.private_metadata)).toMatchObject({ channelId: SLACK_SEED.general });
  });

  it("opens the modal before it reads the board, while the trigger_id is fresh, even when Notion takes 3 s a request", async () => {
    await h.close();
    // Slack's clock moves 3 s with every Notion request: a views.open after any of them is refused as expired_trigger_id.
    const start = Date.now();
    h = await startHarness({ slackNow: () => start + h.notion.requests.length * 3_001 });
    await h.command("Fix the login page");
    await h.settle();
    expect(h.notion.requests.length).toBeGreaterThan(0);
    expect(h.slack.views).toHaveLength(1);
  });

  it("prefills the title from the command's text", async () => {
    await h.command("Fix the login page");
    const blocks = h.slack.views[0]!.view.blocks as { block_id: string; element: { initial_value?: string } }[];
    expect(blocks.find((block) => block.block_id === "title")?.element.initial_value).toBe("Fix the login page");
  });

  it("fills the priority options from the board after opening, when the instance had not read it yet", async () => {
    await h.close();
    h = await startHarness({ schema: { Priority: { select: { options: [{ name: "P0" }, { name: "P1" }, { name: "P2" }] } } } });
    await h.command("");
    await h.settle();
    expect(h.slack.callsTo("views.update")).toHaveLength(1);
    const blocks = h.slack.views[0]!.view.blocks as { block_id: string; element: { options?: { value: string }[] } }[];
    expect(blocks.find((block) => block.block_id === "priority")?.element.options?.map((o) => o.value)).toEqual(["P0", "P1", "P2"]);
  });

  it("answers /task help with an ephemeral usage message", async () => {
    const answer = await h.command("help");
    expect(answer.json).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.json?.text)).toContain("/task list");
    expect(h.slack.calls).toHaveLength(0);
  });

  it("says clearly when the trigger expired before the modal could open", async () => {
    h.slack.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    const answer = await h.command("");
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.json?.text)).toMatch(/try again/);
  });
});

describe("submitting the task modal", () => {
  beforeEach(async () => {
    h = await startHarness();
  });


  it("creates exactly one page with every property and the description in the body, then confirms with the link", async () => {
    const view = await h.openTaskModal("Fix login");
    const answer = await h.submitTaskModal(view, { title: "Fix login", description: "Safari only.\n\nSteps: open, click.", priority: "High", due: "2099-01-31" });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();

    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(richTextOf(page, "Name")).toBe("Fix login");
    expect(page.properties.Status).toMatchObject({ status: { name: "Not started" } });
    expect(page.properties.Priority).toMatchObject({ select: { name: "High" } });
    expect(page.properties.Due).toMatchObject({ date: { start: "2099-01-31" } });
    expect(richTextOf(page, "Requested by")).toBe("alice (U0ALICE)");
    expect(page.properties["Slack link"]).toMatchObject({ url: expect.stringContaining("channel=C0GENERAL") });
    expect(richTextOf(page, "Request ID")).toBe(`slack-view:${view.id}`);
    expect(bodyOf(h, page.id)).toEqual(["Safari only.", "Steps: open, click."]);

    // The confirmation goes through the command's response_url, with the page's URL.
    expect(h.slack.responses).toHaveLength(1);
    expect(JSON.stringify(h.slack.responses[0]!.body)).toContain(page.url);
  });

  it("keeps a description over 2,000 characters whole, split across rich text items", async () => {
    const view = await h.openTaskModal();
    const description = `${"a".repeat(1_500)}\n${"b".repeat(1_400)}`;
    await h.submitTaskModal(view, { title: "Long one", description });
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    const body = h.notion.children(page.id) as unknown as Paragraph[];
    expect(body).toHaveLength(1);
    expect(body[0]!.paragraph.rich_text).toHaveLength(2);
    expect(body[0]!.paragraph.rich_text.map((t) => t.plain_text).join("")).toBe(description);
  });

  it.each([
    [{ title: "   " }, "title", /Give the task a title/],
    [{ title: "x".repeat(151) }, "title", /under 150 characters/],
    [{ title: "Ok", due: "2001-01-01" }, "due", /That date has passed/],
    [{ title: "Ok", description: "d".repeat(3001) }, "description", /3000/],
  ])("answers %j with an error on the %s block and saves nothing", async (fields, block, message) => {
    const view = await h.openTaskModal();
    const answer = await h.submitTaskModal(view, fields);
    expect(answer.json?.response_action).toBe("errors");
    expect((answer.json?.errors as Record<string, string>)[block]).toMatch(message);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
  });

  /** The board's Priority options, as Notion now lists them. */
  const boardPriorities = () => {
    const priority = h.notion.dataSource(h.board.dataSourceId)?.properties.Priority as { select?: { options: { name: string }[] } } | undefined;
    return priority?.select?.options.map((option) => option.name);
  };

  it("refuses a priority the board does not offer (a forged view_submission: signed, but its value is the client's) under the priority block, and writes nothing, so Notion adds no option", async () => {
    const view = await h.openTaskModal();
    const answer = await h.submitTaskModal(view, { title: "Fix login", priority: "Urgent" });
    expect(answer.json).toEqual({ response_action: "errors", errors: { priority: UNOFFERED_PRIORITY } });
    await h.settle();
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
    expect(boardPriorities()).toEqual(["High", "Medium", "Low"]);
  });

  it("refuses a priority removed from the board while the modal was open, with the same message", async () => {
    const view = await h.openTaskModal();
    expect(h.notion.removeOption(h.board.dataSourceId, "Priority", "Low")).toBe(true);
    const answer = await h.submitTaskModal(view, { title: "Fix login", priority: "Low" });
    expect(answer.json).toEqual({ response_action: "errors", errors: { priority: UNOFFERED_PRIORITY } });
    await h.settle();
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
    expect(boardPriorities()).toEqual(["High", "Medium"]);
  });

  it("checks a priority against the board's own options (P0, P1), not High, Medium and Low", async () => {
    await h.close();
    h = await startHarness({ schema: { Priority: { select: { options: [{ name: "P0" }, { name: "P1" }] } } } });
    const view = await h.openTaskModal();
    expect((await h.submitTaskModal(view, { title: "Fix login", priority: "High" })).json).toEqual({ response_action: "errors", errors: { priority: UNOFFERED_PRIORITY } });
    expect((await h.submitTaskModal(view, { title: "Fix login", priority: "P1" })).json).toEqual({ response_action: "clear" });
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId).map((page) => page.properties.Priority)).toMatchObject([{ select: { name: "P1" } }]);
    expect(boardPriorities()).toEqual(["P0", "P1"]);
  });

  it("when the board cannot be read at submission and the instance never read it, accepts only High, Medium and Low (what the form offered then), and says why it refuses another", async () => {
    const view = await h.openTaskModal();
    h.notion.fail("dataSources.retrieve", { kind: "error", status: 503, code: "service_unavailable" }, { times: Infinity });
    const refused = await h.submitTaskModal(view, { title: "Fix login", priority: "Urgent" });
    expect(refused.json).toEqual({ response_action: "errors", errors: { priority: UNCHECKED_PRIORITY } });
    // Medium passes the check; the save, which needs the board too, fails with Notion's own message, under the title as ever.
    const unsaved = await h.submitTaskModal(view, { title: "Fix login", priority: "Medium" });
    expect(Object.keys((unsaved.json?.errors ?? {}) as object)).toEqual(["title"]);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
    // Notion answers again: the save reads the board anew (a failed read is not kept) and writes an option the board has.
    h.notion.reset();
    expect((await h.submitTaskModal(view, { title: "Fix login", priority: "Medium" })).json).toEqual({ response_action: "clear" });
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId).map((page) => page.properties.Priority)).toMatchObject([{ select: { name: "Medium" } }]);
    expect(boardPriorities()).toEqual(["High", "Medium", "Low"]);
  });

  it("sends a second submission of the same view to the first page, never a second one", async () => {
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Once" });
    await h.submitTaskModal(view, { title: "Once" });
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("escapes a title full of Slack control sequences everywhere it is shown", async () => {
    await h.close();
    h = await startHarness({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "<!channel> <https://evil.example|click> & <@U0BOB>" });
    await h.settle();
    const shown = JSON.stringify([h.slack.responses, h.slack.messages]);
    expect(shown).not.toMatch(/<!channel>|<https:\/\/evil|<@U0BOB>/);
    expect(shown).toContain("&lt;!channel&gt;");
    expect(h.slack.messages.filter((m) => m.channel === SLACK_SEED.general)).toHaveLength(1);
  });

  it("shows a title with a | exactly as typed in the confirmation and the announcement, beside a link to the page", async () => {
    await h.close();
    h = await startHarness({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Export CSV | PDF" });
    await h.settle();
    const url = h.notion.pages(h.board.dataSourceId)[0]!.url;
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain(`*Export CSV | PDF* (<${url}|open>) is on the board.`);
    const announcement = h.slack.messages.find((m) => m.channel === SLACK_SEED.general);
    expect(JSON.stringify(announcement?.blocks)).toContain(`asked for *Export CSV | PDF* (<${url}|open>)`);
    expect(JSON.stringify([h.slack.responses, h.slack.messages])).not.toContain("¦");
  });

  /** A fresh harness announcing new tasks in #general, a modal open, and the page an earlier submission of it saved ("Once"). */
  async function withEarlierSave() {
    await h.close();
    h = await startHarness({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general } });
    const view = await h.openTaskModal();
    const earlier = h.notion.addPage(h.board.dataSourceId, {
      Name: { title: [{ text: { content: "Once" } }] },
      "Request ID": { rich_text: [{ text: { content: `slack-view:${view.id}` } }] },
    });
    return { view, earlier };
  }

  it("confirms and announces a task an earlier submission saved unconfirmed: its answer was lost and its claim freed, so nobody confirmed it", async () => {
    // The first submission's page landed, but its instance never heard (its answer was lost) and freed the claim.
    const { view, earlier } = await withEarlierSave();
    const answer = await h.submitTaskModal(view, { title: "Once" });
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();
    const confirmation = h.slack.responses.at(-1)?.body as { text: string };
    expect(confirmation.text).toBe(`Task created: Once ${earlier.url}`);
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general)).toHaveLength(1);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("without the store to say, confirms a task the board already has as already on the board, in its text and its blocks, announcing nothing", async () => {
    // An earlier submission saved it; no claim can say whether it was confirmed, so a second announcement is the risk not taken.
    const { view, earlier } = await withEarlierSave();
    h.blobs.fail({ kind: "status", status: 503 }, { times: Infinity });
    const answer = await h.submitTaskModal(view, { title: "Once" });
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();
    const confirmation = h.slack.responses.at(-1)?.body as { text: string; blocks: { text: { text: string } }[] };
    expect(confirmation.text).toBe(`Already on the board: Once ${earlier.url}`);
    expect(confirmation.blocks[0]!.text.text).toContain("was already on the board.");
    expect(h.slack.messages.filter((message) => message.channel === SLACK_SEED.general)).toHaveLength(0);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });
});
