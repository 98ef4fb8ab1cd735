/**
 * Mattermost through netlify dev, beside Slack and Discord: a command's form body, a dialog's
 * submission and a button's action reach the real mattermost-* functions at the paths the server is
 * configured with, the bot calls the Mattermost emulator at MATTERMOST_URL, and Notion's webhook
 * reaches the requester through its own function. Every post and title here is this flow's own.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, type EmulatedDialog, type EmulatedPost } from "../../../dev/mattermost-emulator.js";
import { stack } from "../stack.js";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Page = { id: string; url: string; properties: Record<string, unknown> };

function pagesTitled(title: string): Page[] {
  const { notion, board } = stack();
  const titleOf = (page: Page) => ((page.properties.Name as { title: { plain_text: string }[] }).title ?? []).map((part) => part.plain_text).join("");
  return notion.pages(board.dataSourceId).filter((page) => titleOf(page) === title);
}

const statusOf = (pageId: string) => (stack().notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;

/** Alice's `/task <text>` as Mattermost posts it to the command's URL. */
function command(text: string) {
  const { mattermost, sendMattermost } = stack();
  return sendMattermost("/mattermost/commands", mattermost.commandBody({ text }));
}

/** Alice's `/task <title>`: the dialog it opened, found by the command's own trigger_id. */
async function openDialog(title: string): Promise<EmulatedDialog> {
  const { mattermost, sendMattermost } = stack();
  const triggerId = mattermost.issueTrigger(MATTERMOST_SEED.alice);
  const answer = await sendMattermost("/mattermost/commands", mattermost.commandBody({ text: title, triggerId }));
  expect(answer.status).toBe(200);
  await waitFor(() => mattermost.dialogs.some((dialog) => dialog.triggerId === triggerId), "the dialog to open");
  return mattermost.dialogs.find((dialog) => dialog.triggerId === triggerId)!;
}

/** Sends the dialog as Mattermost does, to the path of the `url` the bot named in it. */
function submit(dialog: EmulatedDialog, values: Record<string, string | null>) {
  const { mattermost, sendMattermost } = stack();
  return sendMattermost(new URL(dialog.url).pathname, mattermost.dialogSubmission(dialog, values));
}

/** The posts Alice sees with a button named `name`. */
const withButton = (name: string) => stack().mattermost.posts.filter((post) => (post.ephemeralFor === undefined || post.ephemeralFor === MATTERMOST_SEED.alice) && post.props["attachments"] !== undefined && JSON.stringify(post.props).includes(`"name":${JSON.stringify(name)}`));

/** Presses `name` on `post` as `userId`, and lets the emulator apply the answer as Mattermost does. */
async function press(post: EmulatedPost, name: string, userId: string = MATTERMOST_SEED.alice) {
  const { mattermost, sendMattermost } = stack();
  const action = mattermost.actionRequest(post, name, { userId });
  if (action === undefined) throw new Error(`no ${name} button on ${JSON.stringify(post.props)}`);
  const answer = await sendMattermost(new URL(action.url).pathname, action.body);
  if (answer.status === 200) mattermost.receiveActionResponse(post, userId, answer.json);
  return answer;
}

