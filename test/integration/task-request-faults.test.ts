import { afterEach, describe, expect, it } from "vitest";
import type { NotionFault } from "../../dev/notion-emulator.js";
import { SLACK_SEED, imChannelIdFor } from "../../dev/slack-emulator.js";
import { FAULTED_TIMEOUT_MS, startHarness, type Harness } from "../../dev/harness.js";
import { SNAPSHOT_KEY } from "../../src/notion/shared-board.js";

let h: Harness;
afterEach(async () => h?.close());



describe("Notion failing while a task is submitted", () => {
  it.each<[string, NotionFault, RegExp]>([
    ["400 validation_error", { kind: "error", status: 400, code: "validation_error", message: "Status is not a property" }, /properties may have changed/],
    ["401 unauthorized", { kind: "error", status: 401, code: "unauthorized" }, /NOTION_TOKEN/],
    ["403 restricted_resource", { kind: "error", status: 403, code: "restricted_resource" }, /share the Notion database/],
    ["404 object_not_found", { kind: "error", status: 404, code: "object_not_found" }, /share the Notion database/],
    ["500 internal_server_error", { kind: "error", status: 500, code: "internal_server_error" }, /unavailable/],
  ])("%s keeps the modal open with the input and says why", async (_name, fault, reason) => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", fault);
    const answer = await h.submitTaskModal(view, { title: "Keep me", description: "typed with care" });
    // Kept open with the reason, not "saving": Notion's refusal decided the answer, inside the deadline.
    expect(answer.json?.response_action).toBe("errors");
    const message = (answer.json?.errors as Record<string, string>).title;
    expect(message).toMatch(reason);
    expect(message).toMatch(/Your text is kept/);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(0);

    // Pressing Create again once Notion is back saves it, once.
    const retry = await h.submitTaskModal(view, { title: "Keep me", description: "typed with care" });
    expect(retry.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("the board being unreadable (404 on the database) keeps the modal open too", async () => {
    h = await startHarness();
    h.notion.fail("databases.retrieve", { kind: "error", status: 404, code: "object_not_found" }, { times: Infinity });
    h.notion.fail("dataSources.retrieve", { kind: "error", status: 404, code: "object_not_found" }, { times: Infinity });
    const view = await h.openTaskModal();
    const answer = await h.submitTaskModal(view, { title: "Nowhere to go" });
    expect((answer.json?.errors as Record<string, string>).title).toMatch(/share the Notion database/);
  });

  it("429 with Retry-After is retried and the task saved, within the window", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "rate_limited", retryAfterSeconds: 1 });
    const answer = await h.submitTaskModal(view, { title: "Patience" });
    // The bot waited out the Retry-After it was given (through its sleep), then saved before answering.
    expect(h.sleeps).toEqual([1_000]);
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("429 with a Retry-After over the cap is not retried early into a second 429: it fails at once, saying how long Notion asked to wait", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "rate_limited", retryAfterSeconds: 30 });
    const answer = await h.submitTaskModal(view, { title: "Patience", description: "typed with care" });
    expect((answer.json?.errors as Record<string, string>).title).toBe(
      "Not saved: Notion is rate-limiting the bot right now and asked it to wait 30 seconds. Your text is kept; press Create task to try again.",
    );
    expect(h.notion.requestsTo("pages.create")).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("409 conflict_error is retried after looking for an earlier save, and the task saved once, in the modal's answer", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "error", status: 409, code: "conflict_error" });
    const answer = await h.submitTaskModal(view, { title: "Busy board" });
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(2);
    // The lookup by Request ID before saving, and again between the conflict and the retry.
    const routes = h.notion.requests.map((request) => request.route).filter((route) => route === "pages.create" || route === "dataSources.query");
    expect(routes).toEqual(["dataSources.query", "pages.create", "dataSources.query", "pages.create"]);
    expect(h.sleeps).toEqual([250]);
  });

  it("409 conflict_error finds the page an earlier submission saved meanwhile instead of making a second", async () => {
    // The other submission of the same form (on another instance) lands just as this one's create
    // reaches Notion, which answers this one with a conflict.
    let viewId = "";
    const racing: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/v1/pages") && init?.method === "POST" && h.notion.pages(h.board.dataSourceId).length === 0) {
        h.notion.addPage(h.board.dataSourceId, { Name: { title: [{ text: { content: "Busy board" } }] }, "Request ID": { rich_text: [{ text: { content: `slack-view:${viewId}` } }] } });
      }
      return fetch(input, init);
    };
    h = await startHarness({ fetch: racing });
    const view = await h.openTaskModal();
    viewId = view.id;
    h.notion.fail("pages.create", { kind: "error", status: 409, code: "conflict_error" });
    const answer = await h.submitTaskModal(view, { title: "Busy board" });
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("409 conflict_error on every try keeps the modal open and calls it a conflict, not a board to check with doctor", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "error", status: 409, code: "conflict_error" }, { times: 3 });
    const answer = await h.submitTaskModal(view, { title: "Busy board", description: "typed with care" });
    const message = (answer.json?.errors as Record<string, string>).title;
    expect(message).toBe("Not saved: Notion was busy saving another change to the board at the same moment. Your text is kept; press Create task to try again.");
    expect(message).not.toMatch(/doctor|properties/);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(3);
    expect(h.sleeps).toEqual([250, 500]);

    const retry = await h.submitTaskModal(view, { title: "Busy board", description: "typed with care" });
    expect(retry.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("a slow save is acknowledged in time, finished after the response, and the link follows", async () => {
    h = await startHarness({ ackDeadlineMs: 300 });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "delay", ms: 800 });
    const answer = await h.submitTaskModal(view, { title: "Slow but sure" });
    // Answered while Notion was still working on the page: the deadline, not the save, decided it.
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(0);
    expect(answer.json?.response_action).toBe("update");
    expect(JSON.stringify(answer.json)).toContain("Saving");
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain(pages[0]!.url);
    // The modal, if still open, now shows the link as well.
    expect(JSON.stringify(h.slack.views.find((v) => v.id === view.id)?.view)).toContain(pages[0]!.url);
  });

  it("a save that never answers sends the person everything they typed", async () => {
    h = await startHarness({ ackDeadlineMs: 200, notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "hang" });
    const description = "Line one\n<!channel> line two";
    const answer = await h.submitTaskModal(view, { title: "Lost?", description, priority: "Low", due: "2099-05-01" });
    // Answered while the save was still unanswered: "saving", and the person hears the rest later.
    expect(JSON.stringify(answer.json)).toContain("Saving");
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(0);
    const dm = h.slack.messages.find((m) => m.channel === imChannelIdFor(SLACK_SEED.alice));
    expect(dm?.text).toContain("Lost?");
    expect(dm?.text).toContain("Line one\n&lt;!channel&gt; line two");
    expect(dm?.text).toContain("Low");
    expect(dm?.text).toContain("2099-05-01");
    expect(h.logs.some((line) => line.includes('"task.save_failed"') && line.includes("input_sent_back"))).toBe(true);
  });

  it("a save whose answer is lost but which did land is confirmed, not sent back, and not doubled on resubmit", async () => {
    h = await startHarness({ ackDeadlineMs: 200, notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "hang", commitFirst: true });
    await h.submitTaskModal(view, { title: "Landed quietly" });
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain(pages[0]!.url);
    expect(h.slack.messages.filter((m) => m.text.includes("couldn't save"))).toHaveLength(0);

    await h.submitTaskModal(view, { title: "Landed quietly" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });

  it("a resubmission on a fresh instance finds the first save through the board's Request ID", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "error", status: 500, code: "internal_server_error" });
    // The 500 came after the write: the page exists although Notion said it failed.
    h.notion.addPage(h.board.dataSourceId, {
      Name: { title: [{ text: { content: "Twice?" } }] },
      "Request ID": { rich_text: [{ text: { content: `slack-view:${view.id}` } }] },
    });
    const answer = await h.submitTaskModal(view, { title: "Twice?" });
    expect(answer.json).toEqual({ response_action: "clear" });
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
  });
});

