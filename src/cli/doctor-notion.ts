/**
 * Doctor's Notion checks: the token works, NOTION_DATABASE_ID is shared with the integration (read
 * with the task store's own lookup, data-source.ts), then the board's properties (doctor-properties.ts).
 */
import type { Env } from "../env.js";
import { createNotionClient, toNotionStoreError, type NotionStoreError } from "../notion/client.js";
import { resolveDataSource, type ResolvedDataSource } from "../notion/data-source.js";
import { checkProperties } from "./doctor-properties.js";
import { AGAIN, DEFAULT_TIMEOUT_MS, isTransportFailure, transportFix, type CallOptions } from "./doctor-transport.js";
import type { Report } from "./report.js";

/** Checks the token, then the database, then its properties; each step is skipped when the one before failed. */
export async function checkNotion(report: Report, env: Env, options: CallOptions): Promise<void> {
  report.section(env.NOTION_API_URL ? `Notion (at ${env.NOTION_API_URL}, from NOTION_API_URL)` : "Notion");
  const token = env.NOTION_TOKEN;
  if (token === undefined) {
    report.skip("Notion not checked: NOTION_TOKEN is not usable (see above)");
    return;
  }
  const client = await createNotionClient({
    token,
    baseUrl: env.NOTION_API_URL,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  let integration: string;
  try {
    const me = await client.users.me({});
    integration = me.name ?? "your integration";
    const workspace = me.type === "bot" && "workspace_name" in me.bot ? me.bot.workspace_name : null;
    report.ok(`NOTION_TOKEN works: integration “${integration}”${workspace ? ` in ${workspace}` : ""}`);
  } catch (error) {
    const failure = toNotionStoreError(error, "checking the token");
    if (failure.code === "unauthorized") {
      report.fail("Notion refused NOTION_TOKEN (unauthorized)", "copy the Internal Integration Secret again from notion.so/profile/integrations -> your integration into NOTION_TOKEN");
    } else {
      report.fail(`could not check NOTION_TOKEN (${failure.code})`, isTransportFailure(failure) ? transportFix(failure, "NOTION_API_URL") : AGAIN);
    }
    report.skip("database not checked: the token must work first");
    return;
  }

  const databaseId = env.NOTION_DATABASE_ID;
  if (databaseId === undefined) {
    report.skip("database not checked: NOTION_DATABASE_ID is not usable (see above)");
    return;
  }
  let found: ResolvedDataSource;
  try {
    found = await resolveDataSource(client, databaseId);
  } catch (error) {
    const failure = toNotionStoreError(error, "reading the database");
    if (failure.code === "not_found") {
      report.fail(
        `the integration can't see NOTION_DATABASE_ID: the database isn't shared with “${integration}”, or the id is wrong`,
        `open the database in Notion -> ••• -> Connections -> add “${integration}”; if it already is, copy its link again (Share -> Copy link) into NOTION_DATABASE_ID`,
      );
    } else if (failure.code === "invalid_request") {
      report.fail(`Notion refused NOTION_DATABASE_ID (${notionMessage(failure)})`, "use the database's own link: open it as a full page -> Share -> Copy link");
    } else {
      report.fail(`could not read the database (${failure.code})`, isTransportFailure(failure) ? transportFix(failure, "NOTION_API_URL") : AGAIN);
    }
    report.skip("properties not checked: the database must be readable first");
    return;
  }
  const title = plainText(found.dataSource.title) || "Untitled";
  report.ok(`NOTION_DATABASE_ID is shared with “${integration}”: “${title}” (given as a ${found.given} id)`);
  if (found.dataSources > 1) {
    report.warn(`the database has ${found.dataSources} data sources and the bot uses the first, “${title}”`, "to use another, set NOTION_DATABASE_ID to that data source's id");
  }
  checkProperties(report, env, found.dataSource);
}

function plainText(items: readonly { plain_text: string }[]): string {
  return items.map((item) => item.plain_text).join("");
}

/** Notion's own explanation, kept as the error's cause. */
function notionMessage(error: NotionStoreError): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}
