/**
 * `npm run setup:notion -- --parent <page id or URL>`: creates the task database, with the schema the
 * bot expects, under a page the integration can see, and prints the NOTION_DATABASE_ID line for .env.
 */
import { parseArgs } from "node:util";
import { extractNotionId } from "../env-rules.js";
import type { EnvName, EnvSource } from "../env.js";
import { detectBoard } from "../notion/board.js";
import type { Client } from "@notionhq/client";
import { createNotionClient, toNotionStoreError, type NotionStoreError } from "../notion/client.js";
import { propertyNamesFrom, taskBoardProperties } from "./board-schema.js";
import { readEnvLeniently } from "./env-source.js";
import { createReport, type Output } from "./report.js";
import { runIfMain } from "./script.js";

export interface SetupNotionOptions {
  /** The arguments after `--`: `--parent <page id or URL>` and optionally `--title <name>`. */
  argv: readonly string[];
  env: EnvSource;
  out: Output;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** The clock (ms since the epoch), for when the database was asked for. */
  now?: () => number;
}

export const DEFAULT_BOARD_TITLE = "Tasks";

const USAGE = "usage: npm run setup:notion -- --parent <page id or URL> [--title <database title>]";

/** The variables this command reads; any other one may be wrong without stopping it. */
const USED: readonly EnvName[] = [
  "NOTION_TOKEN",
  "NOTION_API_URL",
  "NOTION_STATUS_PROPERTY",
  "NOTION_PRIORITY_PROPERTY",
  "NOTION_DUE_PROPERTY",
  "NOTION_REQUESTER_PROPERTY",
  "NOTION_SLACK_LINK_PROPERTY",
  "NOTION_REQUEST_ID_PROPERTY",
];