describe("a write whose answer was lost, on a board without Request ID", () => {
  /** A board as many teams have it: nothing but the page itself to tell one request's page from another's. */
  const withoutRequestId = { schema: { "Request ID": null } };
  const confirmedWith = (url: string) => h.slack.responses.some((response) => JSON.stringify(response.body).includes(url));
  const sentBack = () => h.slack.messages.filter((m) => /couldn't save|couldn't tell/.test(m.text));

  it.each<[string, NotionFault]>([
    ["an HTML 502 from Notion's edge", { kind: "http", status: 502, commitFirst: true }],
    ["an HTML 504 from Notion's edge", { kind: "http", status: 504, commitFirst: true }],
    ["a connection reset after the request was sent", { kind: "drop", commitFirst: true }],
  ])("Notion created the page, then %s: the page is found and confirmed, and pressing Create task again makes no second one", async (_name, fault) => {
    h = await startHarness(withoutRequestId);
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", fault);
    const answer = await h.submitTaskModal(view, { title: "Landed anyway", description: "typed with care" });
    expect(answer.json).toEqual({ response_action: "clear" });
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(confirmedWith(pages[0]!.url)).toBe(true);
    expect(h.logs.some((line) => line.includes('"task.answer_lost"') && line.includes("found_on_board"))).toBe(true);

    await h.submitTaskModal(view, { title: "Landed anyway", description: "typed with care" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(1);
  });

  it("Notion created the page and never answered: after the timeout the page is found and confirmed, not sent back", async () => {
    h = await startHarness({ ...withoutRequestId, ackDeadlineMs: 200, notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "hang", commitFirst: true });
    const answer = await h.submitTaskModal(view, { title: "Landed quietly" });
    expect(JSON.stringify(answer.json)).toContain("Saving");
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(confirmedWith(pages[0]!.url)).toBe(true);
    expect(sentBack()).toHaveLength(0);
  });

  it("a page of the same title made by another request is not taken for this one's", async () => {
    h = await startHarness(withoutRequestId);
    const other = await h.openTaskModal();
    await h.submitTaskModal(other, { title: "Same title" });
    const view = await h.openTaskModal();
    // This time Notion wrote nothing: the 502 is true.
    h.notion.fail("pages.create", { kind: "http", status: 502 });
    const answer = await h.submitTaskModal(view, { title: "Same title" });
    expect((answer.json?.errors as Record<string, string>).title).toMatch(/^Not saved: Notion is unavailable right now\. Your text is kept/);
    const retry = await h.submitTaskModal(view, { title: "Same title" });
    expect(retry.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(2);
  });

  it("when the board cannot be checked either, the modal never says \"not saved\", and pressing Create task again finds the page", async () => {
    // Once the create has gone out, Notion's queries fail too (each failed read is retried twice).
    const failingQueries: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/v1/pages") && init?.method === "POST") h.notion.fail("dataSources.query", { kind: "http", status: 503 }, { times: 3 });
      return fetch(input, init);
    };
    h = await startHarness({ ...withoutRequestId, fetch: failingQueries });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "http", status: 502, commitFirst: true });
    const answer = await h.submitTaskModal(view, { title: "Maybe there", description: "typed with care" });
    const message = (answer.json?.errors as Record<string, string>).title;
    expect(message).not.toMatch(/Not saved/);
    expect(message).toMatch(/can't tell whether/);
    expect(message).toMatch(/Your text is kept/);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);

    // Pressed again while the board still cannot be read: nothing is written, and it is still not "not saved".
    h.notion.fail("dataSources.query", { kind: "http", status: 503 }, { times: 3 });
    const early = await h.submitTaskModal(view, { title: "Maybe there", description: "typed with care" });
    expect((early.json?.errors as Record<string, string>).title).toMatch(/^Notion didn't answer, and the board couldn't be checked/);

    const retry = await h.submitTaskModal(view, { title: "Maybe there", description: "typed with care" });
    expect(retry.json).toEqual({ response_action: "clear" });
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    expect(h.notion.requestsTo("pages.create")).toHaveLength(1);
  });

  it("after a timeout, when the board cannot be checked either, the person is told it may be saved, with what they typed", async () => {
    const failingQueries: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/v1/pages") && init?.method === "POST") h.notion.fail("dataSources.query", { kind: "hang" }, { times: Infinity });
      return fetch(input, init);
    };
    h = await startHarness({ ...withoutRequestId, fetch: failingQueries, ackDeadlineMs: 200, notionTimeoutMs: FAULTED_TIMEOUT_MS });
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "hang", commitFirst: true });
    await h.submitTaskModal(view, { title: "Maybe there", description: "typed with care" });
    await h.settle();
    const dm = h.slack.messages.find((m) => m.channel === imChannelIdFor(SLACK_SEED.alice));
    expect(dm?.text).toMatch(/couldn't tell whether/);
    expect(dm?.text).not.toMatch(/couldn't save/);
    expect(dm?.text).toContain("typed with care");
  });
});

