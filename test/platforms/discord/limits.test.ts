import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutToChars, discordLength, headWithinChars } from "../../../src/platforms/discord/limits.js";

describe("Discord's lengths", () => {
  it("count code points, as Discord's API does: 2,000 emoji fit a message's content", () => {
    expect(discordLength("😀".repeat(2000))).toBe(2000);
    expect("😀".repeat(2000).length).toBe(4000);
    expect(cutToChars("😀".repeat(2000), 2000)).toBe("😀".repeat(2000));
  });

  it("cut to the longest well-formed start, ending with an ellipsis that counts one", () => {
    expect(cutToChars("😀".repeat(46), 45)).toBe(`${"😀".repeat(44)}…`);
    expect(headWithinChars("ab😀c", 3)).toBe("ab😀");
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "😀", "é", " "), maxLength: 60 }), fc.nat(70), (text, max) => {
        const cut = cutToChars(text, max);
        expect(discordLength(cut)).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
        if (discordLength(text) <= max) expect(cut).toBe(text);
      }),
    );
  });
});
