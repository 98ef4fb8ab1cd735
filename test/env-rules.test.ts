import { describe, expect, it } from "vitest";
import { extractNotionId } from "../src/env-rules.js";

describe("extractNotionId", () => {
  const dashed = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d";

  it("accepts a bare id with or without dashes", () => {
    expect(extractNotionId("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d")).toBe(dashed);
    expect(extractNotionId(dashed)).toBe(dashed);
  });

  it("takes the database id from a URL, not the view id", () => {
    const url = "https://www.notion.so/acme/Feed-Tasks-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d?v=ffffffffffffffffffffffffffffffff";
    expect(extractNotionId(url)).toBe(dashed);
  });

  it("does not mistake hex letters in the page's name for part of the id", () => {
    expect(extractNotionId("https://www.notion.so/Feed-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d")).toBe(dashed);
  });

  it("rejects text that holds no id", () => {
    expect(extractNotionId("my tasks")).toBeUndefined();
    expect(extractNotionId("1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d00")).toBeUndefined();
  });
});