describe("a save that went unconfirmed, found by the next press", () => {
  it.each([
    ["with Request ID", {}],
    ["without Request ID", { schema: { "Request ID": null } }],
  ])("a task found on the second press after an unconfirmed save (%s) is announced in the tasks channel once, and is in the shared snapshot", async (_name, board) => {
    // Nobody confirmed the page the first press made: the second press, which finds it, is its confirmation.
    const failingQueries: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith("/v1/pages") && init?.method === "POST") h.notion.fail("dataSources.query", { kind: "http", status: 503 }, { times: 3 });
      return fetch(input, init);
    };
    h = await startHarness({ ...board, env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.general }, fetch: failingQueries });
    await h.command("list"); // a snapshot exists
    await h.settle();
    const view = await h.openTaskModal();
    h.notion.fail("pages.create", { kind: "http", status: 502, commitFirst: true });
    const first = await h.submitTaskModal(view, { title: "Maybe there" });
    expect(JSON.stringify(first.json)).toMatch(/can't tell whether/);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);

    const retry = await h.submitTaskModal(view, { title: "Maybe there" });
    expect(retry.json).toEqual({ response_action: "clear" });
    await h.settle();
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(1);
    const snapshot = await h.store.read<{ tasks: { title: string }[] }>(SNAPSHOT_KEY);
    const announced = h.slack.messages.filter((m) => m.channel === SLACK_SEED.general && m.text.includes("Maybe there"));
    expect({ announced: announced.length, inSnapshot: snapshot?.value.tasks.map((t) => t.title) }).toEqual({ announced: 1, inSnapshot: ["Maybe there"] });
  });
});

