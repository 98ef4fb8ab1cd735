import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUTTON_VALUE_MAX,
  buildReminder,
  CREATE_TASK_FROM_REMINDER_ACTION,
  decodeReminderButton,
  DEFAULT_REMINDER_TEXT,
  encodeReminderButton,
  fillReminderText,
  sanitizeMrkdwn,
  type ReminderButton,
} from "../../../src/features/process-reminder/reminder-message.js";

const button: ReminderButton = { channelId: "C0GENERAL", messageTs: "1760000001.000101", authorId: "U0ALICE", excerpt: "Fix login" };
const base = { template: undefined, authorId: "U0ALICE", command: "/task", boardUrl: "https://www.notion.so/abc123" };

describe("buildReminder", () => {
  it("builds the default reminder with the mention, the command, the board link and the button", () => {
    const text = [
      "Hi <@U0ALICE> :wave: Requests made in chat tend to get lost: they scroll away, nobody owns them, and nobody else can see what's planned.",
      "Could you put this one on the <https://www.notion.so/abc123|Notion board> with `/task`? It takes about 30 seconds, and everyone can follow it there.",
      "Or press the button below: I'll fill the form in from this message.",
    ].join("\n");
    expect(buildReminder({ ...base, button })).toEqual({
      text,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text } },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: CREATE_TASK_FROM_REMINDER_ACTION,
              text: { type: "plain_text", text: "Create task from this message", emoji: true },
              style: "primary",
              value: '{"v":1,"c":"C0GENERAL","t":"1760000001.000101","a":"U0ALICE","x":"Fix login"}',
            },
          ],
        },
      ],
    });
  });
});

describe("fillReminderText", () => {
  it("greets the team and mentions no one when the message has no human author", () => {
    const text = fillReminderText({ ...base, authorId: undefined });
    expect(text.startsWith("Hi team :wave: ")).toBe(true);
    expect(text).not.toContain("<@");
  });

  it("names the board without a link when its URL is unknown", () => {
    expect(fillReminderText({ ...base, boardUrl: undefined })).toContain("on the Notion board with `/task`");
  });

  it("puts the mention first when the team's text has no {author}", () => {
    expect(fillReminderText({ ...base, template: "Please use {command}." })).toBe("<@U0ALICE> Please use /task.");
  });

  it("adds no mention to a text without {author} when there is no author", () => {
    expect(fillReminderText({ ...base, authorId: undefined, template: "Please use {command}." })).toBe("Please use /task.");
  });

  it("fills each placeholder once, so a filled value is never read as a placeholder", () => {
    expect(fillReminderText({ ...base, command: "/{author}", template: "{author} {command} {unknown}" })).toBe("<@U0ALICE> /{author} {unknown}");
  });

  it("escapes the command and never mentions a malformed author id", () => {
    expect(fillReminderText({ ...base, command: "/t<a>&", authorId: "U0X><!channel", template: "{author} {command}" })).toBe("team /t&lt;a&gt;&amp;");
  });

  it("falls back to the default for an empty text", () => {
    expect(fillReminderText({ ...base, template: "   " })).toBe(fillReminderText({ ...base, template: DEFAULT_REMINDER_TEXT }));
  });
});

describe("sanitizeMrkdwn", () => {
  it("keeps links, mentions, channels and entities", () => {
    const text = "<https://a.example/x?y=1|the docs> <mailto:ops@example.com|ops> <@U0BOB> <#C0GENERAL|general> &amp; &lt;";
    expect(sanitizeMrkdwn(text)).toBe(text);
  });

  it("escapes broadcasts, group mentions and stray & < >", () => {
    expect(sanitizeMrkdwn("<!channel> <!here> <!subteam^S1|@devs> a < b > c & d")).toBe(
      "&lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S1|@devs&gt; a &lt; b &gt; c &amp; d",
    );
  });

  it("escapes a link whose label tries to smuggle a broadcast", () => {
    expect(sanitizeMrkdwn("<https://x.example|<!channel>>")).toBe("&lt;https://x.example|&lt;!channel&gt;&gt;");
  });

  it("never leaves a broadcast for any input", () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("<!channel>", "<!here>", "<!everyone>"), fc.string(), (before, broadcast, after) => {
        expect(sanitizeMrkdwn(`${before}${broadcast}${after}`)).not.toMatch(/<!(channel|here|everyone)/);
      }),
    );
  });
});

describe("the button's value", () => {
  it("round-trips", () => {
    expect(decodeReminderButton(encodeReminderButton(button))).toEqual(button);
  });

  it("leaves out the author for a message without one", () => {
    const value = encodeReminderButton({ ...button, authorId: undefined });
    expect(JSON.parse(value)).not.toHaveProperty("a");
    expect(decodeReminderButton(value)?.authorId).toBeUndefined();
  });

  it("cuts a long excerpt to fit Slack's 2,000 characters, ending with an ellipsis", () => {
    const value = encodeReminderButton({ ...button, excerpt: "a".repeat(5_000) });
    expect(value.length).toBe(BUTTON_VALUE_MAX);
    expect(decodeReminderButton(value)?.excerpt).toMatch(/^a+…$/);
  });

  it("fits any text, however its characters are escaped in JSON, and keeps a prefix of it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", '"', "\n", "\u0001", "😀", "é", " ", "\\"), maxLength: 3_000 }), (excerpt) => {
        const value = encodeReminderButton({ ...button, excerpt });
        expect(value.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
        const decoded = decodeReminderButton(value)!.excerpt;
        if (decoded !== excerpt) {
          expect(decoded.endsWith("…")).toBe(true);
          expect(excerpt.startsWith(decoded.slice(0, -1))).toBe(true);
        }
      }),
    );
  });

  it("refuses values it did not write, without throwing", () => {
    for (const value of [undefined, "", "null", "{}", "[1]", '{"v":2,"c":"C1X","t":"1.2","x":""}', '{"v":1,"c":"<!channel>","t":"1.2","x":""}', '{"v":1,"c":"C0A","t":"1.2","a":"<@U1>","x":""}', "x".repeat(2_001)]) {
      expect(decodeReminderButton(value)).toBeUndefined();
    }
    fc.assert(fc.property(fc.string(), (value) => void decodeReminderButton(value)));
  });
});
