/**
 * Microsoft Teams through netlify dev, beside the others: activities signed as the Bot Connector signs
 * them (the Teams emulator's key) reach the real teams-messages function at /teams/messages, which
 * verifies them against the emulator's OpenID configuration and keys, gets its token from the
 * emulator's token endpoint and speaks through its connector; Notion's webhook and the weekly
 * schedule reach Teams through their own functions. The Teams emulator serves no other flow; every
 * page this flow makes is requested by a Teams person (`(teams:…)`), so titles other flows use too
 * (`Fix login`) are told apart. What the functions called is what the emulators recorded.
 */
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEAMS_SEED } from "../../../dev/teams-emulator.js";
import { teamsInvoke, teamsMessage, type TeamsAnswer } from "../../../dev/teams-harness.js";
import { stack, TEAMS_REVIEW_CONVERSATION } from "../stack.js";

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type Page = { id: string; url: string; properties: Record<string, unknown> };
type Sent = ReturnType<typeof stack>["teams"]["activities"][number];
type Action = { type: string; title: string; verb?: string; data: Record<string, unknown> };
type Dialog = { type: string; value: { title: string; card: { content: { body: Record<string, unknown>[]; actions: Action[] } } } };

/** A property's text as Notion holds it: a URL, rich text or a title. */
function textOf(page: Page, name: string): string {
  const property = page.properties[name] as { rich_text?: { plain_text: string }[]; title?: { plain_text: string }[]; url?: string | null } | undefined;
  return property?.url ?? (property?.rich_text ?? property?.title ?? []).map((item) => item.plain_text).join("");
}

/** The pages titled exactly `title` that a Teams person asked for (another flow may use the same title). */
function teamsPagesTitled(title: string): Page[] {
  const { notion, board } = stack();
  return notion.pages(board.dataSourceId).filter((page) => textOf(page, "Name") === title && textOf(page, "Requested by").includes("(teams:"));
}

const statusOf = (pageId: string) => (stack().notion.page(pageId)?.properties.Status as { status: { name: string } | null }).status?.name;
/** The writes to a page the functions asked Notion for. */
const writesTo = (pageId: string) => stack().notion.requests.filter((request) => request.route === "pages.update" && request.path.replaceAll("-", "").includes(pageId.replaceAll("-", "")));
/** The page's body as text (where a task's description goes). */
const bodyOf = (pageId: string) => JSON.stringify(stack().notion.children(pageId));

/** What the bot sent after the emulator had recorded `from` activities, in `conversation` (any by default). */
const sentSince = (from: number, conversation?: string): Sent[] => stack().teams.activities.slice(from).filter((sent) => conversation === undefined || sent.conversationId === conversation);

/** Every Adaptive Card action in `value` (a card, an activity, an invoke's answer), nested ones included. */
function actionsIn(value: unknown): Action[] {
  if (Array.isArray(value)) return value.flatMap(actionsIn);
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.type === "string" && record.type.startsWith("Action.") ? [record as unknown as Action] : [];
  return [...own, ...Object.values(record).flatMap(actionsIn)];
}

function actionTitled(value: unknown, title: string): Action {
  const found = actionsIn(value).find((action) => action.title === title);
  if (!found) throw new Error(`no ${title} action in ${JSON.stringify(value)}`);
  return found;
}

/** The dialog an invoke was answered with; fails the test on any other answer. */
function dialogIn(answer: TeamsAnswer): Dialog {
  expect(answer.status).toBe(200);
  const task = (answer.json as { task?: Dialog } | undefined)?.task;
  expect(task?.type, answer.text).toBe("continue");
  return task!;
}

const inputsOf = (dialog: Dialog) => dialog.value.card.content.body.filter((element) => String(element.type).startsWith("Input."));

/**
 * Every line netlify dev printed since this flow began: its own copy, as output() keeps only the
 * last 200,000 characters, and a count of lines taken before an action must not shrink after it.
 */
const flowLines: string[] = [];
/** The lines netlify dev printed during this flow that mention every one of `texts`. */
const logLinesWith = (...texts: string[]) => flowLines.filter((line) => texts.every((text) => line.includes(text)));