describe("Slack failing while the confirmation is sent", () => {
  it("falls back to a direct message when the response_url and ephemeral both fail", async () => {
    h = await startHarness();
    const view = await h.openTaskModal();
    h.slack.fail("response_url", { kind: "http", status: 500 });
    h.slack.fail("chat.postEphemeral", { kind: "error", error: "channel_not_found" });
    await h.submitTaskModal(view, { title: "Tell me somehow" });
    await h.settle();
    const dm = h.slack.messages.find((m) => m.channel === imChannelIdFor(SLACK_SEED.alice));
    expect(dm?.text).toContain("Tell me somehow");
  });
});

describe("boards that differ from the default", () => {
  it("writes renamed properties under their new names", async () => {
    h = await startHarness({
      schema: { Status: null, Due: null, State: { select: { options: [{ name: "Inbox" }, { name: "Done" }] } }, Deadline: { date: {} } },
      env: { NOTION_STATUS_PROPERTY: "State", NOTION_DUE_PROPERTY: "Deadline" },
    });
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Renamed", due: "2099-02-02" });
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(page.properties.State).toMatchObject({ select: { name: "Inbox" } });
    expect(page.properties.Deadline).toMatchObject({ date: { start: "2099-02-02" } });
    // The Request ID property tells the page apart: the body carries no mark.
    expect(JSON.stringify(h.notion.children(page.id))).not.toContain("Saved from Slack");
  });

  it("saves on a board with only a title, warning about each missing property and keeping the requester in the body", async () => {
    h = await startHarness({ schema: { Status: null, Priority: null, Due: null, "Requested by": null, "Slack link": null, "Request ID": null, Assignee: null } });
    const view = await h.openTaskModal();
    const answer = await h.submitTaskModal(view, { title: "Bare board", priority: "High" });
    expect(answer.json).toEqual({ response_action: "clear" });
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(Object.keys(page.properties)).toEqual(["Name"]);
    expect(JSON.stringify(h.notion.children(page.id))).toContain("Requested by alice (U0ALICE) in Slack.");
    // Without a Request ID, the body's last line tells this request's page from any other.
    expect(JSON.stringify(h.notion.children(page.id).at(-1))).toContain(`Saved from Slack · request slack-view:${view.id}`);
    const warnings = h.logs.filter((line) => line.includes('"notion.board"')).join("\n");
    for (const name of ["Status", "Priority", "Due", "Requested by", "Slack link", "Request ID"]) {
      expect(warnings).toContain(`property \\"${name}\\"`);
    }
  });

  it("records the requester as a Notion person when the property is of type people and the email matches", async () => {
    h = await startHarness({ schema: { "Requested by": { people: {} } } });
    const notionAlice = h.notion.addUser({ name: "Alice", email: "alice@example.com" });
    const view = await h.openTaskModal();
    await h.submitTaskModal(view, { title: "Person" });
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(page.properties["Requested by"]).toMatchObject({ people: [{ id: notionAlice.id }] });
  });
});

