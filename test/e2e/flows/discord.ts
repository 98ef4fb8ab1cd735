/**
 * Discord through netlify dev, beside Slack: signed interactions reach the real discord-interactions
 * function, whose first responses go to the Discord emulator as Discord takes them; Notion's webhook
 * and the weekly schedule reach Discord through their own functions. Every person and message here is
 * this flow's own (the Discord emulator serves no other flow), and every title names Discord.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, type EmulatedMessage } from "../../../dev/discord-emulator.js";
import { DISCORD_PAYLOADS, discordUser } from "../../../dev/discord-signed.js";
import { DISCORD_REVIEW_CHANNEL, stack } from "../stack.js";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Modal = { custom_id: string; components: { component?: { custom_id: string; value?: string; options?: { value: string }[] } }[] };
type Page = { id: string; url: string; properties: Record<string, unknown> };

const bob = discordUser(DISCORD_SEED.bob, "bob");

/** The pages on the board whose title is exactly `title`. */
function pagesTitled(title: string): Page[] {
  const { notion, board } = stack();
  const titleOf = (page: Page) => ((page.properties.Name as { title: { plain_text: string }[] }).title ?? []).map((part) => part.plain_text).join("");
  return notion.pages(board.dataSourceId).filter((page) => titleOf(page) === title);
}

/** A property's text as Notion holds it: a URL, rich text or a title. */
function textOf(page: Page, name: string): string {
  const property = page.properties[name] as { rich_text?: { plain_text: string }[]; title?: { plain_text: string }[]; url?: string | null } | undefined;
  return property?.url ?? (property?.rich_text ?? property?.title ?? []).map((item) => item.plain_text).join("");
}

const statusOf = (pageId: string) => (stack().notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;

/** The message an interaction's first response made, or the one its component is on, as the emulator holds it now. */
const originalOf = (interaction: { id: string }) => stack().discord.interactions.find((issued) => issued.id === interaction.id)?.original;

/** The modal the bot answered with; fails the test on any other answer. */
function modalOf(answer: { json: { type?: number; data?: Record<string, unknown> } | undefined; refused: unknown }): Modal {
  expect(answer.refused).toBeUndefined();
  expect(answer.json?.type).toBe(9);
  return answer.json!.data as unknown as Modal;
}

const valueOf = (modal: Modal, input: string) => modal.components.find((component) => component.component?.custom_id === input)?.component?.value;

/** Alice's `/task <title>`: the modal of its first response. */
async function openTaskForm(title: string): Promise<Modal> {
  const { discord, sendDiscord } = stack();
  return modalOf(await sendDiscord(DISCORD_PAYLOADS.taskCommand(discord.issueInteraction({ type: 2 }), title)));
}

/**
 * Submits `modal` as Alice; resolves once the bot said what became of it (its first response, or the
 * deferred one edited), with the submission's interaction, its answer and the message it made.
 */
async function submit(modal: Modal, inputs: Parameters<typeof DISCORD_PAYLOADS.modalSubmit>[2]) {
  const { discord, sendDiscord } = stack();
  const submission = discord.issueInteraction({ type: 5 });
  const answer = await sendDiscord(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, inputs));
  expect(answer.refused).toBeUndefined();
  await waitFor(() => answer.json?.type === 4 || originalOf(submission)?.edited === true, "the deferred answer to be edited");
  return { submission, answer, confirmation: originalOf(submission)! };
}

