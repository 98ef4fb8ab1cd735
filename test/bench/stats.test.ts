import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, percentile, summarize } from "../../bench/stats.js";

describe("percentile", () => {
  it("takes the nearest rank: p99 of 1..100 is 99 and p50 is 50", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 50)).toBe(50);
  });

  it("gives the smallest sample for p0 and the largest for p100", () => {
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it("refuses an empty list and a percentile outside 0..100", () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it("always returns one of the samples, never below min or above max", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1 }), fc.double({ min: 0, max: 100, noNaN: true }), (samples, p) => {
        const value = percentile(samples, p);
        expect(samples).toContain(value);
      }),
    );
  });

  it("does not reorder the caller's array", () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("median and summarize", () => {
  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("takes the middle value of an odd count", () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it("reports median, min, max and the number of runs", () => {
    expect(summarize([5, 1, 9, 3, 7])).toEqual({ median: 5, min: 1, max: 9, runs: 5 });
  });

  it("refuses an empty list", () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => summarize([])).toThrow(RangeError);
  });
});
