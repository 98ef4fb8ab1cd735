/**
 * `npm run discord` against the real discord-interactions handler (dev/discord-harness.ts: the
 * Discord and Notion emulators, the real Blobs server), with routes of the test's own on the port
 * (the features move onto it separately): each act is an interaction signed as Discord signs it,
 * its HTTP answer taken by the emulator as Discord takes a first response, and the CLI shows what
 * Discord's client would. The link the CLI plays through is built here over the harness, as
 * discord-link.ts builds it over the sandbox.
 */
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS } from "../../dev/discord-signed.js";
import type { Card } from "../../src/chat/card.js";
import type { Form } from "../../src/chat/form.js";
import type { IntentOf } from "../../src/chat/intent.js";
import { DiscordActRefused, runDiscordCli, type DiscordAct, type DiscordLink } from "../../src/cli/discord.js";
import type { GuildState } from "../../src/cli/discord-print.js";
import type { InteractionContext } from "../../src/features/context.js";
import type { IntentRoutes } from "../../src/routes.js";

const PEOPLE = [
  { id: DISCORD_SEED.alice, name: "alice" },
  { id: DISCORD_SEED.bob, name: "bob" },
];

const taskForm = (title: string, context: Record<string, string> = {}): Form => ({
  id: "task_modal",
  title: "New task",
  submitLabel: "Create",
  inputs: [
    { kind: "text", id: "title", label: "Title", maxLength: 2000, value: title },
    { kind: "choice", id: "priority", label: "Priority", options: [{ label: "High", value: "High" }, { label: "Low", value: "Low" }], optional: true },
    { kind: "date", id: "due", label: "Due date", optional: true },
  ],
  context,
});

const saved = (title: string): Card => ({
  summary: [`Saved ${title}`],
  blocks: [
    { kind: "text", text: [{ bold: title }, " is on the board."] },
    { kind: "buttons", id: "task_status/confirmation", buttons: [{ kind: "action", label: "Start", action: "task_status_start", value: "page-1" }, { kind: "link", label: "Open in Notion", url: "https://www.notion.so/page1" }] },
  ],
});

/** Routes standing in for the features: what each answers is the Discord Reply's doing. */
const routes: IntentRoutes = {
  ask_for_task: async (intent: IntentOf<"ask_for_task">, ctx: InteractionContext) => void (await ctx.reply.openForm(taskForm(intent.text))),
  subcommand: {},
  message_shortcut: {
    remind_process: async (intent: IntentOf<"message_shortcut">, ctx: InteractionContext) => {
      const author = intent.message.author!;
      await ctx.chat.reply(intent.message.place, { summary: ["Reminder"], blocks: [{ kind: "text", text: ["Hi ", { mention: author }, "! Could you file this with /task?"] }] }, { mention: author });
      await ctx.reply.tellPrivately({ summary: ["Reminded"], blocks: [{ kind: "text", text: ["Reminded."] }, { kind: "buttons", buttons: [{ kind: "action", label: "Create task from this message", action: "create_task_from_reminder", value: intent.message.text }] }] });
    },
  },
  button: {
    task_status_start: async (_intent: IntentOf<"button">, ctx: InteractionContext) => ctx.reply.updateSource({ summary: ["Started"], blocks: [{ kind: "text", text: ["Status: ", { bold: "In progress" }] }] }),
  },
  submit_form: {
    task_modal: async (intent: IntentOf<"submit_form">, ctx: InteractionContext) => {
      const due = intent.values["due"];
      if (due !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(due)) return ctx.reply.refuseForm(taskForm(intent.values["title"] ?? "", intent.context), { due: "Use YYYY-MM-DD" });
      const held = await ctx.reply.holdForm({ title: "New task", closeLabel: "Close", card: { summary: ["Saving…"], blocks: [{ kind: "text", text: ["Saving…"] }] } });
      await held.finish({ title: "New task", closeLabel: "Close", card: saved(intent.values["title"] ?? "") });
    },
  },
};

let harness: DiscordHarness;
let link: DiscordLink;

beforeAll(async () => {
  harness = await startDiscordHarness({ routes });
  link = linkTo(harness);
}, 60_000);
afterAll(() => harness.close());
beforeEach(() => harness.discord.reset());

/** The guild as the sandbox's control server lists it, read from the harness's emulator. */
function guildOf(h: DiscordHarness): GuildState {
  const { discord } = h;
  return {
    botId: DISCORD_SEED.botUserId,
    channels: [{ id: DISCORD_SEED.general, name: "general" }],
    people: PEOPLE,
    dms: [],
    messages: discord.messages.map((m) => ({
      id: m.id,
      channel: m.channel_id,
      author: m.author_id,
      content: m.content,
      components: m.components,
      flags: m.flags,
      replyTo: m.message_reference?.message_id,
      edited: m.edited,
      interaction: discord.interactions.find((i) => i.token === m.interaction_token)?.id,
    })),
    interactions: discord.interactions.map((i) => ({ id: i.id, token: i.token, type: i.type, channel: i.channelId, user: i.userId, message: i.messageId, response: i.response, at: i.issuedAt })),
  };
}