/** The custom_id of the button labelled `label` on `message`. */
function buttonOn(message: { components: unknown[] }, label: string): string {
  const buttons = (message.components as { components: { label: string; custom_id: string }[] }[]).flatMap((row) => row.components);
  const found = buttons.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no ${label} button on ${JSON.stringify(message.components)}`);
  return found.custom_id;
}

/** Alice presses the button labelled `label` on `message`: the bot's answer. */
function press(message: EmulatedMessage, label: string) {
  const { discord, sendDiscord } = stack();
  const interaction = discord.issueInteraction({ type: 3, messageId: message.id });
  return sendDiscord(DISCORD_PAYLOADS.buttonPress(interaction, buttonOn(message, label), { id: message.id, flags: message.flags, content: message.content, components: message.components }));
}

/** The function log lines netlify dev printed that mention `text`. */
const logLinesWith = (text: string) => stack().dev.output().split("\n").filter((line) => line.includes(text));

describe("Discord, through netlify dev", () => {
  // What netlify dev printed (function logs included) and what Discord was asked, shown when a test fails.
  beforeEach((context) => {
    const { dev, discord } = stack();
    const from = dev.output().length;
    const calls = discord.calls.length;
    context.onTestFailed(() => console.log(`netlify dev's output during the test:\n${dev.output().slice(from).slice(-8_000)}\nDiscord's calls:\n${discord.calls.slice(calls).map((call) => `${call.route} ${call.path} ${JSON.stringify(call.body)?.slice(0, 300)}`).join("\n")}`));
  });

  it("/task opens the form with the board's priorities; its submission saves one page and edits the deferred answer with its link; the same submission again saves nothing more", async () => {
    const title = "Fix login";
    const modal = await openTaskForm(title);
    expect(valueOf(modal, "title")).toBe(title);
    const priority = modal.components.find((component) => component.component?.custom_id === "priority")?.component;
    expect(priority?.options?.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
    expect(pagesTitled(title)).toHaveLength(0);

    const inputs = [{ id: "title", value: title }, { id: "priority", values: ["High"] }];
    const first = await submit(modal, inputs);
    expect(first.answer.json).toEqual({ type: 5, data: { flags: 64 } });
    const [page, ...others] = pagesTitled(title);
    expect(others).toHaveLength(0);
    expect(textOf(page!, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice})`);
    expect(first.confirmation.flags & 64).toBe(64);
    expect(first.confirmation.content).toContain(page!.url);
    // The link is in the answer the person is looking at, and nowhere else (not a DM standing in for it).
    expect(stack().discord.messages.filter((message) => message.content.includes(page!.url))).toEqual([first.confirmation]);

    // Sent again (a second press of Submit): its answer says so, its button opens the same page, and the board holds one.
    const second = await submit(modal, inputs);
    expect(second.confirmation.content).toBe(`✅ **${title}** was already on the board.`);
    // The link as the save's record keeps it: the page's id in Notion's short form.
    expect(second.confirmation.components).toEqual([{ type: 1, components: [expect.objectContaining({ label: "Open in Notion", url: expect.stringContaining(page!.id.replaceAll("-", "")) })] }]);
    expect(pagesTitled(title)).toHaveLength(1);
  });

  it("Remind of process replies to the message pinging only its author, tells the person privately with the button, and the button opens the form prefilled", async () => {
    const { discord, sendDiscord } = stack();
    const content = "Can someone fix the Discord export?\nIt times out.";
    const target = discord.postUserMessage({ authorId: DISCORD_SEED.alice, content });
    const interaction = discord.issueInteraction({ type: 2, userId: DISCORD_SEED.bob });
    const answer = await sendDiscord(DISCORD_PAYLOADS.messageCommand(interaction, "Remind of process", { id: target.id, content, authorId: DISCORD_SEED.alice }, { user: bob }));
    expect(answer.refused).toBeUndefined();
    expect(answer.json).toEqual({ type: 5, data: { flags: 64 } });

    const replies = () => discord.messages.filter((message) => message.message_reference?.message_id === target.id);
    await waitFor(() => replies().length > 0, "the reminder");
    await waitFor(() => originalOf(interaction)?.edited === true, "the private acknowledgement");
    const [reply, ...more] = replies();
    expect(more).toHaveLength(0);
    expect(reply!.allowed_mentions).toEqual({ parse: [], users: [DISCORD_SEED.alice], replied_user: false });
    expect(reply!.content).toMatch(new RegExp(`^Hi <@${DISCORD_SEED.alice}> 👋 `));
    const acknowledgement = originalOf(interaction)!;
    expect(acknowledgement.flags & 64).toBe(64);
    expect(acknowledgement.content).toContain("I reminded");

    const modal = modalOf(await press(acknowledgement, "Create task from this message"));
    expect(valueOf(modal, "title")).toBe("Can someone fix the Discord export?");
    expect(valueOf(modal, "description")).toBe(content);
  });

  it("Create task on a message opens the form prefilled, and the saved page links to the message", async () => {
    const { discord, sendDiscord } = stack();
    const content = "The Discord CSV export times out\nfor every file over 10 MB";
    const target = discord.postUserMessage({ authorId: DISCORD_SEED.bob, content });
    const modal = modalOf(await sendDiscord(DISCORD_PAYLOADS.messageCommand(discord.issueInteraction({ type: 2 }), "Create task", { id: target.id, content, authorId: DISCORD_SEED.bob })));
    expect(valueOf(modal, "title")).toBe("The Discord CSV export times out");
    expect(valueOf(modal, "description")).toBe(content);

    await submit(modal, [{ id: "title", value: "The Discord CSV export times out" }, { id: "description", value: content }]);
    const [page] = pagesTitled("The Discord CSV export times out");
    expect(textOf(page!, "Slack link")).toBe(`https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}/${target.id}`);
    expect(textOf(page!, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice}), from a message by Bob (discord:${DISCORD_SEED.bob})`);
  });

  it("Start, then Done, on the confirmation move the page's status and redraw the message (type 7)", async () => {
    const title = "Discord status buttons";
    const { confirmation } = await submit(await openTaskForm(title), [{ id: "title", value: title }]);
    const pageId = pagesTitled(title)[0]!.id;

    const started = await press(confirmation, "Start");
    expect(started.refused).toBeUndefined();
    expect(started.json?.type).toBe(7);
    expect((started.json?.data as { content: string }).content).toContain("Status: **In progress**");
    await waitFor(() => statusOf(pageId) === "In progress", "the page to be In progress");

    // The message as the redraw left it in Discord: only Done is left to press.
    expect(confirmation.content).toContain("Status: **In progress**");
    expect(() => buttonOn(confirmation, "Start")).toThrow();
    const done = await press(confirmation, "Done");
    expect(done.json?.type).toBe(7);
    expect((done.json?.data as { content: string }).content).toContain("Status: **Done**");
    await waitFor(() => statusOf(pageId) === "Done", "the page to be Done");
  });

  it("a person changing the status in Notion: the Discord requester hears back once, by DM for a task asked with /task", async () => {
    const { discord, notion } = stack();
    const title = "Discord hears back";
    await submit(await openTaskForm(title), [{ id: "title", value: title }]);
    const pageId = pagesTitled(title)[0]!.id;
    const told = () => discord.messages.filter((message) => message.content.includes(title) && message.content.includes("is now"));

    const delivery = (await notion.setStatus(pageId, "Done"))!;
    expect(delivery.status).toBe(200);
    await waitFor(() => told().length > 0, "the requester to hear back");
    const dm = discord.directMessages().get(DISCORD_SEED.alice);
    expect(told().map((message) => [message.channel_id, message.content])).toEqual([[dm, expect.stringMatching(/^✅ Your task .+ is now \*\*Done\*\*, moved by Nora Notion in Notion\.$/)]]);

    // The same event delivered again, as Notion does: answered, and its log line written, but nothing more said.
    const lines = logLinesWith(String(delivery.event!.id)).length;
    expect((await notion.webhooks.redeliver(delivery)).status).toBe(200);
    await waitFor(() => logLinesWith(String(delivery.event!.id)).length > lines, "the redelivery's log line");
    expect(told()).toHaveLength(1);
  });

  it("the weekly review, run as netlify dev runs a schedule, posts once in DISCORD_REVIEW_CHANNEL_ID", async () => {
    const { discord, runSchedule } = stack();
    const runs = () => stack().dev.output().match(/"event":"request"[^\n]*"callback_id":"weekly-review"/g)?.length ?? 0;
    const before = runs();
    expect((await runSchedule("weekly-reminder")).status).toBe(200);
    await waitFor(() => runs() > before, "the run's log line");
    // Once, whichever flow ran the week's review first.
    const reviews = discord.messages.filter((message) => message.channel_id === DISCORD_REVIEW_CHANNEL);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.content).toMatch(/^### Weekly review, week of /);
    expect(reviews[0]!.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });
});
