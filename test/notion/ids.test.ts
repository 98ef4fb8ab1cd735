import { describe, expect, it } from "vitest";
import { dashedNotionId, sameNotionId } from "../../src/notion/ids.js";

describe("Notion ids", () => {
  it("dashes 32 hex digits, in either case and dashed or not, and nothing else", () => {
    expect(dashedNotionId("1F2E3D4C5B6A79881F2E3D4C5B6A7988")).toBe("1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988");
    expect(dashedNotionId("1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988")).toBe("1f2e3d4c-5b6a-7988-1f2e-3d4c5b6a7988");
    expect(dashedNotionId("title")).toBeUndefined();
  });

  it("compares ids as Notion writes them in different places", () => {
    expect(sameNotionId("1f2e3d4c5b6a79881f2e3d4c5b6a7988", "1F2E3D4C-5B6A-7988-1F2E-3D4C5B6A7988")).toBe(true);
    expect(sameNotionId("%3AabC", ":abC")).toBe(true);
    expect(sameNotionId(":abC", ":abc")).toBe(false);
    expect(sameNotionId("%E0%A4%A", "%E0%A4%A")).toBe(true);
  });
});
