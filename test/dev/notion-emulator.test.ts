import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  APIErrorCode,
  APIResponseError,
  Client,
  ClientErrorCode,
  isFullPage,
  isNotionClientError,
  RequestTimeoutError,
  UnknownHTTPResponseError,
  type CreatePageParameters,
  type PageObjectResponse,
  type QueryDataSourceParameters,
} from "@notionhq/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator, type NotionFault, type PagePropertyValue } from "../../dev/notion-emulator.js";

const TOKEN = "secret_emulator_token";

type ClientOptions = NonNullable<ConstructorParameters<typeof Client>[0]>;
type PageProperties = NonNullable<CreatePageParameters["properties"]>;
type QueryBody = Omit<QueryDataSourceParameters, "data_source_id">;

/** For bodies the client's types forbid, sent on purpose to see the API refuse them. */
function unchecked<T>(value: unknown): T {
  return value as T;
}

let emu: NotionEmulator;
let dataSourceId: string;
let databaseId: string;

function clientFor(target: NotionEmulator, options: Partial<ClientOptions> = {}): Client {
  return new Client({ auth: TOKEN, baseUrl: target.url, retry: false, logger: () => {}, ...options });
}

/** The rejection of `promise`, which must reject. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

async function apiError(promise: Promise<unknown>): Promise<APIResponseError> {
  const error = await rejectionOf(promise);
  if (!APIResponseError.isAPIResponseError(error)) throw new Error(`expected an APIResponseError, got ${String(error)}`);
  return error;
}

function text(content: string) {
  return [{ type: "text" as const, text: { content } }];
}

function taskProperties(name: string, extra: PageProperties = {}): PageProperties {
  return { Name: { title: text(name) }, ...extra };
}

function plain(value: PagePropertyValue | PageObjectResponse["properties"][string] | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  switch (value.type) {
    case "title":
      return value.title.map((item: { plain_text: string }) => item.plain_text).join("");
    case "rich_text":
      return value.rich_text.map((item: { plain_text: string }) => item.plain_text).join("");
    case "status":
      return value.status?.name ?? null;
    case "select":
      return value.select?.name ?? null;
    case "date":
      return value.date?.start ?? null;
    case "url":
      return value.url;
    default:
      return JSON.stringify(value);
  }
}

beforeEach(async () => {
  emu = await startNotionEmulator({ token: TOKEN });
  ({ databaseId, dataSourceId } = emu.addDatabase({ title: "Tasks", properties: taskBoardSchema() }));
});

afterEach(async () => {
  await emu.close();
});

describe("databases and data sources", () => {
  it("retrieves a database with its data source id", async () => {
    const database = await clientFor(emu).databases.retrieve({ database_id: databaseId });
    expect(database).toMatchObject({ object: "database", id: databaseId, data_sources: [{ id: dataSourceId, name: "Tasks" }], parent: { type: "page_id" } });
  });

  it("accepts ids without dashes", async () => {
    const database = await clientFor(emu).databases.retrieve({ database_id: databaseId.replaceAll("-", "") });
    expect(database.id).toBe(databaseId);
  });

  it("retrieves the data source schema with status options and groups", async () => {
    const dataSource = await clientFor(emu).dataSources.retrieve({ data_source_id: dataSourceId });
    if (!("parent" in dataSource)) throw new Error("expected a full data source");
    expect(dataSource.parent).toEqual({ type: "database_id", database_id: databaseId });
    const { Name, Status, Priority, Due } = dataSource.properties;
    expect(Name).toMatchObject({ id: "title", name: "Name", type: "title", title: {} });
    expect(Due).toMatchObject({ name: "Due", type: "date" });
    if (Status?.type !== "status" || Priority?.type !== "select") throw new Error("unexpected property types");
    expect(Status.status.options.map((option) => option.name)).toEqual(["Not started", "In progress", "Done"]);
    const optionId = (name: string) => Status.status.options.find((option) => option.name === name)?.id;
    expect(Status.status.groups.map((group) => [group.name, group.option_ids])).toEqual([
      ["To-do", [optionId("Not started")]],
      ["In progress", [optionId("In progress")]],
      ["Complete", [optionId("Done")]],
    ]);
    expect(Priority.select.options.map((option) => option.name)).toEqual(["High", "Medium", "Low"]);
  });

  it("answers 404 object_not_found when databases.retrieve gets a data source id", async () => {
    const error = await apiError(clientFor(emu).databases.retrieve({ database_id: dataSourceId }));
    expect(error.status).toBe(404);
    expect(error.code).toBe(APIErrorCode.ObjectNotFound);
    expect(error.message).toBe(`Could not find database with ID: ${dataSourceId}. Make sure the relevant pages and databases are shared with your integration.`);
  });

  it("hands a data source to its own process as data_sources.retrieve returns it, without a request", async () => {
    const retrieved = await clientFor(emu).dataSources.retrieve({ data_source_id: dataSourceId });
    const requests = emu.requests.length;
    // Every HTTP answer also carries its request_id.
    expect({ ...emu.dataSource(dataSourceId.replaceAll("-", "")), request_id: expect.any(String) }).toEqual(retrieved);
    expect(emu.dataSource("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(emu.requests.length).toBe(requests);
  });

  it("answers 404 for an unknown data source", async () => {
    const error = await apiError(clientFor(emu).dataSources.retrieve({ data_source_id: "00000000-0000-4000-8000-000000000000" }));
    expect([error.status, error.code]).toEqual([404, "object_not_found"]);
  });

  it("creates a database under a parent page with the 2025-09-03 body", async () => {
    const parent = emu.addParentPage({ title: "Team space" });
    const created = await clientFor(emu).databases.create({
      parent: { type: "page_id", page_id: parent.id },
      title: text("Requests"),
      initial_data_source: { properties: { Task: { title: {} }, Owner: { people: {} } } },
    });
    if (!("data_sources" in created)) throw new Error("expected a full database");
    const [source] = created.data_sources;
    if (!source) throw new Error("expected a data source");
    const dataSource = await clientFor(emu).dataSources.retrieve({ data_source_id: source.id });
    expect(Object.keys(dataSource.properties)).toEqual(["Task", "Owner"]);
    expect(created.parent).toEqual({ type: "page_id", page_id: parent.id });
    // Listed under its page as Notion lists it: a child_database block with the database's id and title.
    const listed = await clientFor(emu).blocks.children.list({ block_id: parent.id });
    expect(listed.results).toMatchObject([{ id: created.id, type: "child_database", child_database: { title: "Requests" } }]);
  });

  it("refuses a database under a page it cannot see", async () => {
    const error = await apiError(
      clientFor(emu).databases.create({ parent: { type: "page_id", page_id: "11111111-1111-4111-8111-111111111111" }, initial_data_source: { properties: { Name: { title: {} } } } }),
    );
    expect([error.status, error.code]).toEqual([404, "object_not_found"]);
  });
});

describe("pages", () => {
  it("creates a page and returns it as Notion does", async () => {
    const page = await clientFor(emu).pages.create({
      parent: { type: "data_source_id", data_source_id: dataSourceId },
      properties: {
        Name: { title: text("Fix the login bug") },
        Priority: { select: { name: "High" } },
        Due: { date: { start: "2030-01-15" } },
        "Slack link": { url: "https://example.slack.com/archives/C1/p1" },
      },
    });
    if (!("url" in page)) throw new Error("expected a full page");
    expect(page.url).toBe(`https://www.notion.so/Fix-the-login-bug-${page.id.replaceAll("-", "")}`);
    expect(page.parent).toEqual({ type: "data_source_id", data_source_id: dataSourceId, database_id: databaseId });
    expect(Object.keys(page.properties).sort()).toEqual(Object.keys(taskBoardSchema()).sort());
    expect(page.properties["Name"]).toEqual({
      id: "title",
      type: "title",
      title: [
        {
          type: "text",
          text: { content: "Fix the login bug", link: null },
          annotations: { bold: false, italic: false, strikethrough: false, underline: false, code: false, color: "default" },
          plain_text: "Fix the login bug",
          href: null,
        },
      ],
    });
    expect(page.properties["Requested by"]).toMatchObject({ type: "rich_text", rich_text: [] });
    expect(plain(page.properties["Status"])).toBe("Not started");
    // Notion gives a page's created_time to the minute.
    expect(page.created_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(emu.page(page.id)).toEqual({ ...page, request_id: undefined });
  });

  it("accepts a data source parent without type", async () => {
    const page = await clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("No type") });
    expect(emu.pages(dataSourceId).map((stored) => stored.id)).toEqual([page.id]);
  });

  it("adds an unknown select option to the schema, as Notion does", async () => {
    await clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Urgent", { Priority: { select: { name: "Urgent" } } }) });
    const dataSource = await clientFor(emu).dataSources.retrieve({ data_source_id: dataSourceId });
    const priority = dataSource.properties["Priority"];
    if (priority?.type !== "select") throw new Error("expected a select");
    expect(priority.select.options.map((option) => option.name)).toEqual(["High", "Medium", "Low", "Urgent"]);
  });

  it("fills people with known users and refuses unknown ones", async () => {
    const emulatorWithPeople = emu;
    emulatorWithPeople.addDatabase({ title: "People", dataSourceId: "22222222-2222-4222-8222-222222222222", properties: { Name: { title: {} }, Owner: { people: {} } } });
    const ada = emulatorWithPeople.addUser({ name: "Ada", email: "ada@example.com" });
    const client = clientFor(emulatorWithPeople);
    const page = await client.pages.create({ parent: { data_source_id: "22222222-2222-4222-8222-222222222222" }, properties: { Owner: { people: [{ id: ada.id }] } } });
    if (!("properties" in page)) throw new Error("expected a full page");
    expect(page.properties["Owner"]).toMatchObject({ type: "people", people: [{ object: "user", id: ada.id, name: "Ada", type: "person", person: { email: "ada@example.com" } }] });
    const error = await apiError(
      client.pages.create({ parent: { data_source_id: "22222222-2222-4222-8222-222222222222" }, properties: { Owner: { people: [{ id: "33333333-3333-4333-8333-333333333333" }] } } }),
    );
    expect([error.status, error.code]).toEqual([400, "validation_error"]);
  });

  it.each<[string, PageProperties, string | RegExp]>([
    ["an unknown property", { Reviewer: { rich_text: text("x") } }, "Reviewer is not a property that exists."],
    ["a status that is not an option", { Status: { status: { name: "Blocked" } } }, /Status option "Blocked" does not exist/],
    ["text over 2000 characters", { "Requested by": { rich_text: text("x".repeat(2001)) } }, "body failed validation: body.properties.Requested by.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`."],
    ["a value of the wrong type", { Due: { rich_text: text("tomorrow") } }, "Due is expected to be date."],
  ])("refuses %s with validation_error and writes nothing", async (_name, properties, message) => {
    const error = await apiError(clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: { ...taskProperties("Bad"), ...properties } }));
    expect([error.status, error.code]).toEqual([400, APIErrorCode.ValidationError]);
    expect(error.message).toMatch(message);
    expect(emu.pages(dataSourceId)).toEqual([]);
  });

  it("refuses more than 100 children", async () => {
    const children = Array.from({ length: 101 }, () => ({ paragraph: { rich_text: text("line") } }));
    const error = await apiError(clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Long"), children }));
    expect(error.code).toBe("validation_error");
    expect(error.message).toBe("body failed validation: body.children.length should be ≤ `100`, instead was `101`.");
    expect(emu.pages(dataSourceId)).toEqual([]);
  });

  it("stores children given to pages.create and appends more, paginated", async () => {
    const client = clientFor(emu);
    const page = await client.pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("With body"), children: [{ paragraph: { rich_text: text("first") } }] });
    const more = Array.from({ length: 100 }, (_, index) => ({ type: "bulleted_list_item" as const, bulleted_list_item: { rich_text: text(`item ${index}`) } }));
    const appended = await client.blocks.children.append({ block_id: page.id, children: more });
    expect(appended.results).toHaveLength(100);
    expect(emu.children(page.id)).toHaveLength(101);
    const first = await client.blocks.children.list({ block_id: page.id, page_size: 60 });
    expect([first.results.length, first.has_more]).toEqual([60, true]);
    const second = await client.blocks.children.list({ block_id: page.id, page_size: 60, start_cursor: first.next_cursor ?? undefined });
    expect([second.results.length, second.has_more, second.next_cursor]).toEqual([41, false, null]);
    expect(emu.children(page.id)[0]).toMatchObject({ type: "paragraph", paragraph: { rich_text: [{ plain_text: "first" }] } });
  });

  it("refuses appended blocks whose text is over 2000 characters", async () => {
    const page = emu.addPage(dataSourceId, taskProperties("Notes"));
    const error = await apiError(clientFor(emu).blocks.children.append({ block_id: page.id, children: [{ paragraph: { rich_text: text("y".repeat(2001)) } }] }));
    expect([error.status, error.code]).toEqual([400, "validation_error"]);
    expect(error.message).toBe("body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.");
    expect(emu.children(page.id)).toEqual([]);
  });

  it("updates properties and moves a page to the trash", async () => {
    const client = clientFor(emu);
    const created = emu.addPage(dataSourceId, taskProperties("Ship it"));
    const updated = await client.pages.update({ page_id: created.id, properties: { Status: { status: { name: "Done" } } } });
    if (!("properties" in updated)) throw new Error("expected a full page");
    expect(plain(updated.properties["Status"])).toBe("Done");
    await client.pages.update({ page_id: created.id, in_trash: true });
    expect(emu.page(created.id)?.in_trash).toBe(true);
    const remaining = await client.dataSources.query({ data_source_id: dataSourceId });
    expect(remaining.results).toEqual([]);
    const error = await apiError(client.pages.update({ page_id: created.id, properties: { Name: { title: text("Renamed") } } }));
    expect(error.code).toBe("validation_error");
  });

  it("answers 404 object_not_found for an unknown page", async () => {
    const error = await apiError(clientFor(emu).pages.retrieve({ page_id: "44444444-4444-4444-8444-444444444444" }));
    expect([error.status, error.code]).toEqual([404, "object_not_found"]);
  });
});

describe("querying a data source", () => {
  it("filters by status and sorts by date with empty dates last", async () => {
    const client = clientFor(emu);
    const create = (name: string, status: string, due?: string) =>
      client.pages.create({
        parent: { type: "data_source_id", data_source_id: dataSourceId },
        properties: taskProperties(name, { Status: { status: { name: status } }, ...(due ? { Due: { date: { start: due } } } : {}) }),
      });
    await create("later", "Not started", "2030-03-01");
    await create("no date", "In progress");
    await create("finished", "Done", "2030-01-01");
    await create("sooner", "In progress", "2030-02-01");
    const ascending = await client.dataSources.query({
      data_source_id: dataSourceId,
      filter: { property: "Status", status: { does_not_equal: "Done" } },
      sorts: [{ property: "Due", direction: "ascending" }],
    });
    expect(ascending.results.filter(isFullPage).map((page) => plain(page.properties["Name"]))).toEqual(["sooner", "later", "no date"]);
    const descending = await client.dataSources.query({ data_source_id: dataSourceId, sorts: [{ property: "Due", direction: "descending" }] });
    expect(descending.results.filter(isFullPage).map((page) => plain(page.properties["Name"]))).toEqual(["later", "sooner", "finished", "no date"]);
  });

  it("applies nested and/or, text and timestamp filters", async () => {
    emu.addPage(dataSourceId, taskProperties("Alpha", { "Requested by": { rich_text: text("Ada") }, Priority: { select: { name: "High" } } }), { createdTime: "2030-01-01T10:00:00.000Z" });
    emu.addPage(dataSourceId, taskProperties("Beta", { "Requested by": { rich_text: text("Grace") }, Priority: { select: { name: "Low" } } }), { createdTime: "2030-01-02T10:00:00.000Z" });
    emu.addPage(dataSourceId, taskProperties("Gamma", { "Requested by": { rich_text: text("ada lovelace") } }), { createdTime: "2030-01-03T10:00:00.000Z" });
    const result = await clientFor(emu).dataSources.query({
      data_source_id: dataSourceId,
      filter: {
        and: [
          { property: "Requested by", rich_text: { contains: "ada" } },
          { or: [{ property: "Priority", select: { equals: "High" } }, { property: "Priority", select: { is_empty: true } }] },
          { timestamp: "created_time", created_time: { on_or_after: "2030-01-01" } },
        ],
      },
      sorts: [{ timestamp: "created_time", direction: "ascending" }],
    });
    expect(result.results.filter(isFullPage).map((page) => plain(page.properties["Name"]))).toEqual(["Alpha", "Gamma"]);
  });

  it("pages through 250 results with has_more and next_cursor", async () => {
    for (let index = 0; index < 250; index++) emu.addPage(dataSourceId, taskProperties(`Task ${index}`));
    const client = clientFor(emu);
    const seen: string[] = [];
    const pages: { size: number; hasMore: boolean }[] = [];
    let cursor: string | undefined;
    do {
      const result = await client.dataSources.query({ data_source_id: dataSourceId, ...(cursor ? { start_cursor: cursor } : {}) });
      seen.push(...result.results.map((page) => page.id));
      pages.push({ size: result.results.length, hasMore: result.has_more });
      cursor = result.next_cursor ?? undefined;
    } while (cursor !== undefined);
    expect(pages).toEqual([
      { size: 100, hasMore: true },
      { size: 100, hasMore: true },
      { size: 50, hasMore: false },
    ]);
    expect(new Set(seen).size).toBe(250);
  });

  it.each<[string, QueryBody, string | RegExp]>([
    ["a property the data source lacks", { filter: { property: "Owner", rich_text: { equals: "x" } } }, "Could not find property with name or id: Owner"],
    ["a condition the type does not have", { filter: unchecked({ property: "Status", status: { contains: "Done" } }) }, /exactly one of equals, does_not_equal, is_empty, is_not_empty/],
    ["a filter type that does not match the property", { filter: { property: "Status", select: { equals: "Done" } } }, /which is status/],
    ["a sort on a property the data source lacks", { sorts: [{ property: "Owner", direction: "ascending" }] }, "Could not find sort property with name or id: Owner"],
    ["a page size over 100", { page_size: 101 }, "body failed validation: body.page_size should be ≤ `100`, instead was `101`."],
  ])("refuses %s with validation_error", async (_name, body, message) => {
    const error = await apiError(clientFor(emu).dataSources.query({ data_source_id: dataSourceId, ...body }));
    expect([error.status, error.code]).toEqual([400, "validation_error"]);
    expect(error.message).toMatch(message);
  });
});

describe("users", () => {
  it("lists users with pagination and returns the bot for users.me", async () => {
    for (let index = 0; index < 3; index++) emu.addUser({ name: `Person ${index}`, email: `p${index}@example.com` });
    const client = clientFor(emu);
    const first = await client.users.list({ page_size: 2 });
    const second = await client.users.list({ page_size: 2, start_cursor: first.next_cursor ?? undefined });
    expect([first.results.length, first.has_more, second.results.length, second.has_more]).toEqual([2, true, 2, false]);
    expect(second.results[1]).toMatchObject({ type: "person", name: "Person 2", person: { email: "p2@example.com" } });
    const me = await client.users.me({});
    expect(me).toMatchObject({ id: emu.botUserId, type: "bot", bot: { owner: { type: "workspace", workspace: true } } });
  });
});

describe("protocol", () => {
  it("answers 401 unauthorized to a wrong token", async () => {
    const error = await apiError(clientFor(emu, { auth: "wrong" }).users.me({}));
    expect([error.status, error.code]).toEqual([401, APIErrorCode.Unauthorized]);
  });

  it("refuses data source routes on a Notion-Version before 2025-09-03", async () => {
    const error = await apiError(clientFor(emu, { notionVersion: "2022-06-28" }).dataSources.query({ data_source_id: dataSourceId }));
    expect([error.status, error.code]).toEqual([400, APIErrorCode.InvalidRequest]);
    expect(emu.requests.at(-1)?.notionVersion).toBe("2022-06-28");
  });

  it("answers invalid_request_url to an unknown path and invalid_json to a bad body", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "notion-version": "2025-09-03", "content-type": "application/json" };
    const unknown = await fetch(`${emu.url}/v1/comets`, { headers });
    expect([unknown.status, (await unknown.json()) as unknown]).toEqual([400, expect.objectContaining({ object: "error", code: "invalid_request_url" })]);
    const badJson = await fetch(`${emu.url}/v1/pages`, { method: "POST", headers, body: "{not json" });
    expect([badJson.status, (await badJson.json()) as unknown]).toEqual([400, expect.objectContaining({ code: "invalid_json", message: "Error parsing JSON body." })]);
    expect(emu.requests.map((request) => request.route)).toEqual(["unknown", "pages.create"]);
  });

  it("records each request's route, body and Notion-Version", async () => {
    await clientFor(emu).dataSources.query({ data_source_id: dataSourceId, page_size: 5 });
    expect(emu.requestsTo("dataSources.query")).toEqual([
      expect.objectContaining({ method: "POST", path: `/v1/data_sources/${dataSourceId}/query`, body: { page_size: 5 }, notionVersion: "2025-09-03" }),
    ]);
  });
});

describe("faults", () => {
  it("sends 429 with Retry-After, which the client waits out and retries to success", async () => {
    emu.fail("users.me", { kind: "rate_limited", retryAfterSeconds: 1 });
    const client = clientFor(emu, { retry: { maxRetries: 2, initialRetryDelayMs: 10, maxRetryDelayMs: 2000 } });
    const me = await client.users.me({});
    expect(me.id).toBe(emu.botUserId);
    const [first, second] = emu.requestsTo("users.me");
    expect(emu.requestsTo("users.me")).toHaveLength(2);
    // Without Retry-After the client would back off about 10 ms; one second shows it read the header.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("surfaces a 429 as rate_limited when the client does not retry", async () => {
    emu.fail("pages.create", { kind: "rate_limited", retryAfterSeconds: 30 });
    const error = await apiError(clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("x") }));
    expect([error.status, error.code]).toEqual([429, APIErrorCode.RateLimited]);
    expect(error.headers).toBeInstanceOf(Headers);
    expect(error.headers instanceof Headers ? error.headers.get("retry-after") : undefined).toBe("30");
    expect(emu.pages(dataSourceId)).toEqual([]);
  });

  it("surfaces a 500 on a POST without retrying it, and retries a GET", async () => {
    const client = clientFor(emu, { retry: { maxRetries: 2, initialRetryDelayMs: 5, maxRetryDelayMs: 20 } });
    emu.fail("pages.create", { kind: "error", status: 500, code: "internal_server_error" });
    const error = await apiError(client.pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("x") }));
    expect([error.status, error.code]).toEqual([500, APIErrorCode.InternalServerError]);
    expect(emu.requestsTo("pages.create")).toHaveLength(1);
    emu.fail("dataSources.retrieve", { kind: "error", status: 503, code: "service_unavailable" }, { times: 2 });
    await client.dataSources.retrieve({ data_source_id: dataSourceId });
    expect(emu.requestsTo("dataSources.retrieve")).toHaveLength(3);
  });

  it("plays scripted faults in order, then answers normally", async () => {
    const client = clientFor(emu);
    emu.fail("users.me", { kind: "error", status: 409, code: "conflict_error" }, { times: 2 });
    emu.fail("users.me", { kind: "error", status: 403, code: "restricted_resource" });
    const codes: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      codes.push(await client.users.me({}).then(() => "ok", (error: unknown) => (isNotionClientError(error) ? error.code : "other")));
    }
    expect(codes).toEqual(["conflict_error", "conflict_error", "restricted_resource", "ok"]);
  });

  it("keeps failing a route scripted with times: Infinity", async () => {
    emu.fail("users.me", { kind: "error", status: 503, code: "service_unavailable" }, { times: Infinity });
    const client = clientFor(emu);
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await apiError(client.users.me({}));
      expect(error.code).toBe(APIErrorCode.ServiceUnavailable);
    }
  });

  it("adds latencyMs to every answer", async () => {
    emu.latencyMs = 300;
    const error = await rejectionOf(clientFor(emu, { timeoutMs: 50 }).users.me({}));
    expect(RequestTimeoutError.isRequestTimeoutError(error)).toBe(true);
    emu.latencyMs = 0;
    // The client's own timeout: on a busy machine even a prompt answer can take longer than 50 ms.
    await expect(clientFor(emu).users.me({})).resolves.toMatchObject({ type: "bot" });
  });

  it("answers an HTML 502 that the client reports as an unknown HTTP response", async () => {
    emu.fail("pages.retrieve", { kind: "http", status: 502 });
    const page = emu.addPage(dataSourceId, taskProperties("x"));
    const error = await rejectionOf(clientFor(emu).pages.retrieve({ page_id: page.id }));
    expect(UnknownHTTPResponseError.isUnknownHTTPResponseError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, code: ClientErrorCode.ResponseError });
  });

  it("with delay and commitFirst writes the page although the client timed out", async () => {
    emu.fail("pages.create", { kind: "delay", ms: 400, commitFirst: true });
    const error = await rejectionOf(clientFor(emu, { timeoutMs: 100 }).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Slow") }));
    expect(RequestTimeoutError.isRequestTimeoutError(error)).toBe(true);
    expect(emu.pages(dataSourceId).map((page) => plain(page.properties["Name"]))).toEqual(["Slow"]);
  });

  it("with delay alone writes nothing until the delay is over", async () => {
    // Far longer than the client waits: a busy machine that wakes late cannot run the late write before the check.
    emu.fail("pages.create", { kind: "delay", ms: 60_000 });
    const error = await rejectionOf(clientFor(emu, { timeoutMs: 100 }).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Late") }));
    expect(RequestTimeoutError.isRequestTimeoutError(error)).toBe(true);
    expect(emu.pages(dataSourceId)).toEqual([]);
  });

  it.each<[string, NotionFault]>([
    ["an HTML 502 from the edge", { kind: "http", status: 502, commitFirst: true }],
    ["an HTML 504 from the edge", { kind: "http", status: 504, commitFirst: true }],
    ["a connection reset", { kind: "drop", commitFirst: true }],
  ])("with commitFirst writes the page and then answers %s", async (_name, fault) => {
    emu.fail("pages.create", fault);
    await rejectionOf(clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Lost answer") }));
    expect(emu.pages(dataSourceId).map((page) => plain(page.properties["Name"]))).toEqual(["Lost answer"]);
  });

  it("without commitFirst writes nothing for an HTML 502 or a dropped connection", async () => {
    emu.fail("pages.create", { kind: "http", status: 502 });
    emu.fail("pages.create", { kind: "drop" });
    for (let attempt = 0; attempt < 2; attempt++) {
      await rejectionOf(clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Never") }));
    }
    expect(emu.pages(dataSourceId)).toEqual([]);
  });

  it("with delay and no ms holds the request until releaseHeld, then carries it out and answers", async () => {
    emu.fail("pages.create", { kind: "delay" });
    const creating = clientFor(emu).pages.create({ parent: { data_source_id: dataSourceId }, properties: taskProperties("Held") });
    while (emu.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(emu.pages(dataSourceId)).toEqual([]);
    expect(emu.releaseHeld()).toBe(1);
    expect(await creating).toMatchObject({ object: "page" });
    expect(emu.pages(dataSourceId).map((page) => plain(page.properties["Name"]))).toEqual(["Held"]);
    expect(emu.releaseHeld()).toBe(0);
  });

  it("drops the connection, which the client reports as a network error", async () => {
    emu.fail("users.me", { kind: "drop" });
    const error = await rejectionOf(clientFor(emu).users.me({}));
    expect(isNotionClientError(error)).toBe(false);
    expect(error).toBeInstanceOf(TypeError);
  });

  it("hangs until the client times out, and close() still ends", async () => {
    emu.fail("users.me", { kind: "hang" });
    const error = await rejectionOf(clientFor(emu, { timeoutMs: 100 }).users.me({}));
    expect(RequestTimeoutError.isRequestTimeoutError(error)).toBe(true);
  });

  it("counts a hung request's connection until the client aborts it", async () => {
    emu.fail("users.me", { kind: "hang" });
    const abort = new AbortController();
    const hanging = rejectionOf(fetch(`${emu.url}/v1/users/me`, { headers: { authorization: `Bearer ${TOKEN}`, "notion-version": "2025-09-03" }, signal: abort.signal }));
    while (emu.hangingConnections() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(emu.hangingConnections()).toBe(1);
    abort.abort();
    expect(await hanging).toMatchObject({ name: "AbortError" });
    while (emu.hangingConnections() > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it("rate-limits requests beyond the configured rate", async () => {
    emu.rateLimit = { requestsPerSecond: 2 };
    const client = clientFor(emu);
    const outcomes = await Promise.allSettled([client.users.me({}), client.users.me({}), client.users.me({}), client.users.me({})]);
    const codes = outcomes.map((outcome) => (outcome.status === "fulfilled" ? "ok" : isNotionClientError(outcome.reason) ? outcome.reason.code : "other"));
    expect(codes.sort()).toEqual(["ok", "ok", "rate_limited", "rate_limited"]);
  });

  it("with a burst allowance, lets a burst through and then the average, saying when to come back", async () => {
    let now = 1_000_000;
    const clocked = await startNotionEmulator({ token: TOKEN, now: () => now, rateLimit: { requestsPerSecond: 3, burst: 5 } });
    try {
      const status = async () => {
        const response = await fetch(`${clocked.url}/v1/users/me`, { headers: { authorization: `Bearer ${TOKEN}`, "notion-version": "2025-09-03" } });
        return response.status === 429 ? `429 after ${response.headers.get("retry-after")}` : String(response.status);
      };
      const burst = [];
      for (let i = 0; i < 6; i++) burst.push(await status());
      expect(burst).toEqual(["200", "200", "200", "200", "200", "429 after 1"]);
      // A third of a second refills one request at three a second.
      now += 340;
      expect(await status()).toBe("200");
      expect(await status()).toBe("429 after 1");
    } finally {
      await clocked.close();
    }
  });

  it("reset() drops requests and faults but keeps the data", async () => {
    emu.fail("users.me", { kind: "error", status: 500, code: "internal_server_error" });
    await rejectionOf(clientFor(emu).users.me({}));
    emu.reset();
    expect(emu.requests).toEqual([]);
    await expect(clientFor(emu).users.me({})).resolves.toMatchObject({ type: "bot" });
    await expect(clientFor(emu).databases.retrieve({ database_id: databaseId })).resolves.toMatchObject({ id: databaseId });
  });
});

describe("port", () => {
  it("listens on the port it is given", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const other = await startNotionEmulator({ port });
    try {
      expect(other.url).toBe(`http://127.0.0.1:${port}`);
      await expect(clientFor(other).users.me({})).resolves.toMatchObject({ type: "bot" });
    } finally {
      await other.close();
    }
  });
});

describe("statePath", () => {
  it("keeps data across restarts", async () => {
    const directory = mkdtempSync(join(tmpdir(), "notion-emulator-"));
    const statePath = join(directory, "state.json");
    try {
      const first = await startNotionEmulator({ statePath });
      const board = first.addDatabase({ properties: taskBoardSchema() });
      const page = await clientFor(first).pages.create({
        parent: { data_source_id: board.dataSourceId },
        properties: taskProperties("Persisted", { Status: { status: { name: "In progress" } } }),
        children: [{ paragraph: { rich_text: text("body") } }],
      });
      await first.close();

      const second = await startNotionEmulator({ statePath });
      try {
        const client = clientFor(second);
        const result = await client.dataSources.query({ data_source_id: board.dataSourceId, filter: { property: "Status", status: { equals: "In progress" } } });
        expect(result.results.map((found) => found.id)).toEqual([page.id]);
        const blocks = await client.blocks.children.list({ block_id: page.id });
        expect(blocks.results).toHaveLength(1);
        expect((await client.users.me({})).id).toBe(first.botUserId);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
