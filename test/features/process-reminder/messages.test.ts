import { describe, expect, it } from "vitest";
import type { Place } from "../../../src/chat/model.js";
import { buildAlreadyReminded, buildReminded, buildUnreadableButton, explainReminderFailure, quoteOf, type ReminderWhere } from "../../../src/features/process-reminder/messages.js";
import { renderCard } from "../../../src/platforms/discord/render.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";

const slackPlace = (conversation: string): Place => ({ platform: "slack", workspace: "T0TEAM", conversation, message: "1760000001.000101" });
const slackText = (card: Parameters<typeof renderSlackCard>[0]) => {
  const drawn = renderSlackCard(card);
  // Ephemeral answers are text alone, as before the port.
  expect(drawn).toEqual({ text: drawn.text });
  return drawn.text;
};

describe("explainReminderFailure, on Slack", () => {
  const general: ReminderWhere = { place: slackPlace("C0GENERAL"), kind: "public" };

  it("says how to invite the bot when it is not in the channel", () => {
    expect(slackText(explainReminderFailure({ code: "forbidden", platformCode: "not_in_channel" }, general, "Fix login"))).toBe(
      ":warning: I'm not a member of <#C0GENERAL>, so I couldn't post the reminder about “Fix login”. To add me, type `/invite @` followed by my name in the conversation, or open its details → *Integrations* → *Add apps*. Then use the shortcut again.",
    );
  });

  it("reads channel_not_found on a channel that looks public as a private one", () => {
    expect(slackText(explainReminderFailure({ code: "not_found", platformCode: "channel_not_found" }, { place: slackPlace("C0HIDDEN"), kind: "private" }, ""))).toMatch(
      /^:warning: This is a private channel I'm not in, so I couldn't post the reminder\./,
    );
  });

  it("explains a DM and a group DM the bot is not part of", () => {
    expect(slackText(explainReminderFailure({ code: "not_found" }, { place: slackPlace("D0ALICEBOB"), kind: "dm" }, ""))).toBe(
      ":warning: I can't post in a direct message between other people, so I couldn't post the reminder. You can put it on the board yourself with the *Create task* shortcut on the message.",
    );
    expect(slackText(explainReminderFailure({ code: "not_found" }, { place: slackPlace("G0MPIM"), kind: "group_dm" }, ""))).toBe(
      ":warning: I'm not part of this group message, so I couldn't post the reminder. Add me to it (type `/invite @` followed by my name in the conversation, or open its details → *Integrations* → *Add apps*), or put it on the board yourself with the *Create task* shortcut.",
    );
  });

  it("says an archived channel is archived", () => {
    expect(slackText(explainReminderFailure({ code: "forbidden", platformCode: "is_archived" }, general, ""))).toBe(":warning: This channel is archived, so I couldn't post the reminder.");
  });

  it("says when to try again after a rate limit, with or without Retry-After", () => {
    expect(slackText(explainReminderFailure({ code: "rate_limited", retryAfterSeconds: 12 }, general, ""))).toMatch(/try again in 12 seconds\.$/);
    expect(slackText(explainReminderFailure({ code: "rate_limited" }, general, ""))).toBe(":hourglass: Slack is rate-limiting me right now, so I couldn't post the reminder. Please try again in a minute.");
  });

  it("says the post may have landed after a timeout or a 5xx", () => {
    expect(slackText(explainReminderFailure({ code: "timeout" }, general, ""))).toBe(":hourglass: Slack didn't answer in time, so the reminder may not have been posted. Check the thread before trying again.");
    expect(slackText(explainReminderFailure({ code: "http_error" }, general, "x"))).toBe(
      ":warning: Slack had a problem when I posted the reminder about “x”, so it may not have been posted. Check the thread before trying again.",
    );
  });

  it("escapes the quote and Slack's code", () => {
    const text = slackText(explainReminderFailure({ code: "invalid_request", platformCode: "<!here>" }, general, "<!channel> & co"));
    expect(text).toContain("“&lt;!channel&gt; &amp; co”");
    expect(text).toContain("(`&lt;!here&gt;`)");
  });
});

