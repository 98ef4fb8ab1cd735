import { describe, expect, it } from "vitest";
import { buildAlreadyReminded, conversationKind, explainReminderFailure } from "../../../src/features/process-reminder/messages.js";

describe("conversationKind", () => {
  it.each([
    [{ id: "C0GENERAL", name: "general" }, "public"],
    [{ id: "D0ALICE", name: "directmessage" }, "dm"],
    [{ id: "G0MPIM", name: "mpdm-alice--bob-1" }, "group_dm"],
    [{ id: "G0SECRET", name: "secret" }, "private"],
    [{ id: "C0PRIVATE", name: "privategroup" }, "private"],
  ])("reads %j as %s", (channel, kind) => {
    expect(conversationKind(channel)).toBe(kind);
  });
});

describe("explainReminderFailure", () => {
  const general = { id: "C0GENERAL", name: "general" };

  it("says how to invite the bot when it is not in the channel", () => {
    expect(explainReminderFailure({ code: "not_in_channel" }, general, "Fix login")).toBe(
      ":warning: I'm not a member of <#C0GENERAL>, so I couldn't post the reminder about “Fix login”. To add me, type `/invite @` followed by my name in the conversation, or open its details → *Integrations* → *Add apps*. Then use the shortcut again.",
    );
  });

  it("reads channel_not_found on a channel that looks public as a private one", () => {
    expect(explainReminderFailure({ code: "channel_not_found" }, { id: "C0HIDDEN", name: "hidden" }, "")).toMatch(/^:warning: This is a private channel I'm not in, so I couldn't post the reminder\./);
  });

  it("says when to try again after a rate limit, with or without Retry-After", () => {
    expect(explainReminderFailure({ code: "rate_limited", retryAfterSeconds: 12 }, general, "")).toMatch(/try again in 12 seconds\.$/);
    expect(explainReminderFailure({ code: "rate_limited" }, general, "")).toMatch(/try again in a minute\.$/);
  });

  it("escapes the quote and Slack's code", () => {
    const text = explainReminderFailure({ code: "<!here>" }, general, "<!channel> & co");
    expect(text).toContain("“&lt;!channel&gt; &amp; co”");
    expect(text).toContain("(`&lt;!here&gt;`)");
  });
});

describe("buildAlreadyReminded", () => {
  it("says how long ago, in words", () => {
    const at = 1_000_000;
    expect(buildAlreadyReminded({ remindedAt: at, now: at + 30_000, quote: "" })).toContain("reminder less than a minute ago");
    expect(buildAlreadyReminded({ remindedAt: at, now: at + 61_000, quote: "" })).toContain("a minute ago");
    expect(buildAlreadyReminded({ remindedAt: at, now: at + 59 * 60_000, quote: "<b>" })).toContain("about “&lt;b&gt;” 59 minutes ago");
  });
});
