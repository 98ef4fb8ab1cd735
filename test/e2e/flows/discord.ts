/**
 * Discord through netlify dev, beside Slack: signed interactions reach the real discord-interactions
 * function, whose first responses go to the Discord emulator as Discord takes them; Notion's webhook
 * and the weekly schedule reach Discord through their own functions. Every person and message here is
 * this flow's own (the Discord emulator serves no other flow), and every title names Discord.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DISCORD_SEED, type EmulatedMessage } from "../../../dev/discord-emulator.js";
import type { DiscordAnswer } from "../../../dev/discord-harness.js";
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

const valueOf = (modal: Modal, input: string) => modal.components.find((component) => component.component?.custom_id === input)?.component?.value;

/** What the bot said in answer to `interaction`: its response's message and its follow-ups, as the emulator holds them now. */
const saidTo = (interaction: { token: string }) => stack().discord.messages.filter((message) => message.interaction_token === interaction.token);

/**
 * The bot's words when a form could not open (open-task-modal.ts: explainOpenFailure): the first
 * response went while its context was being parked (expired), or the parking itself stopped at the
 * deadline (the store's error, said as a failure to open just now). Both ask the person to try again.
 */
const COULD_NOT_OPEN = /so the form could not open\. Please try again\.|^I couldn't open the task form just now\. Please try again/;

/**
 * The modal an interaction that opens the form (a command, a message command, a button) is answered
 * with, sent again as a person would when told to. A modal can only be the first response, and the
 * bot gives it by its 2 s deadline: netlify dev starts a worker per request, and on a busy machine
 * the form's context may not be parked in the store by then, so the bot says the form could not
 * open and to try again, at once (type 4) or in the deferred answer (5, or for a button 6 and a
 * follow-up). That answer is the product's own under load; the form opening is this flow's subject.
 */
async function openFormWith(send: () => Promise<{ interaction: { token: string }; answer: DiscordAnswer }>): Promise<Modal> {
  for (let attempt = 1; ; attempt++) {
    const { interaction, answer } = await send();
    expect(answer.refused).toBeUndefined();
    if (answer.json?.type === 9) return answer.json.data as unknown as Modal;
    await waitFor(() => saidTo(interaction).some((message) => COULD_NOT_OPEN.test(message.content)), `the form or the bot's "try again" (answered ${answer.text})`);
    if (attempt === 5) throw new Error("the form did not open in five tries");
  }
}

/** Alice's `/task <title>`: the modal of its first response. */
function openTaskForm(title: string): Promise<Modal> {
  const { discord, sendDiscord } = stack();
  return openFormWith(async () => {
    const interaction = discord.issueInteraction({ type: 2 });
    return { interaction, answer: await sendDiscord(DISCORD_PAYLOADS.taskCommand(interaction, title)) };
  });
}

/** The bot's "saving" notice (buildSavingNotice), which the outcome replaces. */
const isSavingNotice = (message: EmulatedMessage) => message.content.includes(" to Notion. It's taking a moment");

/**
 * Submits `modal` as Alice; resolves once the bot said what became of it, with the submission's
 * interaction, its answer, and `confirmation`: the message with the status buttons if one was said,
 * else the response's message. Within the 2 s deadline the answer is deferred (5) and filled in with
 * the confirmation; past it (a busy machine) it is the saving notice (4, or filling in a 5), the
 * confirmation follows up, and the notice is edited to the link: done once nothing said is a
 * placeholder or the saving notice.
 */
async function submit(modal: Modal, inputs: Parameters<typeof DISCORD_PAYLOADS.modalSubmit>[2]) {
  const { discord, sendDiscord } = stack();
  const submission = discord.issueInteraction({ type: 5 });
  const answer = await sendDiscord(DISCORD_PAYLOADS.modalSubmit(submission, modal.custom_id, inputs));
  expect(answer.refused).toBeUndefined();
  const settled = () => saidTo(submission).length > 0 && saidTo(submission).every((message) => message.content !== "" && !isSavingNotice(message));
  await waitFor(settled, "the bot to say what became of the submission");
  const said = saidTo(submission);
  const confirmation = said.find((message) => JSON.stringify(message.components).includes('"label":"Start"')) ?? originalOf(submission)!;
  return { submission, answer, said, confirmation };
}

