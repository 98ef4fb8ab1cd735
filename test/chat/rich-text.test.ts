import { describe, expect, it } from "vitest";
import { clockTime, mentionedUserIds, plainTextOf } from "../../src/chat/rich-text.js";

describe("plainTextOf", () => {
  it("reads a time as the time zone's clock, with the day when asked", () => {
    const at = Date.UTC(2025, 0, 6, 7, 5);
    expect(plainTextOf(["Refreshed at ", { time: at, timeZone: "Europe/Paris" }])).toBe("Refreshed at 08:05 Europe/Paris");
    expect(plainTextOf([{ time: at, timeZone: "UTC", day: true }])).toBe("6 Jan, 07:05 UTC");
  });
});

describe("clockTime", () => {
  it("is what Slack's <!date^…> shows a client that cannot show the reader's own zone", () => {
    expect(clockTime({ time: Date.UTC(2025, 0, 6, 23, 30), timeZone: "Asia/Tokyo", day: true })).toBe("7 Jan, 08:30 Asia/Tokyo");
  });
});

describe("mentionedUserIds", () => {
  it("finds no one in a time", () => {
    expect(mentionedUserIds([{ time: 0, timeZone: "UTC" }])).toEqual([]);
  });
});
