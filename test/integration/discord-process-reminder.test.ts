/**
 * "Remind of process" on Discord, end to end: the real discord-interactions handler with the real
 * routing table, signed as Discord signs, against the Discord emulator (which takes the handler's
 * answer as Discord would), the Notion emulator and the real Blobs server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, type DiscordCall } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS } from "../../dev/discord-signed.js";
import type { ChatMessage } from "../../src/chat/intent.js";
import { createTaskFromReminderButton, type OpenTaskFormFromMessage } from "../../src/features/process-reminder/create-task-from-reminder.js";
import { CREATE_TASK_FROM_REMINDER_ACTION, decodeReminderButton } from "../../src/features/process-reminder/reminder-message.js";
import { intentRoutes, type IntentRoutes } from "../../src/routes.js";
import { readParked } from "../../src/platforms/discord/parking.js";

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscordHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.discord.reset();
  h.logs.length = 0;
});

const REMIND = "Remind of process";
const guild = { platform: "discord" as const, workspace: DISCORD_SEED.guildId };

/** Uses "Remind of process" on a message Alice (or `authorId`) wrote in `channelId`, as `userId` (Bob), and waits for the deferred work. */
async function remind(content: string, options: { authorId?: string; bot?: boolean; channelId?: string; userId?: string; messageId?: string } = {}) {
  const target = h.discord.postUserMessage({ channelId: options.channelId ?? DISCORD_SEED.general, authorId: options.authorId ?? DISCORD_SEED.alice, content });
  const interaction = h.discord.issueInteraction({ type: 2, channelId: options.channelId ?? DISCORD_SEED.general, userId: options.userId ?? DISCORD_SEED.bob });
  const payload = actingIn(
    DISCORD_PAYLOADS.messageCommand(interaction, REMIND, { id: options.messageId ?? target.id, content, authorId: options.authorId ?? DISCORD_SEED.alice, ...(options.bot ? { bot: true } : {}) }),
    target.channel_id,
    options.userId ?? DISCORD_SEED.bob,
  );
  const answer = await h.send(payload);
  await h.settle();
  return { answer, interaction, messageId: options.messageId ?? target.id };
}

/** A message command's payload used by `userId` on a message in `channelId` (the payloads' default: Alice, in #general). */
function actingIn<P extends ReturnType<typeof DISCORD_PAYLOADS.messageCommand>>(payload: P, channelId: string, userId: string): P {
  const messages = Object.fromEntries(Object.entries(payload.data.resolved.messages).map(([id, message]) => [id, { ...message, channel_id: channelId }]));
  return {
    ...payload,
    channel_id: channelId,
    channel: { ...payload.channel, id: channelId },
    member: { ...payload.member, user: { ...payload.member.user, id: userId, username: "bob", global_name: "Bob" } },
    data: { ...payload.data, resolved: { messages } },
  };
}

/** The bot's messages made with Create Message (the reminders), not the interaction's answers. */
const created = (): DiscordCall[] => h.discord.callsTo("create_message");
const bodyOf = (call: DiscordCall | undefined) => call?.body as { content: string; allowed_mentions: unknown; message_reference?: unknown; components: { components: { custom_id?: string; label: string }[] }[] };

/** A button's value as the click reads it: from its custom_id, or from the store when it was parked. */
async function valueOf(customId: string): Promise<string | undefined> {
  const [, , value] = customId.split(";") as [string, string, string];
  return value.startsWith("~") ? readParked(h.store, value.slice(1)) : value;
}

