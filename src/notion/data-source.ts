/**
 * The board's data source from the id a person configured (NOTION_DATABASE_ID): the 2025-09-03 API
 * reads and writes a database through its data sources, and people copy either id from Notion.
 * The one lookup the task store and doctor share, so what the bot reads is what doctor checks.
 */
import type { Client, DataSourceObjectResponse } from "@notionhq/client";
import { NotionStoreError, toNotionStoreError } from "./client.js";

export interface ResolvedDataSource {
  dataSource: DataSourceObjectResponse;
  /** Which lookup found it: the id is a database's (its first data source is used) or a data source's. */
  given: "database" | "data source";
  /** How many data sources the database has; 1 when the id is a data source's. */
  dataSources: number;
}

/**
 * Accepts a database id (its first data source) or a data source id. Rejects with the database
 * lookup's error, as the SDK threw it, when that lookup fails other than not_found or when neither
 * lookup finds the id; with a `not_found` NotionStoreError when the database has no data source the
 * integration can see or the data source comes back partial.
 */
export async function resolveDataSource(client: Client, id: string): Promise<ResolvedDataSource> {
  let database;
  try {
    database = await client.databases.retrieve({ database_id: id });
  } catch (error) {
    const notADatabase = toNotionStoreError(error, "reading the database").code === "not_found";
    if (!notADatabase) throw error;
    try {
      return { dataSource: asFullDataSource(await client.dataSources.retrieve({ data_source_id: id })), given: "data source", dataSources: 1 };
    } catch {
      // Both lookups failed: report the database one, whose fix (share it) is the likely one.
      throw error;
    }
  }
  const sources = "data_sources" in database ? database.data_sources : [];
  const first = sources[0];
  if (first === undefined) throw new NotionStoreError("not_found", "The Notion database has no data source the integration can see");
  return { dataSource: asFullDataSource(await client.dataSources.retrieve({ data_source_id: first.id })), given: "database", dataSources: sources.length };
}

function asFullDataSource(dataSource: Awaited<ReturnType<Client["dataSources"]["retrieve"]>>): DataSourceObjectResponse {
  // A partial answer (id and properties only) means the integration cannot read the whole data source.
  if (!("parent" in dataSource)) throw new NotionStoreError("not_found", "The integration cannot read the data source's schema");
  return dataSource;
}
