import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutToUnits, headWithinUnits, splitIntoUnits } from "../src/text.js";

/** Text made of the characters that make counting go wrong: ASCII, a 2-unit emoji, an accent, a space. */
const mixedText = (maxLength: number) => fc.string({ unit: fc.constantFrom("a", "😀", "é", " ", "\n", '"'), maxLength });

describe("headWithinUnits", () => {
  it("counts UTF-16 units, as Slack and Notion do: 75 emoji are 150 units", () => {
    expect(headWithinUnits("😀".repeat(75), 150)).toBe("😀".repeat(75));
    expect(headWithinUnits("😀".repeat(76), 150)).toBe("😀".repeat(75));
  });

  it("drops an emoji whose second half would be cut off, rather than send half of it", () => {
    expect(headWithinUnits("😀".repeat(3), 5)).toBe("😀😀");
    expect(headWithinUnits(`ab${"😀"}`, 3)).toBe("ab");
  });

  it("is the longest well-formed start of the text within the limit", () => {
    fc.assert(
      fc.property(mixedText(60), fc.nat(70), (text, max) => {
        const head = headWithinUnits(text, max);
        expect(text.startsWith(head)).toBe(true);
        expect(head.length).toBeLessThanOrEqual(max);
        expect(head.isWellFormed()).toBe(true);
        // One more unit would be over the limit or half an emoji.
        if (head.length < text.length) expect(head.length + (text.codePointAt(head.length)! > 0xffff ? 2 : 1)).toBeGreaterThan(max);
      }),
    );
  });
});

describe("cutToUnits", () => {
  it("leaves text within the limit as it is", () => {
    expect(cutToUnits("😀".repeat(75), 150)).toBe("😀".repeat(75));
  });

  it("ends a cut text with an ellipsis that counts as one unit", () => {
    // 151 emoji are 302 units: 74 emoji and "…" are 149, the longest that fits 150 without splitting a pair.
    expect(cutToUnits("😀".repeat(151), 150)).toBe(`${"😀".repeat(74)}…`);
    expect(cutToUnits("x".repeat(151), 150)).toBe(`${"x".repeat(149)}…`);
  });

  it("never goes over the limit or splits a pair, and keeps a start of the text", () => {
    fc.assert(
      fc.property(mixedText(80), fc.integer({ min: 1, max: 90 }), (text, max) => {
        const cut = cutToUnits(text, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.isWellFormed()).toBe(true);
        if (cut !== text) {
          expect(cut.endsWith("…")).toBe(true);
          expect(text.startsWith(cut.slice(0, -1))).toBe(true);
          expect(cut.length).toBeGreaterThanOrEqual(max - 1);
        }
      }),
    );
  });
});

describe("splitIntoUnits", () => {
  it("splits 2,001 emoji into pieces of at most 2,000 units, which Notion accepts", () => {
    expect(splitIntoUnits("😀".repeat(2_001), 2_000).map((piece) => piece.length)).toEqual([2_000, 2_000, 2]);
  });

  it("gives back the whole text, in order, in well-formed pieces each as long as they can be", () => {
    fc.assert(
      fc.property(mixedText(120), fc.integer({ min: 2, max: 30 }), (text, size) => {
        const pieces = splitIntoUnits(text, size);
        expect(pieces.join("")).toBe(text);
        for (const [index, piece] of pieces.entries()) {
          expect(piece.length).toBeLessThanOrEqual(size);
          expect(piece.isWellFormed()).toBe(true);
          // Every piece but the last is full, or one unit short where the next emoji would not fit.
          if (index < pieces.length - 1) expect(piece.length).toBeGreaterThanOrEqual(size - 1);
        }
      }),
    );
  });

  it("is one empty piece for empty text", () => {
    expect(splitIntoUnits("", 2_000)).toEqual([""]);
  });
});