/** Alice's message `text` in her chat with the bot; resolves with the one card it was answered with there. */
async function message(text: string): Promise<Sent> {
  const { teams, sendTeams } = stack();
  const from = teams.activities.length;
  const answer = await sendTeams(teamsMessage(teams.serviceUrl, text));
  // A message is answered through the connector; its HTTP answer is a bare 200.
  expect([answer.status, answer.text]).toEqual([200, ""]);
  await waitFor(() => sentSince(from, TEAMS_SEED.personal).length > 0, `the answer to ${text}`);
  const [sent, ...more] = sentSince(from, TEAMS_SEED.personal);
  expect(more).toEqual([]);
  return sent!;
}

/** What an invoke answers when its route said nothing by the 2 s deadline (teams/reply.ts defaultInvokeAnswer): a dialog fetch's. */
const ON_IT_DIALOG = { task: { type: "message", value: "On it." } };

/**
 * The dialog a dialog-opening invoke (task/fetch, composeExtension/fetchTask) is answered with,
 * following the product where it answers otherwise. A dialog opens only as the invoke's answer, by
 * the bot's 2 s deadline: netlify dev starts a worker per request, and on a busy machine a cold
 * instance's set-up (its keys, its token) can outlast it, so the answer is "On it." and the form
 * comes as a card in Alice's chat whose button opens it (a task/fetch), which she presses, as a
 * person would. The dialog and what it holds are the flow's subject, not which road it came by.
 */
async function dialogFrom(send: () => Promise<TeamsAnswer>): Promise<Dialog> {
  const { teams, sendTeams } = stack();
  for (let attempt = 1; ; attempt++) {
    const from = teams.activities.length;
    const answer = await send();
    expect(answer.status).toBe(200);
    if ((answer.json as { task?: Dialog } | undefined)?.task?.type === "continue") return dialogIn(answer);
    expect(answer.json, answer.text).toEqual(ON_IT_DIALOG);
    const openers = () => sentSince(from).flatMap((sent) => actionsIn(sent.activity)).filter((action) => (action.data as { msteams?: { type?: string } }).msteams?.type === "task/fetch");
    await waitFor(() => openers().length > 0, "the card whose button opens the form");
    if (attempt === 5) throw new Error("the dialog did not open in five tries");
    const opener = openers()[0]!;
    send = () => sendTeams(teamsInvoke(teams.serviceUrl, "task/fetch", { data: opener.data, context: { theme: "default" } }));
  }
}

/** Alice's `task <title>`: the card it answered with, and the dialog its button opens (task/fetch). */
async function openTaskForm(title: string): Promise<{ card: Sent; dialog: Dialog }> {
  const { teams, sendTeams } = stack();
  const card = await message(`task ${title}`);
  const [opener, ...others] = actionsIn(card.activity);
  expect(others).toEqual([]);
  expect(opener).toMatchObject({ type: "Action.Submit", data: { msteams: { type: "task/fetch" } } });
  return { card, dialog: await dialogFrom(() => sendTeams(teamsInvoke(teams.serviceUrl, "task/fetch", { data: opener!.data, context: { theme: "default" } }))) };
}

/** The dialog's submission as Teams sends it (task/submit): the submit action's data with the inputs' values merged in. */
const submission = (dialog: Dialog, values: Record<string, string>) => teamsInvoke(stack().teams.serviceUrl, "task/submit", { data: { ...dialog.value.card.content.actions[0]!.data, ...values }, context: { theme: "default" } });

/** Alice's task `title`, asked for and saved through the dialog: its page and the confirmation in her chat. */
async function taskOfAlice(title: string): Promise<{ page: Page; confirmation: Sent }> {
  const { teams, sendTeams } = stack();
  const { dialog } = await openTaskForm(title);
  const from = teams.activities.length;
  const answer = await sendTeams(submission(dialog, { title }));
  expect(answer.status).toBe(200);
  await waitFor(() => teamsPagesTitled(title).length > 0, `the page ${title}`);
  const [page] = teamsPagesTitled(title);
  await waitFor(() => sentSince(from, TEAMS_SEED.personal).some((sent) => JSON.stringify(sent.activity).includes(page!.url)), "the confirmation");
  return { page: page!, confirmation: sentSince(from, TEAMS_SEED.personal).find((sent) => JSON.stringify(sent.activity).includes(page!.url))! };
}