describe("Remind of process on Discord", () => {
  it("replies to the message, pinging only its author, with the default text and the button; the person gets the button privately", async () => {
    const { answer, interaction, messageId } = await remind("Can someone fix the login page?");
    // The first response: a deferred, ephemeral answer (the reply goes out after it).
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });
    expect(answer.refused).toBeUndefined();

    expect(created()).toHaveLength(1);
    const reply = bodyOf(created()[0]);
    expect(created()[0]!.path).toContain(`/channels/${DISCORD_SEED.general}/messages`);
    expect(reply.message_reference).toEqual({ message_id: messageId, fail_if_not_exists: false });
    expect(reply.allowed_mentions).toEqual({ parse: [], users: [DISCORD_SEED.alice], replied_user: false });
    expect(reply.content).toMatch(new RegExp(`^Hi <@${DISCORD_SEED.alice}> 👋 Requests made in chat tend to get lost`));
    expect(reply.content).toContain("with `/task`?");
    expect(reply.content).toMatch(/on the \[Notion board\]\(https:\/\/www\.notion\.so\/\S+\) with/);
    expect(reply.content).not.toContain(DISCORD_SEED.bob);
    const button = reply.components[0]!.components[0]!;
    expect(button.label).toBe("Create task from this message");
    const value = decodeReminderButton(await valueOf(button.custom_id!), guild);
    expect(value).toEqual({ message: { ...guild, conversation: DISCORD_SEED.general, message: messageId }, authorId: DISCORD_SEED.alice, excerpt: "Can someone fix the login page?" });

    // The deferred answer became the acknowledgement, with the same button, for Bob's eyes only.
    const original = h.discord.interactions.find((issued) => issued.id === interaction.id)!.original!;
    expect(original.flags & 64).toBe(64);
    expect(original.content).toBe(`✅ I reminded <@${DISCORD_SEED.alice}> of the process in a reply to the message. You can put it on the board yourself now:`);
    expect((original.components as { components: { custom_id: string }[] }[])[0]!.components[0]!.custom_id).toBe(button.custom_id);
    expect((h.discord.callsTo("edit_original")[0]?.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it("never pings @everyone, @here or a role, whether the message or the team's text says them", async () => {
    const shared = h;
    h = await startDiscordHarness({ env: { PROCESS_REMINDER_TEXT: "{author} @everyone @here <@&1300000000000000009> <!here>: use {command}" } });
    try {
      await remind("@everyone @here <@&1300000000000000009> the export is down");
      const reply = bodyOf(created()[0]);
      expect(reply.allowed_mentions).toEqual({ parse: [], users: [DISCORD_SEED.alice], replied_user: false });
      expect(reply.content).toBe(`<@${DISCORD_SEED.alice}> @\u200beveryone @\u200bhere \\<@&1300000000000000009> \\<!here>: use /task`);
      const original = h.discord.interactions.at(-1)!.original!;
      expect(JSON.stringify(h.discord.callsTo("edit_original").map((call) => call.body))).not.toMatch(/"parse":\["(everyone|roles|users)"/);
      expect(original.content).not.toMatch(/@everyone|@here/);
    } finally {
      await h.close();
      h = shared;
    }
  });

  it("pings no one under a bot's message", async () => {
    await remind("Deploy finished: build #512 is live.", { authorId: "1400000000000000099", bot: true });
    const reply = bodyOf(created()[0]);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(reply.content).toMatch(/^Hi team 👋 /);
  });

  it("does not post the same nudge twice, and tells the second person privately", async () => {
    const first = await remind("Could someone update the docs?");
    const interaction = h.discord.issueInteraction({ type: 2, channelId: DISCORD_SEED.general, userId: DISCORD_SEED.alice });
    await h.send(DISCORD_PAYLOADS.messageCommand(interaction, REMIND, { id: first.messageId, content: "Could someone update the docs?", authorId: DISCORD_SEED.alice }));
    await h.settle();
    expect(created()).toHaveLength(1);
    const original = h.discord.interactions.find((issued) => issued.id === interaction.id)!.original!;
    expect(original.flags & 64).toBe(64);
    expect(original.content).toMatch(/^ℹ️ I already posted this reminder about “Could someone update the docs\?” less than a minute ago, so I didn't post it again\. It's a reply to the message\.$/);
  });

  it("says what permission is missing when the bot may not post in the channel, and lets the person try again", async () => {
    const { interaction } = await remind("Please check the invoices", { channelId: DISCORD_SEED.readOnly });
    expect(created().at(-1)?.path).toContain(`/channels/${DISCORD_SEED.readOnly}/messages`);
    const original = h.discord.interactions.find((issued) => issued.id === interaction.id)!.original!;
    expect(original.content).toBe(
      `⚠️ I'm not allowed to post in <#${DISCORD_SEED.readOnly}>, so I couldn't post the reminder about “Please check the invoices”. To let me, ask someone who manages this server to let me **View Channel** and **Send Messages** there \\(**Send Messages in Threads** in a thread\\). Then use **Remind of process** again.`,
    );
    expect(h.logs.join("\n")).toMatch(/"event":"reminder.post_failed".*"error_code":"50013".*"chat_error":"forbidden"/);
  });

  it("waits out Discord's Retry-After within the claim's lease and posts once", async () => {
    h.discord.fail("create_message", { kind: "rate_limited", retryAfterSeconds: 0.5 });
    await remind("Could someone rotate the keys?");
    expect(created()).toHaveLength(2);
    expect(h.discord.messages.filter((message) => message.message_reference !== undefined)).toHaveLength(1);
    expect(h.logs.join("\n")).toMatch(/"event":"discord.waiting".*"wait_ms":500/);
  });

  it("the button opens the task form (type 9), prefilled from the excerpt, for whoever clicks, through the real routes", async () => {
    const text = "Fix the export\nIt times out after 30 seconds.";
    await remind(text);
    const customId = bodyOf(created()[0]).components[0]!.components[0]!.custom_id!;
    const reminderId = h.discord.messages.find((message) => message.message_reference !== undefined)!.id;
    // Bob clicks the button on Alice's reminder: the form opens for him.
    const press = h.discord.issueInteraction({ type: 3, userId: DISCORD_SEED.bob });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, customId, { id: reminderId }));
    expect(answer.json?.type).toBe(9);
    const modal = JSON.stringify(answer.json?.data);
    expect(modal).toContain('"value":"Fix the export"');
    expect(modal).toContain("It times out after 30 seconds.");
  });
});

describe("the reminder's button on Discord, through the seam the task form will take", () => {
  /** What the stand-in for the task request's opener was handed. */
  const opened: ChatMessage[] = [];
  const openForm: OpenTaskFormFromMessage = async (message, ctx) => {
    opened.push(message);
    await ctx.reply.openForm({
      id: "task_modal",
      title: "New task",
      submitLabel: "Create task",
      inputs: [
        { kind: "text", id: "title", label: "Title", maxLength: 150, value: message.text.split("\n")[0] },
        { kind: "text", id: "description", label: "Description", maxLength: 2000, multiline: true, optional: true, value: message.text },
      ],
      context: {},
    });
  };
  const routes: IntentRoutes = { ...intentRoutes, button: { ...intentRoutes.button, [CREATE_TASK_FROM_REMINDER_ACTION]: (intent, ctx) => createTaskFromReminderButton(intent, ctx, openForm) } };

  it("opens the form as the first response (type 9), prefilled from the excerpt, about the original message and its author", async () => {
    const shared = h;
    h = await startDiscordHarness({ routes });
    try {
      const text = "Fix the export\nIt times out after 30 seconds.";
      const { messageId } = await remind(text);
      const customId = bodyOf(created()[0]).components[0]!.components[0]!.custom_id!;
      const press = h.discord.issueInteraction({ type: 3 });
      const reminderId = h.discord.messages.find((message) => message.message_reference !== undefined)!.id;
      const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, customId, { id: reminderId }));
      expect(answer.refused).toBeUndefined();
      expect(answer.json?.type).toBe(9);
      expect(JSON.stringify(answer.json?.data)).toContain('"value":"Fix the export"');
      expect(opened.at(-1)).toEqual({
        place: { ...guild, conversation: DISCORD_SEED.general, message: messageId },
        author: { ...guild, userId: DISCORD_SEED.alice, displayName: undefined },
        text,
        link: undefined,
      });

      // A value it did not write is answered privately, and opens nothing.
      const forged = h.discord.issueInteraction({ type: 3 });
      const refused = await h.send(DISCORD_PAYLOADS.buttonPress(forged, `${CREATE_TASK_FROM_REMINDER_ACTION};;{"v":1}`, { id: reminderId }));
      await h.settle();
      expect(refused.json?.type).toBe(6);
      expect(opened).toHaveLength(1);
      const followUp = h.discord.callsTo("follow_up").at(-1)?.body as { content: string; flags: number };
      expect(followUp).toMatchObject({ flags: 64 });
      expect(followUp.content).toMatch(/^⚠️ This button is from an older version of the bot .* original message's Apps menu instead\.$/);
    } finally {
      await h.close();
      h = shared;
    }
  });
});