/** Creates the database and returns the exit code: 0 when it was created, 2 for bad arguments, else 1. */
export async function runSetupNotion(options: SetupNotionOptions): Promise<number> {
  const report = createReport(options.out);

  let parentArg: string | undefined;
  let title: string;
  try {
    const { values } = parseArgs({
      args: [...options.argv],
      options: { parent: { type: "string" }, title: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      report.line(USAGE);
      return 0;
    }
    parentArg = values.parent;
    title = values.title?.trim() || DEFAULT_BOARD_TITLE;
  } catch (error) {
    report.line(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (parentArg === undefined) {
    report.line(`Which page should the database go under? Pass it with --parent.\n${USAGE}`);
    return 2;
  }
  const parentId = extractNotionId(parentArg);
  if (parentId === undefined) {
    report.line(`--parent must be a Notion page id or the page's URL (in Notion: Share -> Copy link).\n${USAGE}`);
    return 2;
  }

  const { env, problems } = readEnvLeniently(["NOTION_TOKEN"], options.env);
  const blocking = problems.filter((problem) => (USED as readonly string[]).includes(problem.name));
  for (const problem of blocking) report.fail(problem.problem, problem.fix);
  if (blocking.length > 0 || env.NOTION_TOKEN === undefined) return 1;

  const client = await createNotionClient({
    token: env.NOTION_TOKEN,
    baseUrl: env.NOTION_API_URL,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let integration: string;
  let botId: string;
  try {
    const me = await client.users.me({});
    integration = me.name ?? "your integration";
    botId = me.id;
  } catch (error) {
    const failure = toNotionStoreError(error, "checking the token");
    if (failure.code === "unauthorized") {
      report.fail("Notion refused NOTION_TOKEN (unauthorized)", "copy the Internal Integration Secret again from notion.so/profile/integrations -> your integration into NOTION_TOKEN");
    } else report.fail(`could not reach Notion (${failure.code})`, "check the network connection (and NOTION_API_URL, if it is set), then try again");
    return 1;
  }

  const names = propertyNamesFrom(env);
  const startedAt = (options.now ?? Date.now)();
  let created;
  try {
    created = await client.databases.create({
      parent: { type: "page_id", page_id: parentId },
      title: [{ type: "text", text: { content: title } }],
      initial_data_source: { properties: taskBoardProperties(names) },
    });
  } catch (error) {
    const failure = toNotionStoreError(error, "creating the database");
    // No answer is not "not created": Notion may have made it and lost the reply. Look under the page before saying so.
    if (failure.code === "unavailable" || failure.code === "timeout" || failure.code === "network_error") {
      let landed;
      try {
        const id = await findCreatedDatabase(client, { parentId, title, botId, since: startedAt });
        landed = id === undefined ? undefined : await client.databases.retrieve({ database_id: id });
      } catch (lookError) {
        report.fail(
          `Notion did not answer (${failure.code}), and the page could not be checked (${toNotionStoreError(lookError, "reading the page").code})`,
          `look under the page in Notion before running this again: the database may have been created (if “${title}” is there, put its id in NOTION_DATABASE_ID)`,
        );
        return 1;
      }
      if (landed === undefined) {
        report.fail(`Notion did not create the database (${failure.code}): it is not under the page`, "run this again");
        return 1;
      }
      report.warn(`Notion's answer was lost (${failure.code}), but the database is under the page: this is the one it made`);
      created = landed;
    } else if (failure.code === "not_found") {
      report.fail(
        "the integration can't see that page",
        `open it in Notion -> ••• -> Connections -> add your integration (“${integration}”), then run this again`,
      );
    } else if (failure.code === "invalid_request") {
      report.fail(`Notion refused to create the database there (${notionMessage(failure)})`, "pass a page (not a database or a view) that the integration can see");
    } else if (failure.code === "unauthorized") {
      report.fail("Notion refused NOTION_TOKEN (unauthorized)", "copy the Internal Integration Secret again into NOTION_TOKEN");
    } else {
      report.fail(`Notion did not create the database (${failure.code})`, "try again");
    }
    if (created === undefined) return 1;
  }

  const url = "url" in created ? created.url : undefined;
  report.ok(`created the database “${title}” under the page, with the integration “${integration}” already connected${url ? `: ${url}` : ""}`);
  // Read the new schema back as the bot will: anything it would skip is worth saying now.
  const firstSource = "data_sources" in created ? created.data_sources[0] : undefined;
  if (firstSource) {
    try {
      const dataSource = await client.dataSources.retrieve({ data_source_id: firstSource.id });
      if ("url" in dataSource) {
        const board = detectBoard(dataSource, names);
        for (const warning of board.warnings) report.warn(warning);
        if (board.warnings.length === 0) report.ok("its properties are the ones the bot expects");
      }
    } catch {
      report.warn("could not read the new database back", "run npm run doctor once NOTION_DATABASE_ID is set");
    }
  }
  if (env.NOTION_DATABASE_ID !== undefined) report.warn("NOTION_DATABASE_ID is already set: replace it with the line below to use the new database");

  report.line();
  report.line("Add this line to .env (and to Netlify: Site configuration -> Environment variables, or npx netlify env:set NAME value):");
  report.line();
  report.line(`NOTION_DATABASE_ID=${created.id}`);
  report.line();
  report.line("Then run npm run doctor.");
  return 0;
}

/**
 * The database `title` the integration (`botId`) made under the page since `since` (ms), as Notion
 * lists it there: a child_database block with the database's id. Newest first when there are several.
 * Reads at most 1,000 of the page's blocks; rejects with the SDK's error when Notion cannot be asked.
 */
async function findCreatedDatabase(client: Client, input: { parentId: string; title: string; botId: string; since: number }): Promise<string | undefined> {
  // Notion gives created_time to the minute, by its own clock: a minute early, on the minute.
  const since = Math.floor((input.since - 60_000) / 60_000) * 60_000;
  const found: string[] = [];
  let cursor: string | undefined;
  for (let read = 0; read < 10; read++) {
    const page = await client.blocks.children.list({ block_id: input.parentId, page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) });
    for (const block of page.results) {
      if (!("type" in block) || block.type !== "child_database") continue;
      if (block.child_database.title === input.title && block.created_by.id === input.botId && Date.parse(block.created_time) >= since) found.push(block.id);
    }
    if (!page.has_more || !page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return found.at(-1);
}

function notionMessage(error: NotionStoreError): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

await runIfMain(import.meta.url, ({ env, out, argv }) => runSetupNotion({ env, out, argv }));