/** Each act as Discord delivers it: an interaction minted by the emulator, its body signed and sent, its answer taken. */
function linkTo(h: DiscordHarness): DiscordLink {
  const { discord } = h;
  return {
    state: async () => guildOf(h),
    async postMessage({ channel, author, content }) {
      const posted = discord.postUserMessage({ channelId: channel, authorId: author, content });
      return guildOf(h).messages.find((m) => m.id === posted.id)!;
    },
    async send(act: DiscordAct) {
      const as = (body: Record<string, unknown>): Record<string, unknown> & { id: string; token: string } => ({ ...(body as { id: string; token: string }), member: { ...(body["member"] as object), user: { id: act.user, username: PEOPLE.find((p) => p.id === act.user)?.name ?? "someone", global_name: null, discriminator: "0", avatar: null } } });
      let issued;
      let body: Record<string, unknown>;
      switch (act.kind) {
        case "command":
          issued = discord.issueInteraction({ type: 2, channelId: act.channel, userId: act.user });
          body = DISCORD_PAYLOADS.taskCommand(issued, act.text || undefined);
          break;
        case "message_command": {
          const message = discord.messages.find((m) => m.id === act.message);
          if (!message) throw new DiscordActRefused(`No message ${act.message}.`);
          issued = discord.issueInteraction({ type: 2, channelId: message.channel_id, userId: act.user });
          body = DISCORD_PAYLOADS.messageCommand(issued, act.name, { id: message.id, content: message.content, authorId: message.author_id, bot: message.author_id === DISCORD_SEED.botUserId });
          break;
        }
        case "button": {
          const message = discord.messages.find((m) => m.id === act.message)!;
          issued = discord.issueInteraction({ type: 3, channelId: message.channel_id, userId: act.user, messageId: message.id });
          body = DISCORD_PAYLOADS.buttonPress(issued, act.customId, { id: message.id, flags: message.flags });
          break;
        }
        case "modal_submit": {
          const opening = discord.interactions.find((i) => i.id === act.opening)!;
          issued = discord.issueInteraction({ type: 5, channelId: opening.channelId, userId: act.user });
          const inputs = Object.entries(act.values).map(([id, value]) => (Array.isArray(value) ? { id, values: value } : { id, value }));
          body = DISCORD_PAYLOADS.modalSubmit(issued, String((opening.response?.["data"] as { custom_id: string }).custom_id), inputs);
          break;
        }
      }
      const answer = await h.send(as(body));
      // The deferred work (waitUntil) is over before the CLI looks: no wait rests on time.
      await h.settle();
      return { interaction: { id: issued.id, token: issued.token }, status: answer.status, answer: answer.json as Record<string, unknown> | undefined, ...(answer.refused ? { refused: answer.refused } : {}) };
    },
    activity: async () => ({ activity: discord.calls.length, busy: 0 }),
    pages: async () => [],
  };
}

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runDiscordCli({ argv: args, env: {}, out: { write: (text: string) => (out += text) }, link });
  return { code, out };
}