/** The custom_id of the button labelled `label` on `message`. */
function buttonOn(message: { components: unknown[] }, label: string): string {
  const buttons = (message.components as { components: { label: string; custom_id: string }[] }[]).flatMap((row) => row.components);
  const found = buttons.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no ${label} button on ${JSON.stringify(message.components)}`);
  return found.custom_id;
}

/** Alice presses the button labelled `label` on `message`: the press's interaction and the bot's answer. */
async function pressOn(message: EmulatedMessage, label: string) {
  const { discord, sendDiscord } = stack();
  const interaction = discord.issueInteraction({ type: 3, messageId: message.id });
  return { interaction, answer: await sendDiscord(DISCORD_PAYLOADS.buttonPress(interaction, buttonOn(message, label), { id: message.id, flags: message.flags, content: message.content, components: message.components })) };
}

/** Alice presses the button labelled `label` on `message`: the bot's answer. */
const press = async (message: EmulatedMessage, label: string) => (await pressOn(message, label)).answer;

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

  it("/task opens the form with the board's priorities; its submission saves one page and answers privately with its link; the same submission again saves nothing more", async () => {
    const title = "Fix login";
    const modal = await openTaskForm(title);
    expect(valueOf(modal, "title")).toBe(title);
    const priority = modal.components.find((component) => component.component?.custom_id === "priority")?.component;
    expect(priority?.options?.map((option) => option.value)).toEqual(["High", "Medium", "Low"]);
    expect(pagesTitled(title)).toHaveLength(0);

    const inputs = [{ id: "title", value: title }, { id: "priority", values: ["High"] }];
    const first = await submit(modal, inputs);
    // Deferred (5) and filled in with the confirmation; or, the save outlasting the 2 s deadline (a
    // busy machine), the saving notice, edited to the link once saved (integration tests hold each).
    expect(first.answer.json?.data).toMatchObject({ flags: 64 });
    if (first.answer.json?.type !== 5) expect(first.answer.json).toMatchObject({ type: 4, data: { content: expect.stringContaining(" to Notion. It's taking a moment") } });
    const [page, ...others] = pagesTitled(title);
    expect(others).toHaveLength(0);
    expect(textOf(page!, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice})`);
    expect(first.confirmation.flags & 64).toBe(64);
    expect(first.confirmation.content).toContain(page!.url);
    // The link is in the answers the person is looking at, and nowhere else (not a DM standing in for it).
    const withLink = stack().discord.messages.filter((message) => message.content.includes(page!.url));
    expect(withLink).toContain(first.confirmation);
    expect(withLink.filter((message) => message.interaction_token !== first.submission.token || (message.flags & 64) === 0)).toEqual([]);

    // Sent again (a second press of Submit): its answer says so, its button opens the same page, and the board holds one.
    const second = await submit(modal, inputs);
    const already = second.said.find((message) => message.content.endsWith(" was already on the board."));
    expect(already?.content).toBe(`✅ **${title}** was already on the board.`);
    // The link as the save's record keeps it: the page's id in Notion's short form.
    expect(already?.components).toEqual([{ type: 1, components: [expect.objectContaining({ label: "Open in Notion", url: expect.stringContaining(page!.id.replaceAll("-", "")) })] }]);
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

    const modal = await openFormWith(() => pressOn(acknowledgement, "Create task from this message"));
    expect(valueOf(modal, "title")).toBe("Can someone fix the Discord export?");
    expect(valueOf(modal, "description")).toBe(content);
  });

  it("Create task on a message opens the form prefilled, and the saved page links to the message", async () => {
    const { discord, sendDiscord } = stack();
    const content = "The Discord CSV export times out\nfor every file over 10 MB";
    const target = discord.postUserMessage({ authorId: DISCORD_SEED.bob, content });
    const modal = await openFormWith(async () => {
      const interaction = discord.issueInteraction({ type: 2 });
      return { interaction, answer: await sendDiscord(DISCORD_PAYLOADS.messageCommand(interaction, "Create task", { id: target.id, content, authorId: DISCORD_SEED.bob })) };
    });
    expect(valueOf(modal, "title")).toBe("The Discord CSV export times out");
    expect(valueOf(modal, "description")).toBe(content);

    await submit(modal, [{ id: "title", value: "The Discord CSV export times out" }, { id: "description", value: content }]);
    const [page] = pagesTitled("The Discord CSV export times out");
    expect(textOf(page!, "Slack link")).toBe(`https://discord.com/channels/${DISCORD_SEED.guildId}/${DISCORD_SEED.general}/${target.id}`);
    expect(textOf(page!, "Requested by")).toBe(`Alice (discord:${DISCORD_SEED.alice}), from a message by Bob (discord:${DISCORD_SEED.bob})`);
  });

  it("Start, then Done, on the confirmation move the page's status and redraw the message (type 7, or 6 and an edit)", async () => {
    const title = "Discord status buttons";
    const { confirmation } = await submit(await openTaskForm(title), [{ id: "title", value: title }]);
    const pageId = pagesTitled(title)[0]!.id;

    /**
     * Presses `label` and waits for the page and the message to say `status`: the redraw is the answer
     * (7), or, the write outlasting the 2 s deadline (a busy machine), the deferred update (6) and the
     * message edited through the token. What the message and the page come to is this test's subject.
     */
    async function move(label: string, status: string) {
      const answer = await press(confirmation, label);
      expect(answer.refused).toBeUndefined();
      expect([6, 7]).toContain(answer.json?.type);
      if (answer.json?.type === 7) expect((answer.json.data as { content: string }).content).toContain(`Status: **${status}**`);
      await waitFor(() => statusOf(pageId) === status, `the page to be ${status}`);
      await waitFor(() => confirmation.content.includes(`Status: **${status}**`), `the message to say ${status}`);
    }

    await move("Start", "In progress");
    // The message as the redraw left it in Discord: only Done is left to press.
    expect(() => buttonOn(confirmation, "Start")).toThrow();
    await move("Done", "Done");
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