describe("Mattermost, through netlify dev", () => {
  beforeEach((context) => {
    const { dev, mattermost } = stack();
    const from = dev.output().length;
    const calls = mattermost.calls.length;
    context.onTestFailed(() => console.log(`netlify dev's output during the test:\n${dev.output().slice(from).slice(-8_000)}\nMattermost's calls:\n${mattermost.calls.slice(calls).map((call) => `${call.route} ${call.path} ${JSON.stringify(call.body)?.slice(0, 300)}`).join("\n")}`));
  });

  it("/task opens the dialog; its submission saves one page however often it is sent, and the confirmation carries the page's link", async () => {
    const title = "Fix login on Mattermost";
    const dialog = await openDialog(title);
    expect(dialog.dialog).toMatchObject({ callback_id: "task_modal", submit_label: "Create task" });
    // The dialog posts back to the site netlify dev serves, at the path the issue fixes.
    expect(new URL(dialog.url).pathname).toBe("/mattermost/dialogs");
    const elements = dialog.dialog["elements"] as { name: string; default?: string }[];
    expect(elements.find((element) => element.name === "title")?.default).toBe(title);

    const first = await submit(dialog, { title });
    const again = await submit(dialog, { title });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.json?.["errors"]).toBeUndefined();
    await waitFor(() => pagesTitled(title).length > 0, "the page");
    const [page] = pagesTitled(title);
    // The dialog closed; the confirmation reaches Alice alone (an ephemeral post) with the page's link.
    const confirmations = () => stack().mattermost.posts.filter((post) => post.ephemeralFor === MATTERMOST_SEED.alice && JSON.stringify(post).includes(page!.url));
    await waitFor(() => confirmations().length > 0, "the confirmation");
    expect(stack().mattermost.posts.filter((post) => post.ephemeralFor === undefined && JSON.stringify(post).includes(page!.url))).toEqual([]);
    expect(pagesTitled(title)).toHaveLength(1);
  });

  it("/task remind <permalink> replies in the post's thread, mentioning its author, with the button", async () => {
    const { mattermost } = stack();
    const root = mattermost.postUserMessage({ userId: MATTERMOST_SEED.bob, message: "Can someone rotate the Mattermost certificates?" });
    const answer = await command(`remind ${mattermost.permalinkOf(root)}`);
    expect(answer.status).toBe(200);
    const replies = () => mattermost.posts.filter((post) => post.root_id === root.id && post.ephemeralFor === undefined);
    await waitFor(() => replies().length > 0, "the reminder in the thread");
    expect(replies()).toHaveLength(1);
    expect(replies()[0]!.message).toMatch(/(^|\s)@bob\b/);
    expect(JSON.stringify(replies()[0]!.props)).toContain('"name":"Create task from this message"');
  });

  it("Start on the confirmation moves the page and redraws the post (Start gone)", async () => {
    const title = "Mattermost status buttons";
    const before = withButton("Start").length;
    await submit(await openDialog(title), { title });
    await waitFor(() => pagesTitled(title).length === 1 && withButton("Start").length > before, "the confirmation with Start");
    const pageId = pagesTitled(title)[0]!.id;
    const confirmation = withButton("Start").find((post) => post.message.includes(title) || JSON.stringify(post.props).includes(title))!;
    expect(confirmation).toBeDefined();

    const postsBefore = stack().mattermost.posts.length;
    const started = await press(confirmation, "Start");
    expect(started.status).toBe(200);
    await waitFor(() => statusOf(pageId) === "In progress", "the page to be In progress");
    // Mattermost redrew the post with the answer's update: Start is gone. Past the 2 s deadline (the
    // write outlasting it on a busy machine) the answer goes without an update, and an ephemeral post
    // cannot be edited through the API (Mattermost refuses it), so the bot tells Alice it moved instead.
    const toldMoved = () => stack().mattermost.posts.slice(postsBefore).some((post) => post.ephemeralFor === MATTERMOST_SEED.alice && post.message === "✅ Moved to **In progress**.");
    if (JSON.stringify(started.json ?? {}).includes('"update"')) expect(stack().mattermost.actionRequest(confirmation, "Start")).toBeUndefined();
    else await waitFor(() => stack().mattermost.actionRequest(confirmation, "Start") === undefined || toldMoved(), "the post redrawn without Start, or Alice told it moved");
  });

  it("a person changing the status in Notion: the Mattermost requester hears back", async () => {
    const { mattermost, notion } = stack();
    const title = "Mattermost hears back";
    await submit(await openDialog(title), { title });
    await waitFor(() => pagesTitled(title).length === 1, "the page");
    const pageId = pagesTitled(title)[0]!.id;
    const told = () => mattermost.posts.filter((post) => post.message.includes(title) && post.message.includes("is now"));

    const delivery = (await notion.setStatus(pageId, "Done"))!;
    expect(delivery.status).toBe(200);
    await waitFor(() => told().length > 0, "the requester to hear back");
    const dm = mattermost.directChannelOf(MATTERMOST_SEED.alice);
    expect(told().map((post) => [post.channel_id, post.ephemeralFor])).toEqual([[dm, undefined]]);
    expect(told()[0]!.message).toMatch(/is now \*\*Done\*\*/);
  });

  it("the weekly review, run as netlify dev runs a schedule, posts once in MATTERMOST_REVIEW_CHANNEL_ID", async () => {
    const { mattermost, runSchedule } = stack();
    const runs = () => stack().dev.output().match(/"event":"request"[^\n]*"callback_id":"weekly-review"/g)?.length ?? 0;
    const before = runs();
    expect((await runSchedule("weekly-reminder")).status).toBe(200);
    await waitFor(() => runs() > before, "the run's log line");
    // Once, whichever flow ran the week's review first.
    const reviews = mattermost.posts.filter((post) => post.channel_id === MATTERMOST_SEED.review);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.message).toMatch(/Weekly review, week of /);
    expect(reviews[0]!.message).not.toMatch(/@(channel|all|here)\b/);
  });
});
