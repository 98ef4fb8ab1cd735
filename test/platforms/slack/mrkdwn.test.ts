import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkedTitle } from "../../../src/platforms/slack/mrkdwn.js";

describe("linkedTitle", () => {
  it("links a title without a | as the link's label", () => {
    expect(linkedTitle("https://www.notion.so/p1", "Fix login & <stuff>")).toBe("<https://www.notion.so/p1|Fix login &amp; &lt;stuff&gt;>");
  });

  it("shows a title with a | as typed, beside an open link, since a label cannot hold a |", () => {
    expect(linkedTitle("https://www.notion.so/p1", "CSV | PDF", { bold: true })).toBe("*CSV | PDF* (<https://www.notion.so/p1|open>)");
    expect(linkedTitle("https://www.notion.so/p1", "a|b", { open: "Open" })).toBe("a|b (<https://www.notion.so/p1|Open>)");
  });

  it("never lets any title add a link or a mention: the only control sequence is the page's link", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "|", "<", ">", "&", "!", "@", "#", " ", "*", "😀") }), (title) => {
        const mrkdwn = linkedTitle("https://www.notion.so/p1", title);
        expect(mrkdwn.match(/</g)).toHaveLength(1);
        expect(mrkdwn.match(/>/g)).toHaveLength(1);
        expect(mrkdwn).toMatch(/<https:\/\/www\.notion\.so\/p1\|[^<>]*>/);
      }),
    );
  });
});
