import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeDiscordMarkdown, noPings, onlyPing, renderRichText } from "../../../src/platforms/discord/markdown.js";

/**
 * Discord's reading of escaped text (simple-markdown's `escape` rule): a backslash before any
 * character that is not a letter, digit or whitespace shows that character. What a person sees.
 */
const shown = (markdown: string) => markdown.replace(/\\([^0-9A-Za-z\s])/g, "$1");

/** Text made of what Discord's markdown and mentions are made of, and ordinary letters. */
const hostileText = fc.string({
  unit: fc.constantFrom("a", " ", "\n", "\\", "*", "_", "~", "`", "|", ">", "#", "-", "+", "1", ".", "[", "]", "(", ")", "<", "@", "<@", ":", "&", "everyone", "here", "😀", "é"),
  maxLength: 60,
});

/** A markup character left unescaped (one not preceded by an odd run of backslashes). */
function unescapedAt(markdown: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && markdown[i] === "\\"; i -= 1) slashes += 1;
  return slashes % 2 === 0;
}

describe("escapeDiscordMarkdown", () => {
  it("shows exactly what was typed, but for a zero-width space after the @ of a broadcast", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(shown(escapeDiscordMarkdown(text))).toBe(text.replace(/@(everyone|here)/g, "@\u200b$1"));
      }),
    );
  });

  it("leaves no inline markup character unescaped, so nothing typed is bold, a link, a spoiler or a mention", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const markdown = escapeDiscordMarkdown(text);
        for (let index = 0; index < markdown.length; index += 1) {
          if ("*_~`|[]()<".includes(markdown[index] ?? "")) expect(unescapedAt(markdown, index), markdown).toBe(false);
        }
      }),
    );
  });

  it("never leaves @everyone or @here whole, nor a <@id> a client would draw as a mention", () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const markdown = escapeDiscordMarkdown(text);
        expect(markdown).not.toMatch(/@(everyone|here)/);
        expect(markdown).not.toMatch(/(^|[^\\])<@/);
      }),
    );
  });

  it("escapes quotes, headings and lists only where they start a line", () => {
    expect(escapeDiscordMarkdown("> quoted\n# big\n  - item\n10. tenth\na-b > c # d 1. e")).toBe("\\> quoted\n\\# big\n  \\- item\n10\\. tenth\na-b > c # d 1. e");
  });

  it("escapes a known set exactly", () => {
    expect(escapeDiscordMarkdown("**Fix** <@123> [x](https://e.x) @everyone \\")).toBe("\\*\\*Fix\\*\\* \\<@123> \\[x\\]\\(https://e.x\\) @\u200beveryone \\\\");
  });
});

describe("renderRichText", () => {
  it("marks up the pieces and escapes what is inside them", () => {
    expect(
      renderRichText([
        { bold: "Fix *login*" },
        " for ",
        { mention: { platform: "discord", userId: "1400000000000000001" } },
        ": ",
        { link: "https://notion.so/p (1)", text: "open [it]" },
        " ",
        { code: "a`b" },
        { mention: { platform: "slack", userId: "U123" } },
      ]),
    ).toBe("**Fix \\*login\\*** for <@1400000000000000001>: [open \\[it\\]](https://notion.so/p%20%281%29) `aˋb`@U123");
  });
});

describe("emoji and bold links", () => {
  it("draws an emoji as its character, since Discord shows a bot's :name: as typed, and a bold link as **[text](url)**", () => {
    expect(renderRichText([{ emoji: "white_check_mark" }, " ", { link: "https://www.notion.so/p", text: "Fix_it", bold: true }])).toBe("✅ **[Fix\\_it](https://www.notion.so/p)**");
  });
});

describe("channel links", () => {
  it("links a Discord channel and writes another platform's channel as its name, escaped", () => {
    expect(renderRichText([{ channel: { platform: "discord", conversation: "1300000000000000001" } }, " ", { channel: { platform: "slack", conversation: "C0HELP", name: "help_desk" } }, " ", { channel: { platform: "slack", conversation: "C0X" } }])).toBe(
      "<#1300000000000000001> \\#help\\_desk \\#C0X",
    );
  });
});

describe("allowed_mentions", () => {
  it("pings nobody by default, and only the named users otherwise (never roles or broadcasts)", () => {
    expect(noPings()).toEqual({ parse: [], replied_user: false });
    expect(onlyPing(["1400000000000000001", "1400000000000000001", "not-an-id"])).toEqual({ parse: [], users: ["1400000000000000001"], replied_user: false });
    expect(onlyPing([])).toEqual(noPings());
  });
});
