import type { DataSourceObjectResponse } from "@notionhq/client";
import { afterEach, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import { MARKS } from "../../src/cli/report.js";
import { runSetupNotion } from "../../src/cli/setup-notion.js";
import { DEFAULT_PROPERTY_NAMES } from "./../../src/cli/board-schema.js";
import { detectBoard } from "../../src/notion/board.js";
import { createNotionClient } from "../../src/notion/client.js";
import { FAULTED_TIMEOUT_MS } from "../../dev/harness.js";
import { startNotionEmulator, type NotionEmulator, type NotionFault } from "../../dev/notion-emulator.js";
import { TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";

const NOTION_TOKEN = "ntn_setup_token_abcdef123456";

let notion: NotionEmulator | undefined;
let slack: SlackEmulator | undefined;

afterEach(async () => {
  await Promise.all([notion?.close(), slack?.close()]);
  notion = slack = undefined;
});

async function start() {
  notion = await startNotionEmulator({ token: NOTION_TOKEN });
  const parent = notion.addParentPage({ title: "Team wiki" });
  return { notion, parent, env: { NOTION_TOKEN, NOTION_API_URL: notion.url } as Record<string, string | undefined> };
}

async function setup(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; text: string; lines: string[] }> {
  let text = "";
  const code = await runSetupNotion({ argv, env, out: { write: (chunk: string) => (text += chunk) } });
  return { code, text, lines: text.split("\n").map((line) => line.trim()) };
}

/** The data source of the database setup created, as the API returns it. */
async function createdDataSource(emulator: NotionEmulator, databaseId: string): Promise<DataSourceObjectResponse> {
  const client = await createNotionClient({ token: NOTION_TOKEN, baseUrl: emulator.url });
  const database = await client.databases.retrieve({ database_id: databaseId });
  const first = "data_sources" in database ? database.data_sources[0] : undefined;
  return (await client.dataSources.retrieve({ data_source_id: first!.id })) as DataSourceObjectResponse;
}

function databaseIdFrom(lines: string[]): string | undefined {
  return lines.find((line) => line.startsWith("NOTION_DATABASE_ID="))?.slice("NOTION_DATABASE_ID=".length);
}

describe("npm run setup:notion", () => {
  it("creates the task database under the page and prints the NOTION_DATABASE_ID line", async () => {
    const { notion, parent, env } = await start();
    const { code, lines } = await setup(["--parent", parent.id], env);
    expect(code).toBe(0);
    const id = databaseIdFrom(lines);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(lines).toContain("✓ its properties are the ones the bot expects");
    const [request] = notion.requestsTo("databases.create");
    expect(request?.body).toMatchObject({ parent: { type: "page_id", page_id: parent.id }, title: [{ text: { content: "Tasks" } }] });
  });

  it("gives the database exactly the schema the bot expects, with Notion's default status options", async () => {
    const { notion, parent, env } = await start();
    const { lines } = await setup(["--parent", parent.id], env);
    const dataSource = await createdDataSource(notion, databaseIdFrom(lines)!);
    const types = Object.fromEntries(Object.entries(dataSource.properties).map(([name, property]) => [name, property.type]));
    expect(types).toEqual({
      Name: "title",
      Status: "status",
      Priority: "select",
      Due: "date",
      "Requested by": "rich_text",
      "Slack link": "url",
      "Request ID": "rich_text",
      Assignee: "people",
    });
    const board = detectBoard(dataSource, DEFAULT_PROPERTY_NAMES);
    expect(board.warnings).toEqual([]);
    expect(board.status).toMatchObject({ type: "status", initial: "Not started", done: ["Done"] });
    expect(board.priority?.options).toEqual(["High", "Medium", "Low"]);
  });

  it("takes the page's URL as well as its id, and a --title", async () => {
    const { notion, parent, env } = await start();
    const url = `https://www.notion.so/acme/Team-wiki-${parent.id.replaceAll("-", "")}`;
    const { code } = await setup(["--parent", url, "--title", "Requests"], env);
    expect(code).toBe(0);
    expect(notion.requestsTo("databases.create")[0]?.body).toMatchObject({ parent: { page_id: parent.id }, title: [{ text: { content: "Requests" } }] });
  });

  it("names the properties as the NOTION_*_PROPERTY variables say", async () => {
    const { notion, parent, env } = await start();
    const { lines } = await setup(["--parent", parent.id], { ...env, NOTION_STATUS_PROPERTY: "State", NOTION_DUE_PROPERTY: "Deadline" });
    const dataSource = await createdDataSource(notion, databaseIdFrom(lines)!);
    expect(dataSource.properties.State?.type).toBe("status");
    expect(dataSource.properties.Deadline?.type).toBe("date");
    expect(dataSource.properties.Status).toBeUndefined();
  });

  it("makes a board that npm run doctor passes", async () => {
    const { parent, env } = await start();
    const { lines } = await setup(["--parent", parent.id], env);
    slack = await startSlackEmulator({ token: "xoxb-setup-token-123456", scopes: ["commands", "chat:write", "users:read", "users:read.email", "app_mentions:read"] });
    let text = "";
    const code = await runDoctor({
      env: {
        ...env,
        NOTION_DATABASE_ID: databaseIdFrom(lines),
        SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
        SLACK_BOT_TOKEN: "xoxb-setup-token-123456",
        SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
        SLACK_API_URL: slack.apiUrl,
      },
      out: { write: (chunk: string) => (text += chunk) },
    });
    expect(text).not.toContain(MARKS.fail);
    expect(code).toBe(0);
  });

  it("refuses clearly when the integration cannot see the parent page, and creates nothing", async () => {
    const { notion, env } = await start();
    const { code, lines } = await setup(["--parent", "0123456789abcdef0123456789abcdef"], env);
    expect(code).toBe(1);
    expect(lines).toContain(
      "✗ the integration can't see that page — fix: open it in Notion -> ••• -> Connections -> add your integration (“chatops”), then run this again",
    );
    expect(databaseIdFrom(lines)).toBeUndefined();
    expect(notion.requestsTo("dataSources.retrieve")).toHaveLength(0);
  });

  it.each<[string, NotionFault]>([
    ["an HTML 502", { kind: "http", status: 502, commitFirst: true }],
    ["an HTML 504", { kind: "http", status: 504, commitFirst: true }],
    ["a connection reset", { kind: "drop", commitFirst: true }],
    ["no answer until the timeout", { kind: "hang", commitFirst: true }],
  ])("finds the database Notion made when its answer was lost (%s), and prints its line instead of failing", async (_name, fault) => {
    const { notion, parent, env } = await start();
    notion.fail("databases.create", fault);
    let text = "";
    const code = await runSetupNotion({ argv: ["--parent", parent.id], env, out: { write: (chunk: string) => (text += chunk) }, timeoutMs: FAULTED_TIMEOUT_MS });
    const lines = text.split("\n").map((line) => line.trim());
    expect(code).toBe(0);
    const databases = notion.children(parent.id).filter((block) => block.type === "child_database");
    expect(databases).toHaveLength(1);
    expect(databaseIdFrom(lines)).toBe(databases[0]!.id);
    expect(text).toContain("Notion's answer was lost");
  });

  it("says the database was not made, and to run it again, when Notion's 502 was true", async () => {
    let clock = Date.parse("2026-12-01T10:00:30.000Z");
    notion = await startNotionEmulator({ token: NOTION_TOKEN, now: () => clock });
    const parent = notion.addParentPage({ title: "Team wiki" });
    // A database of the same title made under the page earlier is not taken for this run's.
    notion.addDatabase({ title: "Tasks", properties: { Name: { title: {} } }, parentPageId: parent.id });
    clock += 10 * 60_000;
    notion.fail("databases.create", { kind: "http", status: 502 });
    let text = "";
    const code = await runSetupNotion({ argv: ["--parent", parent.id], env: { NOTION_TOKEN, NOTION_API_URL: notion.url }, out: { write: (chunk: string) => (text += chunk) }, now: () => clock });
    const lines = text.split("\n").map((line) => line.trim());
    expect(code).toBe(1);
    expect(lines).toContain("✗ Notion did not create the database (unavailable): it is not under the page — fix: run this again");
    expect(databaseIdFrom(lines)).toBeUndefined();
  });

  it("refuses a token Notion does not accept", async () => {
    const { parent, env } = await start();
    const { code, lines } = await setup(["--parent", parent.id], { ...env, NOTION_TOKEN: "ntn_revoked_token" });
    expect(code).toBe(1);
    expect(lines.some((line) => line.startsWith("✗ Notion refused NOTION_TOKEN (unauthorized) — fix:"))).toBe(true);
  });

  it("says where to find NOTION_TOKEN when it is missing, and calls nothing", async () => {
    const { notion, parent } = await start();
    const { code, lines } = await setup(["--parent", parent.id], { NOTION_API_URL: notion.url });
    expect(code).toBe(1);
    expect(lines.some((line) => line.startsWith("✗ NOTION_TOKEN is missing — fix: notion.so/profile/integrations"))).toBe(true);
    expect(notion.requests).toEqual([]);
  });

  it("is not stopped by a variable it does not use", async () => {
    const { parent, env } = await start();
    const { code } = await setup(["--parent", parent.id], { ...env, SLACK_BOT_TOKEN: "not-a-bot-token" });
    expect(code).toBe(0);
  });

  it("answers a missing or malformed --parent with the usage, exit 2", async () => {
    const { env, notion } = await start();
    const missing = await setup([], env);
    expect(missing.code).toBe(2);
    expect(missing.text).toContain("usage: npm run setup:notion -- --parent <page id or URL>");
    const malformed = await setup(["--parent", "my page"], env);
    expect(malformed.code).toBe(2);
    expect(malformed.text).toContain("--parent must be a Notion page id or the page's URL");
    const unknown = await setup(["--parnet", "x"], env);
    expect(unknown.code).toBe(2);
    expect(notion.requests).toEqual([]);
  });
});
