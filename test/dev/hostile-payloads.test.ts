import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binaryString } from "../../dev/hostile-payloads.js";

describe("binaryString", () => {
  it("draws whole code points from U+0000 to U+10FFFF, never a lone surrogate", () => {
    const drawn = fc.sample(binaryString(40), { numRuns: 500, seed: 7 }).join("");
    expect(drawn.isWellFormed()).toBe(true);
    expect(Math.max(...[...drawn].map((unit) => unit.codePointAt(0)!))).toBeGreaterThan(0xffff);
  });

  it("reads its own values back, so fast-check can shrink a failing string and slice in its dangerous ones", () => {
    const strings = binaryString(20);
    for (const text of ["", "\u0000", "\ud7ff", "\ue000", "\u{10ffff}", "__proto__", "a\u{1f469}\u200d\u{1f467}"]) expect(strings.canShrinkWithoutContext(text)).toBe(true);
    for (const text of ["\ud800", "a\udfff", "x".repeat(21)]) expect(strings.canShrinkWithoutContext(text)).toBe(false);
  });
});
