import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Person } from "../../../src/chat/model.js";
import { DEFAULT_REMINDER_TEXT, reminderText, type ReminderTextInput } from "../../../src/features/process-reminder/reminder-text.js";
import { renderRichText } from "../../../src/platforms/discord/markdown.js";
import { escapeMrkdwn, linkedTitle } from "../../../src/platforms/slack/mrkdwn.js";
import { renderSlackText } from "../../../src/platforms/slack/render-card.js";

const alice: Person = { platform: "slack", workspace: "T0TEAM", userId: "U0ALICE", displayName: undefined };
const base: ReminderTextInput = { template: undefined, author: alice, command: "/task", boardUrl: "https://www.notion.so/abc123" };
const slack = (input: Partial<ReminderTextInput>) => renderSlackText(reminderText({ ...base, ...input }));

/**
 * The reminder's filling as it was before the port (mrkdwn written by the feature), kept as the
 * oracle: Slack must get the same text from the pieces.
 */
function filledBeforeThePort(input: { template: string | undefined; authorId: string | undefined; command: string; boardUrl: string | undefined }): string {
  let template = sanitizeMrkdwn(input.template?.trim() || DEFAULT_REMINDER_TEXT);
  if (input.authorId && !template.includes("{author}")) template = `{author} ${template}`;
  const values: Record<string, string> = {
    author: input.authorId && /^[UW][A-Z0-9]{2,}$/.test(input.authorId) ? `<@${input.authorId}>` : "team",
    command: escapeMrkdwn(input.command),
    board: input.boardUrl ? linkedTitle(input.boardUrl, "Notion board") : "Notion board",
  };
  return template.replace(/\{(author|command|board)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

function sanitizeMrkdwn(text: string): string {
  const kept = /<(?:https?:\/\/|mailto:)[^<>\s|]+(?:\|[^<>]*)?>|<@[UW][A-Z0-9]{2,}(?:\|[^<>]*)?>|<#[CG][A-Z0-9]{2,}(?:\|[^<>]*)?>|&(?:amp|lt|gt);/gy;
  let out = "";
  let index = 0;
  while (index < text.length) {
    kept.lastIndex = index;
    const match = kept.exec(text);
    if (match) {
      out += match[0];
      index += match[0].length;
      continue;
    }
    const char = text[index]!;
    out += char === "&" ? "&amp;" : char === "<" ? "&lt;" : char === ">" ? "&gt;" : char;
    index += 1;
  }
  return out;
}

describe("reminderText, as Slack draws it", () => {
  it("is the default text with the mention, the command and the board link, as before the port", () => {
    expect(slack({})).toBe(
      [
        "Hi <@U0ALICE> :wave: Requests made in chat tend to get lost: they scroll away, nobody owns them, and nobody else can see what's planned.",
        "Could you put this one on the <https://www.notion.so/abc123|Notion board> with `/task`? It takes about 30 seconds, and everyone can follow it there.",
        "Or press the button below: I'll fill the form in from this message.",
      ].join("\n"),
    );
  });

  it("greets the team and mentions no one when the message has no human author", () => {
    const text = slack({ author: undefined });
    expect(text.startsWith("Hi team :wave: ")).toBe(true);
    expect(text).not.toContain("<@");
  });

  it("names the board without a link when its URL is unknown", () => {
    expect(slack({ boardUrl: undefined })).toContain("on the Notion board with `/task`");
  });

  it("puts the mention first when the team's text has no {author}", () => {
    expect(slack({ template: "Please use {command}." })).toBe("<@U0ALICE> Please use /task.");
  });

  it("adds no mention to a text without {author} when there is no author", () => {
    expect(slack({ author: undefined, template: "Please use {command}." })).toBe("Please use /task.");
  });

  it("fills each placeholder once, so a filled value is never read as a placeholder", () => {
    expect(slack({ command: "/{author}", template: "{author} {command} {unknown}" })).toBe("<@U0ALICE> /{author} {unknown}");
  });

  it("escapes the command, and writes a malformed author id as text that mentions no one", () => {
    const text = slack({ command: "/t<a>&", author: { ...alice, userId: "U0X><!channel" }, template: "{author} {command}" });
    expect(text).toBe("@U0X&gt;&lt;!channel /t&lt;a&gt;&amp;");
  });

  it("falls back to the default for an empty text", () => {
    expect(slack({ template: "   " })).toBe(slack({ template: DEFAULT_REMINDER_TEXT }));
  });

  it("keeps links, mentions, channels and entities", () => {
    const text = "<https://a.example/x?y=1|the docs> <mailto:ops@example.com|ops> <@U0BOB> <#C0GENERAL|general> &amp; &lt;";
    expect(slack({ template: `{author} ${text}` })).toBe(`<@U0ALICE> ${text}`);
  });

  it("escapes broadcasts, group mentions and stray & < >", () => {
    expect(slack({ template: "{author} <!channel> <!here> <!subteam^S1|@devs> a < b > c & d" })).toBe(
      "<@U0ALICE> &lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S1|@devs&gt; a &lt; b &gt; c &amp; d",
    );
  });

  it("escapes a link whose label tries to smuggle a broadcast", () => {
    expect(slack({ template: "{author} <https://x.example|<!channel>>" })).toBe("<@U0ALICE> &lt;https://x.example|&lt;!channel&gt;&gt;");
  });

  it("writes what Slack shows the same a little differently: a mention's label, a bare link, a raw & in a label", () => {
    expect(slack({ template: "{author} <@U0BOB|bob> <https://x.example> <https://y.example|Q&A>" })).toBe(
      "<@U0ALICE> <@U0BOB> <https://x.example|https://x.example> <https://y.example|Q&amp;A>",
    );
  });

  it("is, for any template, the text Slack got before the port", () => {
    const fragment = fc.constantFrom(
      "a", "word", " ", "\n", "*", "_", "`", ":", "|", "{", "}", ":wave:", ":rocket:", "&", "&amp;", "&lt;", "&gt;", "<", ">", "<!here>", "<!channel>",
      "@everyone", "{author}", "{command}", "{board}", "{other}", "<https://x.example/a?b=1|the docs>", "<mailto:ops@example.com|ops>", "<@U0BOB>", "<#C0HELP|help>", "<#G0SECRET>", "😀", "é",
    );
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 40 }).map((fragments) => fragments.join("")),
        fc.boolean(),
        fc.option(fc.constant("https://www.notion.so/abc123"), { nil: undefined }),
        (template, hasAuthor, boardUrl) => {
          const author = hasAuthor ? alice : undefined;
          const before = filledBeforeThePort({ template, authorId: author?.userId, command: "/task", boardUrl });
          expect(renderSlackText(reminderText({ template, author, command: "/task", boardUrl }))).toBe(before);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("never broadcasts, whatever the template says", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("<!channel>", "<!here>", "<!everyone>"), fc.string(), (before, broadcast, after) => {
        expect(slack({ template: `${before}${broadcast}${after}` })).not.toMatch(/<!(channel|here|everyone)/);
      }),
    );
  });
});

describe("reminderText, as pieces and on Discord", () => {
  const discordAuthor: Person = { platform: "discord", workspace: "1200000000000000001", userId: "1400000000000000001", displayName: "alice" };

  it("reads the default's emoji, code and link into pieces, so Discord draws them", () => {
    const text = reminderText({ ...base, author: discordAuthor });
    expect(text.slice(0, 4)).toEqual(["Hi ", { mention: discordAuthor }, " ", { emoji: "wave" }]);
    expect(text).toContainEqual({ link: "https://www.notion.so/abc123", text: "Notion board" });
    expect(text).toContainEqual({ code: "/task" });
    expect(renderRichText(text)).toMatch(/^Hi <@1400000000000000001> 👋 Requests made in chat tend to get lost: .*on the \[Notion board\]\(https:\/\/www\.notion\.so\/abc123\) with `\/task`\? /s);
  });

  it("reads bold and italic at word boundaries only, so snake_case and 2*3*4 stay text", () => {
    expect(reminderText({ ...base, author: undefined, template: "*Please* use _this_: my_var_name, 2*3*4, * not *" })).toEqual([
      { bold: "Please" },
      " use ",
      { italic: "this" },
      ": my_var_name, 2*3*4, * not *",
    ]);
  });

  it("fills {command} inside code and labels as text, and keeps an unknown :name: as text", () => {
    expect(reminderText({ ...base, author: undefined, command: "/t*a*", template: "`{command} now` <https://x.example|run {command}> :rocket:" })).toEqual([
      { code: "/t*a* now" },
      " ",
      { link: "https://x.example", text: "run /t*a*" },
      " :rocket:",
    ]);
  });

  it("keeps a broadcast, a role mention and the template's Slack ids as inert text on Discord", () => {
    const drawn = renderRichText(reminderText({ ...base, author: discordAuthor, template: "{author} @everyone @here <@&1300000000000000009> <!here> <@U0BOB> <#C0HELP|help>" }));
    expect(drawn).toBe("<@1400000000000000001> @\u200beveryone @\u200bhere \\<@&1300000000000000009> \\<!here> @U0BOB \\#help");
  });
});
