import { describe, expect, it } from "vitest";
import { createRecentReminders, REMINDER_WINDOW_MS } from "../../../src/features/process-reminder/recent-reminders.js";

const t0 = Date.parse("2026-11-23T09:00:00Z");

describe("createRecentReminders", () => {
  it("refuses a second claim on the same message within the hour, saying when the first was", () => {
    const recent = createRecentReminders();
    expect(recent.claim("C1", "1.1", t0).ok).toBe(true);
    expect(recent.claim("C1", "1.1", t0 + REMINDER_WINDOW_MS - 1)).toEqual({ ok: false, remindedAt: t0 });
  });

  it("allows the same message again once the hour has passed", () => {
    const recent = createRecentReminders();
    recent.claim("C1", "1.1", t0);
    expect(recent.claim("C1", "1.1", t0 + REMINDER_WINDOW_MS).ok).toBe(true);
  });

  it("keeps messages apart by channel and ts", () => {
    const recent = createRecentReminders();
    recent.claim("C1", "1.1", t0);
    expect(recent.claim("C2", "1.1", t0).ok).toBe(true);
    expect(recent.claim("C1", "1.2", t0).ok).toBe(true);
  });

  it("frees a released claim, so a failed post can be tried again", () => {
    const recent = createRecentReminders();
    const claim = recent.claim("C1", "1.1", t0);
    if (claim.ok) claim.release();
    expect(recent.claim("C1", "1.1", t0 + 1).ok).toBe(true);
  });

  it("forgets the oldest messages past its size", () => {
    const recent = createRecentReminders({ maxEntries: 2 });
    recent.claim("C1", "1.1", t0);
    recent.claim("C1", "1.2", t0 + 1);
    recent.claim("C1", "1.3", t0 + 2);
    expect(recent.claim("C1", "1.1", t0 + 3).ok).toBe(true);
    expect(recent.claim("C1", "1.3", t0 + 4).ok).toBe(false);
  });
});
