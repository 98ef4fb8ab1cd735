import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { createNotionClient, toNotionStoreError } from "../../src/notion/client.js";
import { resolveDataSource } from "../../src/notion/data-source.js";

const TOKEN = "secret_data_source_test";
let notion: NotionEmulator;
let board: { databaseId: string; dataSourceId: string };

beforeAll(async () => {
  notion = await startNotionEmulator({ token: TOKEN });
  board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
});
afterAll(() => notion.close());

/** The real client against the emulator; `fetch` may stand between them to change an answer. */
const client = (fetchImpl: typeof fetch = fetch) => createNotionClient({ token: TOKEN, baseUrl: notion.url, fetch: fetchImpl, timeoutMs: 2_000 });

describe("resolveDataSource", () => {
  it("takes a database id to its first data source, and says so", async () => {
    const found = await resolveDataSource(await client(), board.databaseId);
    expect({ id: found.dataSource.id, given: found.given, dataSources: found.dataSources }).toEqual({ id: board.dataSourceId, given: "database", dataSources: 1 });
  });

  it("takes a data source id as it is, and says so", async () => {
    const found = await resolveDataSource(await client(), board.dataSourceId);
    expect({ id: found.dataSource.id, given: found.given, dataSources: found.dataSources }).toEqual({ id: board.dataSourceId, given: "data source", dataSources: 1 });
  });

  it("rejects an id neither lookup finds with the database lookup's error, whose fix is to share the database", async () => {
    const unknown = "0123456789abcdef0123456789abcdef";
    const error: unknown = await resolveDataSource(await client(), unknown).then(() => undefined, (rejected: unknown) => rejected);
    expect(toNotionStoreError(error, "reading the database").code).toBe("not_found");
    expect(String((error as Error).message)).toMatch(/Could not find database/);
  });

  it("rejects a partial data source (no parent, no title) as not found rather than pass it on as whole", async () => {
    const partial: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!url.pathname.startsWith("/v1/data_sources/")) return fetch(input, init);
      return Response.json({ object: "data_source", id: board.dataSourceId, properties: {} });
    };
    const error: unknown = await resolveDataSource(await client(partial), board.databaseId).then(() => undefined, (rejected: unknown) => rejected);
    expect(toNotionStoreError(error, "reading the database").code).toBe("not_found");
  });
});
