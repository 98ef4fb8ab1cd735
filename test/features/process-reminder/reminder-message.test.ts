import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUTTON_VALUE_MAX,
  buildReminder,
  CREATE_TASK_FROM_REMINDER_ACTION,
  decodeReminderButton,
  encodeReminderButton,
  type ReminderButton,
} from "../../../src/features/process-reminder/reminder-message.js";
import { renderCard } from "../../../src/platforms/discord/render.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";

const message = { platform: "slack" as const, workspace: "T0TEAM", conversation: "C0GENERAL", message: "1760000001.000101" };
const button: ReminderButton = { message, authorId: "U0ALICE", excerpt: "Fix login" };
const base = { template: undefined, command: "/task", boardUrl: "https://www.notion.so/abc123" };
const slackTeam = { platform: "slack" as const, workspace: "T0TEAM" };

describe("buildReminder", () => {
  it("builds the default reminder with the mention, the command, the board link and the button, drawn for Slack as before the port", () => {
    const text = [
      "Hi <@U0ALICE> :wave: Requests made in chat tend to get lost: they scroll away, nobody owns them, and nobody else can see what's planned.",
      "Could you put this one on the <https://www.notion.so/abc123|Notion board> with `/task`? It takes about 30 seconds, and everyone can follow it there.",
      "Or press the button below: I'll fill the form in from this message.",
    ].join("\n");
    expect(renderSlackCard(buildReminder({ ...base, button }))).toEqual({
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
              value: '{"v":2,"p":"slack:T0TEAM:C0GENERAL::1760000001.000101","a":"U0ALICE","x":"Fix login"}',
            },
          ],
        },
      ],
    });
  });

  it("mentions the author as a person of the message's platform, the one a Discord reply may ping", () => {
    const onDiscord: ReminderButton = { message: { platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001", message: "1500000000000000001" }, authorId: "1400000000000000001", excerpt: "Fix login @everyone" };
    const card = buildReminder({ ...base, template: "{author} @here, please use {command}", button: onDiscord });
    expect(card.blocks[0]).toEqual({ kind: "text", text: [{ mention: { platform: "discord", workspace: "1200000000000000001", userId: "1400000000000000001", displayName: undefined } }, " @here, please use /task"] });
    const { body, parked } = renderCard(card, { ping: "1400000000000000001" });
    expect(body.content).toBe("<@1400000000000000001> @\u200bhere, please use /task");
    expect(body.allowed_mentions).toEqual({ parse: [], users: ["1400000000000000001"], replied_user: false });
    // The value is longer than a custom_id holds: parked, and found again by its key.
    expect(parked).toHaveLength(1);
    expect(decodeReminderButton(parked[0]!.value, { platform: "discord", workspace: "1200000000000000001" })).toEqual(onDiscord);
  });
});

describe("the button's value", () => {
  it("round-trips, a thread included", () => {
    expect(decodeReminderButton(encodeReminderButton(button), slackTeam)).toEqual(button);
    const inThread = { ...button, message: { ...message, thread: "1760000000.000001" } };
    expect(decodeReminderButton(encodeReminderButton(inThread), slackTeam)).toEqual(inThread);
  });

  it("reads a value posted before the chat port (v1), its workspace the clicker's", () => {
    const old = '{"v":1,"c":"C0GENERAL","t":"1760000001.000101","a":"U0ALICE","x":"Fix login"}';
    expect(decodeReminderButton(old, slackTeam)).toEqual(button);
    expect(decodeReminderButton('{"v":1,"c":"C0GENERAL","t":"1760000001.000101","x":""}', slackTeam)).toEqual({ message, authorId: undefined, excerpt: "" });
    // v1 was Slack's alone.
    expect(decodeReminderButton(old, { platform: "discord", workspace: "1200000000000000001" })).toBeUndefined();
  });

  it("leaves out the author for a message without one", () => {
    const value = encodeReminderButton({ ...button, authorId: undefined });
    expect(JSON.parse(value)).not.toHaveProperty("a");
    expect(decodeReminderButton(value, slackTeam)?.authorId).toBeUndefined();
  });

  it("cuts a long excerpt to fit Slack's 2,000 characters, ending with an ellipsis", () => {
    const value = encodeReminderButton({ ...button, excerpt: "a".repeat(5_000) });
    expect(value.length).toBe(BUTTON_VALUE_MAX);
    expect(decodeReminderButton(value, slackTeam)?.excerpt).toMatch(/^a+…$/);
  });

  it("fits any text, however its characters are escaped in JSON, and keeps a prefix of it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", '"', "\n", "\u0001", "😀", "é", " ", "\\"), maxLength: 3_000 }), (excerpt) => {
        const value = encodeReminderButton({ ...button, excerpt });
        expect(value.length).toBeLessThanOrEqual(BUTTON_VALUE_MAX);
        const decoded = decodeReminderButton(value, slackTeam)!.excerpt;
        if (decoded !== excerpt) {
          expect(decoded.endsWith("…")).toBe(true);
          expect(excerpt.startsWith(decoded.slice(0, -1))).toBe(true);
        }
      }),
    );
  });

  it("refuses values it did not write, without throwing", () => {
    for (const value of [
      undefined,
      "",
      "null",
      "{}",
      "[1]",
      '{"v":3,"p":"slack:T0TEAM:C0GENERAL::1.2","x":""}',
      '{"v":1,"c":"<!channel>","t":"1.2","x":""}',
      '{"v":1,"c":"C0A","t":"1.2","a":"<@U1>","x":""}',
      // A place with no message, a place another platform's, an author id with a space.
      '{"v":2,"p":"slack:T0TEAM:C0GENERAL","x":""}',
      '{"v":2,"p":"discord:1:2::3","x":""}',
      '{"v":2,"p":"slack:T0TEAM:C0GENERAL::1.2","a":"U1 <!here>","x":""}',
      "x".repeat(2_001),
    ]) {
      expect(decodeReminderButton(value, slackTeam)).toBeUndefined();
    }
    fc.assert(fc.property(fc.string(), (value) => void decodeReminderButton(value, slackTeam)));
  });
});