describe("explainReminderFailure, on Discord", () => {
  const place: Place = { platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001", message: "1500000000000000001" };

  it("asks for the channel's permissions, links the channel, and pings no one", () => {
    const { body } = renderCard(explainReminderFailure({ code: "forbidden", platformCode: 50013 }, { place, kind: "public" }, "Fix @everyone"), {});
    expect(body.content).toBe(
      "⚠️ I'm not allowed to post in <#1300000000000000001>, so I couldn't post the reminder about “Fix @\u200beveryone”. To let me, ask someone who manages this server to let me **View Channel** and **Send Messages** there \\(**Send Messages in Threads** in a thread\\). Then use **Remind of process** again.",
    );
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("names Discord, and the replies, where Slack's text names Slack and the thread", () => {
    expect(renderCard(explainReminderFailure({ code: "timeout" }, { place, kind: "public" }, ""), {}).body.content).toBe(
      "⌛ Discord didn't answer in time, so the reminder may not have been posted. Check the replies to the message before trying again.",
    );
  });
});

describe("explainReminderFailure, on Mattermost", () => {
  it("says how to add the bot when Mattermost refuses the post (a channel it is not in, or may not post in)", async () => {
    const { renderCard: renderMattermostCard } = await import("../../../src/platforms/mattermost/render.js");
    const where: ReminderWhere = { place: { platform: "mattermost", workspace: "t".repeat(26), conversation: "c".repeat(26), message: "p".repeat(26) }, kind: "public" };
    const card = explainReminderFailure({ code: "forbidden", platformCode: "api.context.permissions.app_error" }, where, "Fix login");
    expect(renderMattermostCard(card, { signingKey: Buffer.alloc(32), now: 0, siteUrl: undefined }).message).toBe(
      "⚠️ I'm not a member of this channel, or may not post there, so I couldn't post the reminder about “Fix login”. To add me, type `/invite @` followed by my name in the channel, then use `/task remind` again.",
    );
  });
});

describe("buildAlreadyReminded", () => {
  it("says how long ago, in words", () => {
    const at = 1_000_000;
    const said = (now: number, quote: string) => slackText(buildAlreadyReminded({ remindedAt: at, now, quote, platform: "slack" }));
    expect(said(at + 30_000, "")).toBe(":information_source: I already posted this reminder less than a minute ago, so I didn't post it again. It's in the message's thread.");
    expect(said(at + 61_000, "")).toContain("a minute ago");
    expect(said(at + 59 * 60_000, "<b>")).toContain("about “&lt;b&gt;” 59 minutes ago");
  });
});

describe("buildUnreadableButton", () => {
  it("points to the Create task shortcut", () => {
    expect(slackText(buildUnreadableButton("slack"))).toBe(
      ":warning: This button is from an older version of the bot and can't open the form any more. Use *Create task* from the original message's ⋮ menu instead.",
    );
  });
});

describe("quoteOf", () => {
  it("is the first non-empty line, spaces collapsed, cut with an ellipsis", () => {
    expect(quoteOf("\n  Fix   the login \nmore")).toBe("Fix the login");
    expect(quoteOf("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("buildReminded", () => {
  it("tells the person on Discord it was posted, with the button, naming the author without pinging", () => {
    const author = { platform: "discord" as const, workspace: "1200000000000000001", userId: "1400000000000000001", displayName: "alice" };
    const { body } = renderCard(buildReminded({ author, value: '{"v":2}', platform: "discord" }), {});
    expect(body.content).toBe("✅ I reminded <@1400000000000000001> of the process in a reply to the message. You can put it on the board yourself now:");
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(body.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: "Create task from this message", custom_id: 'create_task_from_reminder;;{"v":2}' }] }]);
  });
});