describe("/task list", () => {
  it("shows only the caller's open tasks, newest first, linked", async () => {
    h = await startHarness();
    const add = (title: string, requester: string, status: string, createdTime: string) =>
      h.notion.addPage(
        h.board.dataSourceId,
        {
          Name: { title: [{ text: { content: title } }] },
          Status: { status: { name: status } },
          "Requested by": { rich_text: [{ text: { content: requester } }] },
        },
        { createdTime },
      );
    add("Alice old", "alice (U0ALICE)", "Not started", "2026-11-01T00:00:00.000Z");
    add("Alice new", "alice (U0ALICE)", "In progress", "2026-11-20T00:00:00.000Z");
    add("Alice done", "alice (U0ALICE)", "Done", "2026-11-21T00:00:00.000Z");
    add("Bob's", "bob (U0BOB)", "Not started", "2026-11-21T00:00:00.000Z");
    const answer = await h.command("list");
    expect(answer.json?.response_type).toBe("ephemeral");
    const shown = JSON.stringify(answer.json?.blocks);
    expect(shown.indexOf("Alice new")).toBeGreaterThan(-1);
    expect(shown.indexOf("Alice new")).toBeLessThan(shown.indexOf("Alice old"));
    expect(shown).not.toContain("Alice done");
    expect(shown).not.toContain("Bob's");
  });

  it("reads the board again after a 503 on its query, which only reads, and shows the list", async () => {
    h = await startHarness();
    h.notion.addPage(h.board.dataSourceId, {
      Name: { title: [{ text: { content: "Alice's" } }] },
      Status: { status: { name: "Not started" } },
      "Requested by": { rich_text: [{ text: { content: "alice (U0ALICE)" } }] },
    });
    h.notion.fail("dataSources.query", { kind: "http", status: 503 });
    const answer = await h.command("list");
    expect(JSON.stringify(answer.json?.blocks)).toContain("Alice's");
    expect(h.notion.requestsTo("dataSources.query")).toHaveLength(2);
  });

  it("answers through response_url when Notion is slower than the window allows", async () => {
    h = await startHarness({ ackDeadlineMs: 100 });
    h.notion.latencyMs = 300;
    const answer = await h.command("list");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    await h.settle();
    expect(JSON.stringify(h.slack.responses.at(-1)?.body)).toContain("no open tasks");
  });
});
