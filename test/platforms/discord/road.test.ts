/**
 * The adapter's parts composed the way the handler will compose them (docs/chat-port.md, "A Discord
 * request's road"): signed interactions read into intents, the answers rendered and sent through the
 * REST client to the emulator, which checks them as Discord would. What a modal's custom ids are
 * when rendered is what comes back when it is submitted, and a button's custom_id is what its press reads.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISCORD_SEED, startDiscordEmulator, type DiscordEmulator } from "../../../dev/discord-emulator.js";
import { DISCORD_PAYLOADS, discordKeyPair, signedInteraction } from "../../../dev/discord-signed.js";
import type { Card } from "../../../src/chat/card.js";
import type { Form } from "../../../src/chat/form.js";
import { readDiscordInteraction } from "../../../src/platforms/discord/read-interaction.js";
import { renderCard, renderForm } from "../../../src/platforms/discord/render.js";
import { CallbackType, createDiscordRest, MessageFlags, type DiscordRest } from "../../../src/platforms/discord/rest.js";
import { discordPublicKey } from "../../../src/platforms/discord/verify-interaction.js";

const PAGE = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";
const pair = discordKeyPair();
let emulator: DiscordEmulator;
let rest: DiscordRest;

beforeAll(async () => {
  emulator = await startDiscordEmulator();
  rest = createDiscordRest({ token: DISCORD_SEED.botToken, applicationId: DISCORD_SEED.applicationId, apiUrl: emulator.apiUrl, timeoutMs: 10_000 });
});
afterAll(() => emulator.close());

async function read(payload: unknown) {
  const outcome = await readDiscordInteraction(signedInteraction(JSON.stringify(payload), pair.privateKey), {
    publicKey: discordPublicKey(pair.publicKeyHex),
    nowMs: Date.now(),
    subcommands: new Set(["list", "review", "help"]),
  });
  if (outcome.kind !== "interaction" || outcome.parsed.kind !== "intent") throw new Error(`not an intent: ${outcome.kind}`);
  return outcome.parsed;
}

function taskForm(title: string, opening: string): Form {
  return {
    id: "task_modal",
    title: "New task",
    submitLabel: "Create task",
    note: "The task goes on the team's Notion board, and you get a link to it.",
    inputs: [
      { kind: "text", id: "title", label: "Title", maxLength: 2000, value: title },
      { kind: "text", id: "description", label: "Description", maxLength: 4000, multiline: true, optional: true },
      { kind: "choice", id: "priority", label: "Priority", optional: true, options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }] },
      { kind: "date", id: "due", label: "Due", optional: true },
    ],
    context: { o: opening },
  };
}

describe("a task's road on Discord", () => {
  it("/task -> modal -> submission -> confirmation with Start and Done -> a press that redraws it", async () => {
    // /task text:Fix login: the modal is the first response.
    const command = emulator.issueInteraction({ type: 2 });
    const asked = await read(DISCORD_PAYLOADS.taskCommand(command, "Fix login"));
    expect(asked.intent).toMatchObject({ kind: "ask_for_task", text: "Fix login" });
    const { modal, parked } = renderForm(taskForm(asked.intent.kind === "ask_for_task" ? asked.intent.text : "", asked.interaction.id));
    expect(parked).toEqual([]);
    await rest.respond(asked.interaction.id, asked.interaction.token, { type: CallbackType.Modal, data: modal }, { deadline: { remainingMs: () => 2_000 } });

    // The person submits what the modal asked for, under the custom ids it was drawn with.
    const inputs = modal.components.flatMap((component) => (component.type === 18 ? [component.component] : []));
    const typed = { title: "Fix login on Safari", description: "Since 17.2", priority: "High", due: "2026-12-24" } as Record<string, string>;
    const submission = emulator.issueInteraction({ type: 5 });
    const submitted = await read(
      DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, inputs.map((input) => (input.type === 3 ? { id: input.custom_id, values: [typed[input.custom_id] ?? ""] } : { id: input.custom_id, value: typed[input.custom_id] ?? "" }))),
    );
    expect(submitted.intent).toMatchObject({ kind: "submit_form", form: "task_modal", values: typed, context: { o: command.id } });

    // Deferred, ephemeral; the link follows in an edit of @original.
    await rest.respond(submitted.interaction.id, submitted.interaction.token, { type: CallbackType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    const confirmation: Card = {
      summary: ["Fix login on Safari is on the board"],
      blocks: [
        { kind: "text", text: ["✅ ", { link: "https://www.notion.so/Fix-login-1f2e", text: "Fix login on Safari" }, " is on the board."] },
        { kind: "buttons", id: "task_status/confirmation", buttons: [{ kind: "action", action: "task_status_start", label: "Start", value: PAGE }, { kind: "action", action: "task_status_done", label: "Done", value: PAGE, style: "primary" }] },
      ],
    };
    const shown = await rest.editOriginal(submitted.interaction.token, renderCard(confirmation).body);
    const message = emulator.messages.find((candidate) => candidate.id === shown.id);
    expect(message).toMatchObject({ flags: 64, content: "✅ [Fix login on Safari](https://www.notion.so/Fix-login-1f2e) is on the board." });

    // Done, pressed on that message: the press reads what the button was drawn with, and redraws it.
    const row = message?.components[0] as { components: { custom_id: string }[] } | undefined;
    const press = emulator.issueInteraction({ type: 3 });
    const pressed = await read(DISCORD_PAYLOADS.buttonPress(press, row?.components[1]?.custom_id ?? "", { id: shown.id, flags: 64 }));
    expect(pressed.intent).toMatchObject({ kind: "button", action: "task_status_done", value: PAGE, rowId: "task_status/confirmation", message: { message: shown.id } });
    const done: Card = { summary: ["Done"], blocks: [{ kind: "text", text: ["☑️ ", { bold: "Fix login on Safari" }, " is done."] }] };
    await rest.respond(pressed.interaction.id, pressed.interaction.token, { type: CallbackType.UpdateMessage, data: renderCard(done).body });
    expect(emulator.callsTo("interaction_callback").map((call) => (call.body as { type: number }).type)).toEqual([9, 5, 7]);
  });

  it("Remind of process -> a reply to the message that pings only its author, and an ephemeral acknowledgement with the button", async () => {
    const original = emulator.postUserMessage({ authorId: DISCORD_SEED.bob, content: "can someone fix login? @everyone" });
    const command = emulator.issueInteraction({ type: 2 });
    const shortcut = await read(DISCORD_PAYLOADS.messageCommand(command, "Remind of process", { id: original.id, content: original.content }));
    if (shortcut.intent.kind !== "message_shortcut") throw new Error("not a shortcut");
    const author = shortcut.intent.message.author;
    expect(author?.userId).toBe(DISCORD_SEED.bob);
    const reminder: Card = { summary: ["Please put this on the board"], blocks: [{ kind: "text", text: ["Hi ", ...(author ? [{ mention: author }] : []), " 👋 could you put this on the board with ", { code: "/task" }, "?"] }] };
    await rest.createMessage(DISCORD_SEED.general, { ...renderCard(reminder, { ping: author?.userId }).body, message_reference: { message_id: original.id, fail_if_not_exists: false } });
    const excerpt = JSON.stringify({ v: 1, c: DISCORD_SEED.general, t: original.id, a: DISCORD_SEED.bob, x: shortcut.intent.message.text });
    const ack = renderCard({ summary: ["Reminded"], blocks: [{ kind: "text", text: ["Reminded ", author?.displayName ?? "them", "."] }, { kind: "buttons", buttons: [{ kind: "action", action: "create_task_from_reminder", label: "Create task from this message", value: excerpt, style: "primary" }] }] });
    // The excerpt does not fit a custom_id: parked, to be written to the store before the answer.
    expect(ack.parked.map((entry) => entry.value)).toEqual([excerpt]);
    await rest.respond(command.id, command.token, { type: CallbackType.ChannelMessageWithSource, data: { ...ack.body, flags: MessageFlags.Ephemeral } });

    const reply = emulator.messages.at(-2);
    expect(reply).toMatchObject({ content: `Hi <@${DISCORD_SEED.bob}> 👋 could you put this on the board with \`/task\`?`, allowed_mentions: { parse: [], users: [DISCORD_SEED.bob], replied_user: false }, message_reference: { message_id: original.id } });
    expect(emulator.messages.at(-1)).toMatchObject({ flags: 64, interaction_token: command.token });
  });
});
