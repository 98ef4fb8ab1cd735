import { afterEach, describe, expect, it } from "vitest";
import { serveHandler, type ServedHandler } from "../../dev/serve-handler.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { verifyNotionSignature } from "../../src/notion/verify-webhook.js";

const TOKEN = "ntn_emulator_webhooks_0000000000";
const SECRET = "secret_emulator_webhooks_0123456789";

let notion: NotionEmulator | undefined;
let receiver: ServedHandler | undefined;
afterEach(async () => {
  await Promise.all([notion?.close(), receiver?.close()]);
  notion = receiver = undefined;
});

/** An emulator subscribed to a receiver that records every request and answers `status`. */
async function subscribed(options: { status?: number; eventTypes?: string[] } = {}) {
  const received: { body: string; signature: string | null }[] = [];
  receiver = await serveHandler(async (request) => {
    received.push({ body: await request.text(), signature: request.headers.get("x-notion-signature") });
    return new Response(null, { status: options.status ?? 200 });
  }, {});
  notion = await startNotionEmulator({ token: TOKEN, webhooks: { url: `${receiver.origin}/notion/webhooks`, token: SECRET, ...(options.eventTypes ? { eventTypes: options.eventTypes } : {}) } });
  const board = notion.addDatabase({ properties: taskBoardSchema() });
  const page = notion.addPage(board.dataSourceId, { Name: { title: [{ text: { content: "A task" } }] } });
  return { received, board, page, notion };
}

describe("the Notion emulator's webhooks", () => {
  it("sends the handshake unsigned, with only the verification token", async () => {
    const { received } = await subscribed();
    const delivery = await notion!.sendHandshake();
    expect(delivery.status).toBe(200);
    expect(received).toEqual([{ body: JSON.stringify({ verification_token: SECRET }), signature: null }]);
  });

  it("signs a person's status change as Notion does, naming the page, its data source, the property and the author", async () => {
    const { received, board, page } = await subscribed();
    await notion!.setStatus(page.id, "Done");
    expect(received).toHaveLength(1);
    expect(verifyNotionSignature({ secret: SECRET, body: received[0]!.body, signature: received[0]!.signature })).toEqual({ ok: true });
    const event = JSON.parse(received[0]!.body) as Record<string, unknown>;
    const statusId = (notion!.page(page.id)!.properties.Status as { id: string }).id;
    expect(event).toMatchObject({
      type: "page.properties_updated",
      attempt_number: 1,
      api_version: "2025-09-03",
      authors: [{ type: "person" }],
      entity: { id: page.id, type: "page" },
      data: { parent: { id: board.databaseId, type: "database", data_source_id: board.dataSourceId }, updated_properties: [statusId] },
    });
    expect((notion!.page(page.id)!.properties.Status as { status: { name: string } }).status.name).toBe("Done");
  });

  it("names the bot as the author of a write through the API, and sends only the selected event types", async () => {
    const { received, page } = await subscribed();
    const response = await fetch(`${notion!.url}/v1/pages/${page.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${TOKEN}`, "notion-version": "2025-09-03", "content-type": "application/json" },
      body: JSON.stringify({ properties: { Status: { status: { name: "In progress" } } } }),
    });
    expect(response.status).toBe(200);
    await notion!.webhooks.flush();
    // page.created (addPage is no API call anyway) is not selected: only the update is sent.
    expect(received.map((request) => JSON.parse(request.body) as { type: string; authors: unknown[] })).toEqual([
      expect.objectContaining({ type: "page.properties_updated", authors: [{ id: notion!.botUserId, type: "bot" }] }),
    ]);
  });

  it("redelivers an event with its id and the next attempt, replays the same bytes, and releases held events in reverse", async () => {
    const { received, page } = await subscribed({ status: 500 });
    const first = (await notion!.setStatus(page.id, "In progress"))!;
    expect(first.status).toBe(500);
    const again = await notion!.webhooks.redeliver(first);
    expect(again.event).toMatchObject({ id: first.event!.id, attempt_number: 2 });
    await notion!.webhooks.replay(first);
    expect(received[2]).toEqual(received[0]);
    notion!.webhooks.hold = true;
    await notion!.setStatus(page.id, "Done");
    await notion!.setStatus(page.id, "Not started");
    expect(received).toHaveLength(3);
    const happened = notion!.webhooks.held.map((event) => event.id);
    const released = await notion!.webhooks.release("reversed");
    expect(released.map((delivery) => delivery.event!.id)).toEqual([...happened].reverse());
    expect(received).toHaveLength(5);
  });

  it("releases held changes of one page as Notion aggregates them: one event, every author once, every property", async () => {
    const { received, page } = await subscribed();
    const person = notion!.addUser({ name: "Dana", email: "dana@example.com" });
    notion!.webhooks.hold = true;
    await notion!.setStatus(page.id, "In progress", { by: "bot" });
    await notion!.setStatus(page.id, "Done", { by: { id: person.id, type: "person" } });
    await notion!.setStatus(page.id, "Done", { by: "bot" });
    const released = await notion!.webhooks.release("aggregated");
    expect(released).toHaveLength(1);
    const event = JSON.parse(received.at(-1)!.body) as { authors: unknown[]; data: { updated_properties: string[] } };
    expect(event.authors).toEqual([{ id: notion!.botUserId, type: "bot" }, { id: person.id, type: "person" }]);
    expect(event.data.updated_properties).toHaveLength(1);
  });

  it("answers users.retrieve for a person and 404 for an unknown id", async () => {
    await subscribed();
    const { id } = notion!.addUser({ name: "Dana", email: "dana@example.com" });
    const get = (userId: string) => fetch(`${notion!.url}/v1/users/${userId}`, { headers: { authorization: `Bearer ${TOKEN}`, "notion-version": "2025-09-03" } });
    expect(await (await get(id)).json()).toMatchObject({ object: "user", id, name: "Dana", type: "person" });
    expect((await get("0f6e0c4e-7e61-4b6e-9d2f-5c1d7a0b8e11")).status).toBe(404);
  });
});