/** The ids of this flow's channel messages (a thread's root, a reply in it): Teams' (ms since 1970), unique within the run. */
let roots = 0;
const threadRoot = () => `17${String(Date.now()).slice(-9)}${++roots}`;

/** A message in the channel, as a message extension's `messagePayload` carries it (a reply in the thread `root`). */
function messagePayload(text: string, root: string) {
  const id = threadRoot();
  return {
    id,
    replyToId: root,
    messageType: "message",
    createdDateTime: new Date().toISOString(),
    from: { user: { id: TEAMS_SEED.bob.aadObjectId, displayName: TEAMS_SEED.bob.name, userIdentityType: "aadUser" } },
    body: { contentType: "html", content: text },
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(TEAMS_SEED.channel)}/${id}?tenantId=${TEAMS_SEED.tenantId}&parentMessageId=${root}`,
  };
}
const channel = { id: TEAMS_SEED.channel, conversationType: "channel" };

/** The calls the other chat platforms' emulators received: a Teams activity must cause none. */
const otherPlatformsCalls = () => ({ slack: stack().slack.calls.length, discord: stack().discord.calls.length, mattermost: stack().mattermost.calls.length });

/**
 * A loopback server that records whatever reaches it: an origin that is neither allowed nor Microsoft's,
 * put where an activity names URLs. The functions must never call it.
 */
let trap: { server: Server; origin: string; requests: string[] };
/** How many requests the Notion emulator had received when this flow began. */
let notionFrom = 0;

describe("Microsoft Teams, through netlify dev", () => {
  beforeAll(async () => {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    trap = { server, requests, origin: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` };
    notionFrom = stack().notion.requests.length;
    stack().dev.onLine((line) => flowLines.push(line));
  });
  afterAll(async () => {
    trap.server.closeAllConnections();
    await new Promise<void>((resolve) => trap.server.close(() => resolve()));
  });

  // What netlify dev printed (function logs included) and what the Teams emulator was asked, shown when a test fails.
  beforeEach((context) => {
    const { teams } = stack();
    const from = flowLines.length;
    const calls = teams.calls.length;
    context.onTestFailed(() => console.log(`netlify dev's output during the test:\n${flowLines.slice(from).join("\n").slice(-8_000)}\nTeams' calls:\n${teams.calls.slice(calls).map((call) => `${call.route} ${call.method} ${call.path} ${JSON.stringify(call.body)?.slice(0, 300)}`).join("\n")}`));
  });

  describe("what a person does, each answered on Teams alone", () => {
    let before: ReturnType<typeof otherPlatformsCalls>;
    beforeEach(() => void (before = otherPlatformsCalls()));
    // Nothing a Teams person does reaches Slack, Discord or Mattermost.
    afterEach(() => expect(otherPlatformsCalls()).toEqual(before));

    it("`task help`, `task list` and `task review` are answered in Alice's chat with the bot, each with one card", async () => {
      const help = JSON.stringify(await message("task help"));
      expect(help).toContain("`task list` shows your open tasks");
      expect(help).toContain("**Create task**");
      expect(help).not.toContain("/task");

      // A task Alice asked for in Teams: listed as hers.
      await taskOfAlice("Teams list: rotate the certificates");
      const list = JSON.stringify(await message("task list"));
      expect(list).toContain("Teams list: rotate the certificates");

      const review = (await message("task review")).activity;
      expect(review.summary).toMatch(/^Weekly review, week of /);
    });

    it("`@chatops task help` in a channel is answered privately, in a 1:1 chat the bot opens, and nothing is said in the channel", async () => {
      const { teams, sendTeams } = stack();
      const from = teams.activities.length;
      const opened = teams.calls.filter((call) => call.route === "create_conversation").length;
      const root = threadRoot();
      const asked = await sendTeams(teamsMessage(teams.serviceUrl, "<at>chatops</at> task help", { conversation: { id: `${TEAMS_SEED.channel};messageid=${root}`, conversationType: "channel" }, id: root }));
      expect(asked.status).toBe(200);
      await waitFor(() => sentSince(from).length > 0, "the private answer");
      expect(teams.calls.filter((call) => call.route === "create_conversation").slice(opened).map((call) => call.body)).toEqual([expect.objectContaining({ members: [{ id: TEAMS_SEED.alice.id }], tenantId: TEAMS_SEED.tenantId })]);
      // Teams keeps one chat per person and bot: the conversation created is Alice's personal chat.
      expect(sentSince(from).map((sent) => sent.conversationId)).toEqual([TEAMS_SEED.personal]);
      expect(JSON.stringify(sentSince(from)[0]!.activity)).toContain("`task list` shows your open tasks");
    });

    it("`task Fix login` answers with a card whose button opens the dialog (Title prefilled, Description, Priority with the board's options, Due a date, Create task); sent twice it saves one page, and the confirmation carries its link", async () => {
      const { teams, sendTeams } = stack();
      const title = "Fix login";
      const { dialog } = await openTaskForm(title);
      const inputs = inputsOf(dialog);
      expect(inputs.map((input) => [input.type, input.label])).toEqual([
        ["Input.Text", "Title"],
        ["Input.Text", "Description"],
        ["Input.ChoiceSet", "Priority"],
        ["Input.Date", "Due date"],
      ]);
      expect(inputs[0]!.value).toBe(title);
      expect((inputs[2]!.choices as { title: string; value: string }[]).map((choice) => choice.value)).toEqual(["High", "Medium", "Low"]);
      expect(dialog.value.card.content.actions.map((action) => [action.type, action.title])).toEqual([["Action.Submit", "Create task"]]);
      const pagesBefore = teamsPagesTitled(title).length;
      const submitLines = () => logLinesWith('"kind":"task/submit"', `"user":"${TEAMS_SEED.alice.id}"`).length;
      const linesBefore = submitLines();

      // Sent, sent again by Teams (the same invoke: no answer seen in time), and sent once more from the same dialog.
      const from = teams.activities.length;
      const sent = submission(dialog, { title, description: "On Safari, since Monday", priority: "High", due: "2030-01-15" });
      const answers = [await sendTeams(sent), await sendTeams(sent), await sendTeams(submission(dialog, { title, description: "On Safari, since Monday", priority: "High", due: "2030-01-15" }))];
      // Every invoke gets a body: an empty one is "Unable to reach app" and another delivery.
      expect(answers.map((answer) => [answer.status, answer.text !== ""])).toEqual([[200, true], [200, true], [200, true]]);
      await waitFor(() => teamsPagesTitled(title).length > pagesBefore, "the page");
      const [page, ...others] = teamsPagesTitled(title).slice(pagesBefore);
      expect(bodyOf(page!.id)).toContain("On Safari, since Monday");
      expect(statusOf(page!.id)).toBe("Not started");
      expect(textOf(page!, "Requested by")).toBe(`${TEAMS_SEED.alice.name} (teams:${TEAMS_SEED.alice.id})`);
      const confirmations = () => sentSince(from, TEAMS_SEED.personal).filter((entry) => JSON.stringify(entry.activity).includes(page!.url));
      await waitFor(() => confirmations().length > 0, "the confirmation");
      // Each send was answered by then; none made a page or a confirmation more.
      await waitFor(() => submitLines() >= linesBefore + 3, "the three sends' log lines");
      expect(others).toEqual([]);
      expect(teamsPagesTitled(title)).toHaveLength(pagesBefore + 1);
      expect(confirmations()).toHaveLength(1);
      expect(actionTitled(confirmations()[0]!.activity, "Open in Notion")).toMatchObject({ type: "Action.OpenUrl", url: page!.url });
    });

    it("Remind of process (remindProcess) replies in the message's thread, mentioning exactly its author; used again, it tells Alice privately and posts nothing more", async () => {
      const { teams, sendTeams } = stack();
      const root = threadRoot();
      const from = teams.activities.length;
      const payload = messagePayload("<p>Can someone rotate the <b>Teams</b> certificates? <at>Carol</at></p>", root);
      const remind = () => sendTeams(teamsInvoke(teams.serviceUrl, "composeExtension/fetchTask", { commandId: "remindProcess", commandContext: "message", messagePayload: payload }, { conversation: channel }));
      const answer = await remind();
      expect(answer.status).toBe(200);
      expect(answer.text).not.toBe("");
      await waitFor(() => sentSince(from).some((sent) => sent.replyTo === root), "the reminder in the thread");
      const replies = () => sentSince(from).filter((sent) => sent.replyTo === root);
      const [reply] = replies();
      expect(reply!.conversationId).toBe(TEAMS_SEED.channel);
      const card = (reply!.activity.attachments as { content: { body: unknown[]; msteams: { entities?: unknown[] } } }[])[0]!.content;
      expect(card.msteams.entities).toEqual([{ type: "mention", text: `<at>${TEAMS_SEED.bob.name}</at>`, mentioned: { id: TEAMS_SEED.bob.aadObjectId, name: TEAMS_SEED.bob.name } }]);
      // One mention in the text, the entity's: the <at> quoted from the message is no mention.
      expect(JSON.stringify(card.body).match(/<at>/g)).toHaveLength(1);
      expect(JSON.stringify(card.body)).not.toContain("/task");
      // The notification names Bob as the card does.
      expect(reply!.activity.summary).toMatch(new RegExp(`^Hi @${TEAMS_SEED.bob.name} 👋 `));

      // Alice uses it again (another invoke): no second reminder; she is told so in her chat with the bot, in words.
      const again = teams.activities.length;
      expect((await remind()).status).toBe(200);
      await waitFor(() => sentSince(again, TEAMS_SEED.personal).length > 0, "the notice that it was already posted");
      const [notice] = sentSince(again, TEAMS_SEED.personal);
      expect(JSON.stringify((notice!.activity.attachments as { content: { body: unknown[] } }[])[0]!.content.body)).toContain("I already posted this reminder");
      expect(replies()).toHaveLength(1);
      // Said in the thread, and nowhere else in the channel.
      expect(sentSince(from, TEAMS_SEED.channel).filter((sent) => sent.replyTo !== root)).toEqual([]);
    });

    it("Create task (createTask) on a message opens the dialog prefilled from it; submitAction saves one page however often it is sent, with the message's link", async () => {
      const { sendTeams, teams } = stack();
      const payload = messagePayload("<p>The Teams CSV export times out<br>for every file over 10 MB &amp; more</p>", threadRoot());
      const dialog = await dialogFrom(() => sendTeams(teamsInvoke(teams.serviceUrl, "composeExtension/fetchTask", { commandId: "createTask", commandContext: "message", messagePayload: payload }, { conversation: channel })));
      const inputs = inputsOf(dialog);
      expect(inputs.find((input) => input.id === "title")?.value).toBe("The Teams CSV export times out");
      expect(String(inputs.find((input) => input.id === "description")?.value)).toContain("for every file over 10 MB & more");

      const title = "The Teams CSV export times out";
      const submitted = teamsInvoke(teams.serviceUrl, "composeExtension/submitAction", { commandId: "createTask", commandContext: "message", data: { ...dialog.value.card.content.actions[0]!.data, title, description: "From the thread", priority: "", due: "" } }, { conversation: channel });
      const duplicates = () => logLinesWith('"kind":"composeExtension/submitAction"', '"outcome":"duplicate"').length;
      const duplicatesBefore = duplicates();
      const answers = [await sendTeams(submitted), await sendTeams(submitted)];
      expect(answers.map((answer) => [answer.status, answer.text !== ""])).toEqual([[200, true], [200, true]]);
      await waitFor(() => teamsPagesTitled(title).length > 0, "the page");
      await waitFor(() => duplicates() > duplicatesBefore, "the second send's log line");
      const [page, ...others] = teamsPagesTitled(title);
      expect(others).toEqual([]);
      expect(textOf(page!, "Slack link")).toBe(payload.linkToMessage);
      expect(bodyOf(page!.id)).toContain("From the thread");
      expect(textOf(page!, "Requested by")).toContain(`${TEAMS_SEED.alice.name} (teams:${TEAMS_SEED.alice.id})`);
    });

    it("Start, then Done (Action.Execute) move the page and are answered with the refreshed card; the same click delivered again changes nothing twice", async () => {
      const { teams, sendTeams } = stack();
      const { page, confirmation } = await taskOfAlice("Teams status buttons");
      const click = (card: unknown, title: string) => {
        const action = actionTitled(card, title);
        expect(action.type).toBe("Action.Execute");
        return teamsInvoke(teams.serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: action.verb, data: action.data }, trigger: "manual" }, { replyToId: confirmation.id });
      };

      /**
       * Sends `invoke` (a press) and waits for the page to be `status`; the card as it then shows: the
       * invoke's answer (the refreshed card), or, the write outlasting the 2 s deadline on a busy
       * machine, "On it." and the message itself updated for everyone (updateActivity). The card
       * the person ends up seeing is this test's subject, not which road it came by.
       */
      const pressFor = async (invoke: Record<string, unknown>, status: string, gone: string) => {
        const answer = await sendTeams(invoke);
        await waitFor(() => statusOf(page.id) === status, `the page to be ${status}`);
        if ((answer.json as { type?: string } | undefined)?.type === "application/vnd.microsoft.card.adaptive") {
          expect(answer.json).toMatchObject({ statusCode: 200, value: { type: "AdaptiveCard" } });
          return (answer.json as { value: unknown }).value;
        }
        expect(answer.json).toEqual({ statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "On it." });
        await waitFor(() => JSON.stringify(confirmation.activity).includes(status) && !actionsIn(confirmation.activity).some((action) => action.title === gone), `the message updated to ${status}`);
        return confirmation.activity;
      };

      const start = click(confirmation.activity, "Start");
      const refreshed = await pressFor(start, "In progress", "Start");
      expect(JSON.stringify(refreshed)).toContain("In progress");
      expect(actionsIn(refreshed).map((action) => action.title)).not.toContain("Start");
      const writes = writesTo(page.id).length;
      const duplicates = () => logLinesWith('"kind":"adaptiveCard/action"', '"outcome":"duplicate"').length;
      const startDuplicates = duplicates();
      const again = await sendTeams(start);
      expect([again.status, again.text !== ""]).toEqual([200, true]);
      await waitFor(() => duplicates() > startDuplicates, "the second delivery's log line");
      expect(writesTo(page.id)).toHaveLength(writes);

      const done = click(refreshed, "Done");
      const finished = await pressFor(done, "Done", "Done");
      expect(JSON.stringify(finished)).toContain("Done");
      const doneDuplicates = duplicates();
      const doneWrites = writesTo(page.id).length;
      const doneAgain = await sendTeams(done);
      expect([doneAgain.status, doneAgain.text !== ""]).toEqual([200, true]);
      await waitFor(() => duplicates() > doneDuplicates, "the second Done's log line");
      expect(writesTo(page.id)).toHaveLength(doneWrites);
      expect(statusOf(page.id)).toBe("Done");
    });

    it("a person moving the task in Notion: the Teams requester hears back once, in the chat the task came from", async () => {
      const { notion, teams } = stack();
      const title = "Teams hears back";
      const { page } = await taskOfAlice(title);
      const from = teams.activities.length;
      const told = () => sentSince(from).filter((sent) => JSON.stringify(sent.activity).includes(page.url) && String(sent.activity.summary).includes("is now"));

      const delivery = (await notion.setStatus(page.id, "Done"))!;
      expect(delivery.status).toBe(200);
      await waitFor(() => told().length > 0, "the requester to hear back");
      expect(told().map((sent) => [sent.conversationId, sent.activity.summary])).toEqual([[TEAMS_SEED.personal, `Your task ${title} is now Done, moved by Nora Notion in Notion.`]]);

      // The same event delivered again, as Notion does: answered and logged, nothing more said.
      const lines = logLinesWith(String(delivery.event!.id)).length;
      expect((await notion.webhooks.redeliver(delivery)).status).toBe(200);
      await waitFor(() => logLinesWith(String(delivery.event!.id)).length > lines, "the redelivery's log line");
      expect(told()).toHaveLength(1);
    });

    it("refuses an activity with no JWT, one for another app (aud), and one whose serviceUrl is not the token's: 401, and nothing is called", async () => {
      const { teams, sendTeams } = stack();
      const calls = () => teams.calls.filter((call) => !["openid", "keys"].includes(call.route)).length;
      const before = calls();
      const sent = teams.activities.length;
      const refusals: [string, Record<string, unknown>, string | null][] = [
        ["missing_token", teamsMessage(teams.serviceUrl, "task help"), null],
        ["wrong_audience", teamsMessage(teams.serviceUrl, "task help"), teams.authorization({ claims: { aud: "00000000-0000-4000-8000-000000000bad" } })],
        // A token for the emulator's serviceUrl on a body naming another: the bot would call the body's.
        ["service_url_mismatch", teamsMessage(`${trap.origin}/`, "task help"), teams.authorization()],
        ["missing_token", teamsInvoke(teams.serviceUrl, "composeExtension/fetchTask", { commandId: "remindProcess", commandContext: "message", messagePayload: messagePayload("<p>hi</p>", threadRoot()) }, { conversation: channel }), null],
      ];
      for (const [reason, activity, authorization] of refusals) {
        const answer = await sendTeams(activity, { authorization });
        expect([reason, answer.status, answer.text]).toEqual([reason, 401, "Unauthorized"]);
        await waitFor(() => logLinesWith(`"outcome":"${reason}"`).length > 0, `the ${reason} log line`);
      }
      // No token asked for, no connector call, nothing said; the trap never called.
      expect(calls()).toBe(before);
      expect(teams.activities.length).toBe(sent);
      expect(trap.requests).toEqual([]);
    });

    it("answers, and never calls, a serviceUrl neither Microsoft's nor in TEAMS_SERVICE_URL_ALLOW, even with a valid token for it", async () => {
      const { teams, sendTeams } = stack();
      const serviceUrl = `${trap.origin}/`;
      const calls = () => teams.calls.filter((call) => !["openid", "keys"].includes(call.route)).length;
      const before = calls();
      const message = teamsMessage(serviceUrl, "task help");
      const answer = await sendTeams(message, { authorization: teams.authorization({ serviceUrl }) });
      expect(answer.status).toBe(200);
      await waitFor(() => logLinesWith('"outcome":"service_url_not_allowed"').length > 0, "the refusal's log line");
      const invoke = await sendTeams(teamsInvoke(serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "task_status_start", data: { value: "00000000-0000-4000-8000-000000000000" } } }), { authorization: teams.authorization({ serviceUrl }) });
      // An invoke is still answered with a body, and nothing is done.
      expect([invoke.status, invoke.text !== ""]).toEqual([200, true]);
      expect(calls()).toBe(before);
      expect(trap.requests).toEqual([]);
    });
  });

  it("the weekly review, run as netlify dev runs a schedule, posts once in TEAMS_REVIEW_CONVERSATION_ID, through the reference kept when the bot was added there", async () => {
    const { teams, runSchedule, teamsReviewAdded } = stack();
    // The bot was added to the review channel's team when the stack started: Teams' conversationUpdate, its reference kept.
    expect([teamsReviewAdded.status, teamsReviewAdded.text]).toEqual([200, ""]);
    const runs = () => logLinesWith('"event":"request"', '"callback_id":"weekly-review"').length;
    const before = runs();
    expect((await runSchedule("weekly-reminder")).status).toBe(200);
    await waitFor(() => runs() > before, "the run's log line");
    // Once, whichever flow ran the week's review first.
    const reviews = teams.activities.filter((sent) => sent.conversationId === TEAMS_REVIEW_CONVERSATION);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.activity.summary).toMatch(/^Weekly review, week of /);
    expect(JSON.stringify(reviews[0]!.activity)).not.toContain("<at>");
  });

  it("over the whole flow, the functions called nothing but the emulator's OpenID configuration, keys, token endpoint and connector (and Notion)", () => {
    const { teams } = stack();
    expect(teams.calls.filter((call) => call.route === "unknown")).toEqual([]);
    // The token only from TEAMS_TOKEN_URL, for the bot's own tenant.
    expect(new Set(teams.calls.filter((call) => call.route === "token").map((call) => call.path))).toEqual(new Set([`/${TEAMS_SEED.tenantId}/oauth2/v2.0/token`]));
    // The connector only in the conversations this flow spoke in: Alice's chat, the channel, 1:1 chats, the review's.
    const conversations = new Set(teams.activities.map((sent) => sent.conversationId));
    for (const conversation of conversations) expect([TEAMS_SEED.personal, TEAMS_SEED.channel, TEAMS_REVIEW_CONVERSATION].includes(conversation) || conversation.startsWith("a:1personal-"), conversation).toBe(true);
    expect(trap.requests).toEqual([]);
    // Notion only through its API's routes.
    expect(stack().notion.requests.slice(notionFrom).filter((request) => request.route === "unknown")).toEqual([]);
  });
});
