import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNotionEvent, readHandshake, updatedPropertyIds } from "../../src/notion/webhook-payloads.js";
import { binaryString } from "../../dev/hostile-payloads.js";

/** page.properties_updated as Notion's reference shows it (2025-09-03), trimmed. */
const propertiesUpdated = {
  id: "56c1bc2c-7c8d-4a08-8a1e-7f4f2b7a1d10",
  timestamp: "2025-10-01T09:00:00.000Z",
  workspace_id: "13950b26-c203-4f3b-b97d-93ec06319565",
  workspace_name: "Acme",
  subscription_id: "29d75c0d-5546-4414-8459-7b7a92f1fc4b",
  integration_id: "0ef2e755-4912-4d2c-8e1b-4f9a2c7a3b1e",
  type: "page.properties_updated",
  authors: [{ id: "c7c11cca-1d73-471d-9b6e-bdef51470190", type: "person" }],
  attempt_number: 1,
  api_version: "2025-09-03",
  entity: { id: "153104cd-477e-809d-8dc4-ff2d96ae3090", type: "page" },
  data: {
    parent: { id: "13950b26-c203-4f3b-b97d-93ec06319565", type: "database", data_source_id: "1c7b35e6-e67f-8096-bf3f-000ba938459e" },
    updated_properties: ["XGe%40", "bDf%5B"],
  },
};

describe("readHandshake", () => {
  it("reads the verification token from Notion's first request", () => {
    expect(readHandshake('{"verification_token":"secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl"}')).toBe("secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl");
  });

  it("is not a handshake with any other field, or without the token", () => {
    expect(readHandshake(JSON.stringify({ verification_token: "secret_tMrlL1qK5vuQ", type: "page.created" }))).toBeUndefined();
    expect(readHandshake(JSON.stringify(propertiesUpdated))).toBeUndefined();
    expect(readHandshake("verification_token=secret_x")).toBeUndefined();
  });
});

describe("parseNotionEvent", () => {
  it("reads page.properties_updated: id, time, authors, attempt, the page and what changed", () => {
    const parsed = parseNotionEvent(JSON.stringify(propertiesUpdated));
    expect(parsed.kind).toBe("event");
    if (parsed.kind !== "event") return;
    expect(parsed.event).toMatchObject({ id: propertiesUpdated.id, type: "page.properties_updated", attempt_number: 1, entity: { id: propertiesUpdated.entity.id, type: "page" } });
    expect(updatedPropertyIds(parsed.event)).toEqual(["XGe%40", "bDf%5B"]);
  });

  it("keeps an event type it has never seen, for the routing table to ignore", () => {
    const parsed = parseNotionEvent(JSON.stringify({ ...propertiesUpdated, type: "page.transcription_block.transcript_deleted", data: { target: { id: "x", type: "block" } } }));
    expect(parsed.kind).toBe("event");
  });

  it("names the field at fault, never its value", () => {
    const parsed = parseNotionEvent(JSON.stringify({ ...propertiesUpdated, entity: { type: "page" } }));
    expect(parsed).toEqual({ kind: "invalid", problem: "entity.id: invalid_type" });
    expect(parseNotionEvent("not json")).toEqual({ kind: "invalid", problem: "body is not JSON" });
  });

  it("never throws on hostile input, and keeps the problem it names short", () => {
    fc.assert(
      fc.property(fc.oneof(binaryString(300), fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ ...propertiesUpdated, data: value }))), (body) => {
        const parsed = parseNotionEvent(body);
        expect(["event", "invalid"]).toContain(parsed.kind);
        if (parsed.kind === "invalid") expect(parsed.problem.length).toBeLessThanOrEqual(200);
        expect(() => readHandshake(body)).not.toThrow();
      }),
    );
  });
});
