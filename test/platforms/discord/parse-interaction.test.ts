import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DISCORD_PAYLOADS } from "../../../dev/discord-signed.js";
import { DISCORD_SEED } from "../../../dev/discord-emulator.js";
import { parseDiscordInteraction, plainTextFromDiscord } from "../../../src/platforms/discord/parse-interaction.js";

const SUBCOMMANDS = new Set(["list", "review", "help"]);
const handle = { id: "1500000000000000009", token: "token-1" };
const interaction = { id: handle.id, applicationId: DISCORD_SEED.applicationId, token: handle.token };
const alice = { platform: "discord", workspace: DISCORD_SEED.guildId, userId: DISCORD_SEED.alice, displayName: "Alice" };
const general = { platform: "discord", workspace: DISCORD_SEED.guildId, conversation: DISCORD_SEED.general };
const parse = (payload: unknown) => parseDiscordInteraction(JSON.stringify(payload), SUBCOMMANDS);

describe("parseDiscordInteraction", () => {
  it("reads a PING", () => {
    expect(parse(DISCORD_PAYLOADS.ping())).toEqual({ kind: "ping" });
  });

  it("reads /task with a title as asking for a task, and with no text as an empty form", () => {
    expect(parse(DISCORD_PAYLOADS.taskCommand(handle, "  Fix login  "))).toEqual({ kind: "intent", intent: { kind: "ask_for_task", person: alice, place: general, text: "Fix login" }, interaction });
    expect(parse(DISCORD_PAYLOADS.taskCommand(handle))).toMatchObject({ kind: "intent", intent: { kind: "ask_for_task", text: "" } });
  });

  it("reads /task text:list as the subcommand, whatever its case, as Slack's /task list", () => {
    expect(parse(DISCORD_PAYLOADS.taskCommand(handle, "List mine"))).toEqual({ kind: "intent", intent: { kind: "subcommand", person: alice, place: general, name: "list", rest: "mine" }, interaction });
  });

  it("reads the message commands as the shortcuts Slack has, with the message's author, plain text and link", () => {
    const message = { id: "1500000000000000001", content: "Can someone <@1400000000000000001> fix **login**?" };
    expect(parse(DISCORD_PAYLOADS.messageCommand(handle, "Remind of process", message))).toEqual({
      kind: "intent",
      intent: {
        kind: "message_shortcut",
        person: alice,
        place: general,
        shortcut: "remind_process",
        message: {
          place: { ...general, message: message.id },
          author: { platform: "discord", workspace: DISCORD_SEED.guildId, userId: DISCORD_SEED.bob, displayName: "Bob" },
          text: "Can someone @1400000000000000001 fix **login**?",
          link: `https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}/${message.id}`,
        },
      },
      interaction,
    });
    expect(parse(DISCORD_PAYLOADS.messageCommand(handle, "Create task", message))).toMatchObject({ intent: { shortcut: "create_task" } });
  });

  it("gives a bot's message no author, so nobody is mentioned for it", () => {
    const parsed = parse(DISCORD_PAYLOADS.messageCommand(handle, "Remind of process", { id: "1500000000000000001", content: "deploy done", bot: true }));
    expect(parsed.kind === "intent" && parsed.intent.kind === "message_shortcut" && parsed.intent.message.author).toBeUndefined();
  });

  it("reads a button press with its action, row and value, and the message it was on", () => {
    const customId = "task_status_done;task_status/announcement;1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
    expect(parse(DISCORD_PAYLOADS.buttonPress(handle, customId, { id: "1500000000000000002" }))).toEqual({
      kind: "intent",
      intent: {
        kind: "button",
        person: alice,
        place: general,
        action: "task_status_done",
        rowId: "task_status/announcement",
        value: "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b",
        message: { ...general, message: "1500000000000000002" },
      },
      interaction,
    });
  });

  it("hands a parked button value to the adapter to read from the store", () => {
    expect(parse(DISCORD_PAYLOADS.buttonPress(handle, `create_task_from_reminder;;~${"A".repeat(22)}`, { id: "1500000000000000002" }))).toMatchObject({ kind: "parked", key: "A".repeat(22), intent: { kind: "button", value: undefined } });
  });

  it("reads a submitted Label modal's values by input id, a select's first value, and blank as absent; its instance is the opening interaction's id", () => {
    const payload = DISCORD_PAYLOADS.modalSubmit(handle, "task_modal;message=1500000000000000001&o=1500000000000000007", [
      { id: "title", value: "Fix login" },
      { id: "description", value: "   " },
      { id: "priority", values: ["High"] },
      { id: "due", value: "" },
    ]);
    expect(parse(payload)).toEqual({
      kind: "intent",
      intent: { kind: "submit_form", person: alice, place: general, form: "task_modal", instance: "1500000000000000007", values: { title: "Fix login", description: undefined, priority: "High", due: undefined }, context: { message: "1500000000000000001", o: "1500000000000000007" } },
      interaction,
    });
  });

  it("reads a legacy action-row modal too", () => {
    const payload = { ...DISCORD_PAYLOADS.modalSubmit(handle, "task_modal", []), data: { custom_id: "task_modal", components: [{ type: 1, components: [{ type: 4, custom_id: "title", value: "Old client" }] }] } };
    expect(parse(payload)).toMatchObject({ intent: { values: { title: "Old client" } } });
  });

  it("answers what the bot does not offer as other, and what is malformed as invalid, naming the field without its value", () => {
    expect(parse({ ...DISCORD_PAYLOADS.taskCommand(handle, "x"), data: { id: "1", name: "other", type: 1 } })).toEqual({ kind: "other", what: "command", interaction });
    expect(parse({ ...DISCORD_PAYLOADS.taskCommand(handle, "x"), token: "" })).toEqual({ kind: "invalid", problem: "token: too_small" });
    const { member: _member, ...nobody } = DISCORD_PAYLOADS.taskCommand(handle, "x");
    expect(parse(nobody)).toEqual({ kind: "invalid", problem: "member.user: no user" });
    expect(parse({ type: 99 })).toEqual({ kind: "invalid", problem: "type is not an interaction type" });
    expect(parseDiscordInteraction("{", SUBCOMMANDS)).toEqual({ kind: "invalid", problem: "body is not JSON" });
  });

  it("never throws on hostile JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(1, 2, 3, 4, 5), (value, type) => {
        const body = typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value, type } : value;
        void parseDiscordInteraction(JSON.stringify(body), SUBCOMMANDS);
      }),
    );
  });
});

describe("plainTextFromDiscord", () => {
  it("reads mentions, channels, roles, timestamps and custom emoji as a person would", () => {
    const mentions = [{ id: "1", username: "bob", global_name: "Bob" }];
    expect(plainTextFromDiscord("<@1> <@!2> <#3> <@&4> <t:1780000000:R> <:party:5> <a:wave:6>", mentions)).toBe("@Bob @2 #3 @role 2026-05-28 :party: :wave:");
  });
});