describe("npm run discord, against the handler", () => {
  it("/task opens the modal, fills it from the flags, submits it, and shows the answer held, then edited with the link", async () => {
    const { code, out } = await cli("/task", "Fix login", "--priority", "high", "--due", "2030-01-31");
    expect(out).toContain("→ @alice in #general: /task text:Fix login");
    expect(out).toContain("← 200, a modal opens:");
    expect(out).toContain('│ Title: "Fix login"');
    expect(out).toContain('→ @alice presses [Submit] with Title = "Fix login", Priority = "High", Due date = "2030-01-31"');
    // The Reply holds the form with its notice as the first response, then edits it with the outcome.
    expect(out).toContain("← 200, a message only @alice sees:\n    Saving…");
    expect(out).toMatch(/edited: the bot in #general, only @alice sees this \(id \d+\):\n {4}\*\*Fix login\*\* is on the board\.\n {4}\[Start\] \[Open in Notion ↗ https:\/\/www\.notion\.so\/page1\]/);
    const submitted = harness.discord.interactions.find((i) => i.type === 5);
    expect(submitted?.response).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(code).toBe(0);
  });

  it("leaves the modal open without flags, and submit finishes it later", async () => {
    const opened = await cli("/task", "Fix login");
    expect(opened.out).toMatch(/It stays open\. To submit it: npm run discord -- submit \d+ --title "…"/);
    expect(harness.discord.interactions.filter((i) => i.type === 5)).toEqual([]);
    const { code, out } = await cli("submit", "--submit");
    expect(out).toContain('→ @alice presses [Submit] with Title = "Fix login"');
    expect(out).toContain("**Fix login** is on the board.");
    expect(code).toBe(0);
  });

  it("shows a refused submission's errors with Fix it, and Fix it opens the form again with what was typed", async () => {
    const refused = await cli("/task", "Fix login", "--due", "tomorrow!!");
    expect(refused.out).toContain("← 200, a message only @alice sees:");
    expect(refused.out).toContain("[Fix it]");
    const { code, out } = await cli("click", "Fix it", "--no-submit");
    expect(out).toContain("← 200, a modal opens:");
    expect(out).toContain('Due date (optional): "tomorrow!!"');
    expect(code).toBe(0);
  });

  it("refuses a priority the modal does not offer, naming its options, and sends nothing", async () => {
    const { code, out } = await cli("/task", "Fix login", "--priority", "Urgent");
    expect(out).toContain('Priority: "Urgent" is not one of High, Low.');
    expect(harness.discord.interactions.filter((i) => i.type === 5)).toEqual([]);
    expect(code).toBe(2);
  });

  it("remind --text posts bob's message, then Remind of process replies to it mentioning him, and tells alice alone", async () => {
    const { code, out } = await cli("remind", "--text", "Can someone fix the login?");
    const message = harness.discord.messages.find((m) => m.content === "Can someone fix the login?")!;
    expect(out).toContain(`@bob wrote in #general (id ${message.id}):`);
    expect(out).toContain(`→ @alice uses Apps → "Remind of process" on @bob's message ${message.id} in #general`);
    expect(out).toContain(`the bot in #general, replying to @bob's "Can someone fix the login?"`);
    expect(out).toContain("Hi @bob! Could you file this with /task?");
    expect(out).toMatch(/only @alice sees:\n {4}Reminded\.\n {4}\[Create task from this message\]/);
    expect(code).toBe(0);
  });

  it("click presses a button by its label on the newest message showing one, and shows the redraw", async () => {
    await cli("/task", "Fix login", "--submit");
    const { code, out } = await cli("click", "start");
    expect(out).toMatch(/→ @alice presses \[Start\] on the message \d+ in #general/);
    expect(out).toContain("← 200, the message is redrawn:\n    Status: **In progress**");
    expect(code).toBe(0);
  });

  it("refuses a button no message shows, listing those there are, and someone else's ephemeral message", async () => {
    await cli("/task", "Fix login", "--submit");
    const missing = await cli("click", "Strat");
    expect(missing.out).toContain("No message shows @alice a button Strat: there are Start, Open in Notion. Did you mean Start?");
    expect(missing.code).toBe(2);
    const bob = await cli("click", "Start", "--as", "bob");
    expect(bob.out).toContain("No message shows @bob a button Start (no message with buttons yet).");
    expect(bob.code).toBe(2);
  });

  it("says a link button opens the browser and sends the bot nothing", async () => {
    await cli("/task", "Fix login", "--submit");
    const calls = harness.discord.interactions.length;
    const { code, out } = await cli("click", "Open in Notion");
    expect(out).toContain("Discord opens https://www.notion.so/page1 in the browser; the bot hears nothing of it.");
    expect(harness.discord.interactions).toHaveLength(calls);
    expect(code).toBe(0);
  });

  it("state lists the latest messages and the modals the bot opened", async () => {
    await cli("/task", "Fix login");
    const { code, out } = await cli("state");
    expect(out).toMatch(/Modals the bot opened \(npm run discord -- submit <id>\):\n {2}\d+ for @alice: New task/);
    expect(code).toBe(0);
  });

  it("in a terminal, asks for each input when no flag fills it: Enter keeps the prefilled title, a number picks a priority", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const answers = ["", "2", "2030-01-31"];
    const asked: string[] = [];
    output.on("data", (chunk: Buffer) => {
      asked.push(chunk.toString());
      input.write(`${answers.shift() ?? ""}\n`);
    });
    let out = "";
    const code = await runDiscordCli({ argv: ["/task", "Fix login"], env: {}, out: { write: (text: string) => (out += text) }, link, interactive: true, input, output });
    expect(asked.map((question) => question.trim())).toEqual(["Title [Fix login]:", "Priority (optional) (1 High, 2 Low) []:", "Due date (optional) []:"]);
    expect(out).toContain('→ @alice presses [Submit] with Title = "Fix login", Priority = "Low", Due date = "2030-01-31"');
    expect(code).toBe(0);
  });

  it("says when form flags had no modal to fill, since the route answered without one", async () => {
    const { code, out } = await cli("remind", "--text", "Can someone fix the login?");
    expect(code).toBe(0);
    const message = harness.discord.messages.find((m) => m.content === "Can someone fix the login?")!;
    const create = await cli("create", message.id, "--title", "Fix login");
    // No route for create_task here: the handler answers that it isn't handled.
    expect(create.out).toContain("The bot opened no modal: --title had nothing to fill or submit.");
    expect(create.code).toBe(1);
    expect(out).not.toContain("opened no modal");
  });
});
