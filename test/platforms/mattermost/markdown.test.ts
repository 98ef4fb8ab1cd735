import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { breakMentions, escapeMattermostMarkdown, renderRichText } from "../../../src/platforms/mattermost/markdown.js";

const alice = "a".repeat(26);
const bob = "b".repeat(26);
const usernames = new Map([[alice, "alice"], [bob, "bob"]]);

describe("escapeMattermostMarkdown", () => {
  it("escapes inline markup, and line-start markup only at a line's start", () => {
    expect(escapeMattermostMarkdown("*bold* _it_ `code` [x](y) <b> ~~s~~ |t| !img")).toBe("\\*bold\\* \\_it\\_ \\`code\\` \\[x\\]\\(y\\) \\<b\\> \\~\\~s\\~\\~ \\|t\\| \\!img");
    expect(escapeMattermostMarkdown("# title\n> quote\n- item\n1. one\na-b 2.5")).toBe("\\# title\n\\> quote\n\\- item\n1\\. one\na-b 2.5");
  });

  it("never sends @channel, @all or @here, nor a mention of anyone, and leaves an email alone", () => {
    const escaped = escapeMattermostMarkdown("@channel @all @here hi @bob, mail bob@example.com");
    expect(escaped).toBe("@\u200bchannel @\u200ball @\u200bhere hi @\u200bbob, mail bob@example.com");
    expect(breakMentions("(@here)")).toBe("(@\u200bhere)");
  });

  it("leaves no broadcast and no unescaped markup in any text (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."@*_`[]()<>!|~#-+.\n channelhere".split("")) , maxLength: 40 }), (text) => {
        const escaped = escapeMattermostMarkdown(text);
        expect(escaped).not.toMatch(/(^|[^\p{L}\p{N}_.-])@(channel|all|here)/u);
        expect(escaped.replace(/\\./g, "")).not.toMatch(/[*_`[\]()<>!|~]/);
      }),
    );
  });
});

describe("renderRichText", () => {
  it("pings only the one person named, shows any other by username inertly, and someone unknown or elsewhere by id as text", () => {
    const text = [{ mention: { platform: "mattermost" as const, userId: alice } }, " and ", { mention: { platform: "mattermost" as const, userId: bob } }, " and ", { mention: { platform: "slack" as const, userId: "U1" } }];
    expect(renderRichText(text, { usernames, ping: alice })).toBe("@alice and @\u200bbob and @\u200bU1");
    expect(renderRichText([{ mention: { platform: "mattermost", userId: "c".repeat(26) } }], { usernames })).toBe(`@\u200b${"c".repeat(26)}`);
  });

  it("never writes a username the server reads as a broadcast, whatever it is told", () => {
    expect(renderRichText([{ mention: { platform: "mattermost", userId: alice } }], { usernames: new Map([[alice, "channel"]]), ping: alice })).toBe(`@\u200b${alice}`);
  });

  it("draws links, bold links, code with a backtick, emoji and a channel by name", () => {
    expect(renderRichText([{ link: "https://x.example/a b(1)", text: "Fix *it*", bold: true }, " ", { code: "a`b" }, " ", { emoji: "white_check_mark" }, " ", { channel: { platform: "mattermost", conversation: "c".repeat(26), name: "town-square" } }])).toBe(
      "**[Fix \\*it\\*](https://x.example/a%20b%281%29)** `aˋb` ✅ \\#town-square",
    );
  });
});
