import { describe, expect, it } from "vitest";
import { replaceModalWithNotice } from "../../../src/platforms/slack/responses.js";

describe("replaceModalWithNotice", () => {
  it("keeps the title within Slack's 24 UTF-16 units without cutting an emoji in half", async () => {
    const body = (await replaceModalWithNotice(`${"x".repeat(23)}😀`, "text").json()) as { view: { title: { text: string } } };
    expect(body.view.title.text).toBe("x".repeat(23));
    expect(body.view.title.text.isWellFormed()).toBe(true);
  });
});
