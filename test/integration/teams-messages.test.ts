/**
 * The real teams-messages handler over the Teams emulator (JWTs signed by a key its JWKS serves, a
 * token endpoint, a recording connector), the Notion emulator and the real Blobs server.
 */
import { afterEach, describe, expect, it } from "vitest";
import { teamsInvoke, teamsMessage, startTeamsHarness, type TeamsHarness } from "../../dev/teams-harness.js";
import { TEAMS_SEED } from "../../dev/teams-emulator.js";
import { signJwt, connectorClaims, teamsKeyPair } from "../../dev/teams-signed.js";
import type { IntentRoutes } from "../../src/routes.js";
import { intentRoutes } from "../../src/routes.js";
import { UNOFFERED_PRIORITY } from "../../src/tasks/task.js";
import { BOARD_TTL_MS } from "../../src/notion/read-board-snapshot.js";

let h: TeamsHarness;
afterEach(async () => h?.close());

const connectorCalls = () => h.teams.calls.filter((call) => !["openid", "keys", "token"].includes(call.route));

describe("POST /teams/messages: every refusal is a bare 401 and nothing else happens", () => {
  it("refuses a missing token, a foreign key, another audience, another issuer, an expired token and a serviceurl claim that is not the body's", async () => {
    h = await startTeamsHarness();
    const activity = teamsMessage(h.teams.serviceUrl, "task help");
    const stranger = teamsKeyPair("stranger");
    const claims = connectorClaims(TEAMS_SEED.appId, h.teams.serviceUrl, Date.now());
    const cases: [string, string | null][] = [
      ["missing_token", null],
      ["malformed_token", "Bearer not-a-jwt"],
      ["unknown_key", `Bearer ${signJwt(claims, stranger)}`],
      ["signature_mismatch", `Bearer ${signJwt(claims, { kid: h.teams.pair.kid, privateKey: stranger.privateKey })}`],
      ["wrong_audience", h.teams.authorization({ claims: { aud: "00000000-0000-4000-8000-000000000bad" } })],
      ["wrong_issuer", h.teams.authorization({ claims: { iss: "https://sts.windows.net/x/" } })],
      ["expired", h.teams.authorization({ claims: { exp: Math.floor(Date.now() / 1000) - 301 } })],
      ["service_url_mismatch", h.teams.authorization({ serviceUrl: "https://smba.trafficmanager.net/emea/" })],
      ["unsupported_algorithm", h.teams.authorization({ header: { alg: "RS512" } })],
    ];
    for (const [reason, authorization] of cases) {
      const answer = await h.send(activity, { authorization });
      expect([reason, answer.status, answer.text]).toEqual([reason, 401, "Unauthorized"]);
      expect(h.logs.at(-1), reason).toContain(`"outcome":"${reason}"`);
    }
    await h.settle();
    // Nothing was kept, claimed or said: only the keys were fetched (once, and once more for the unknown kid).
    expect(connectorCalls()).toEqual([]);
    expect(h.teams.calls.filter((call) => call.route === "token")).toEqual([]);
    expect((await h.store.list("")).keys).toEqual([]);
    expect(h.teams.calls.filter((call) => call.route === "keys").length).toBeLessThanOrEqual(2);
  });

  it("refuses a body changed after the token was issued for another serviceUrl: the bot never calls the body's", async () => {
    h = await startTeamsHarness();
    const evil = "https://evil.example/";
    const answer = await h.send(teamsMessage(evil, "task help"), { authorization: h.teams.authorization({ serviceUrl: h.teams.serviceUrl }) });
    expect(answer.status).toBe(401);
  });
});

describe("the outbound rule", () => {
  it("never calls a serviceUrl that is neither Microsoft's nor allowed, even with a valid token for it", async () => {
    h = await startTeamsHarness({ env: { TEAMS_SERVICE_URL_ALLOW: "" } });
    const seen: string[] = [];
    const answer = await h.send(teamsMessage(h.teams.serviceUrl, "task help"));
    await h.settle();
    expect(answer.status).toBe(200);
    expect(h.logs.at(-1)).toContain('"outcome":"service_url_not_allowed"');
    expect(connectorCalls()).toEqual(seen);
    expect(h.teams.calls.filter((call) => call.route === "token")).toEqual([]);
  });
});

describe("task help and task list, end to end", () => {
  it("answers `task help` in Alice's personal chat with a card, through the connector with a client-credentials token", async () => {
    h = await startTeamsHarness();
    const answer = await h.send(teamsMessage(h.teams.serviceUrl, "task help"));
    await h.settle();
    expect([answer.status, answer.text]).toEqual([200, ""]);
    const sent = h.teams.activities.at(-1);
    expect(sent?.conversationId).toBe(TEAMS_SEED.personal);
    const card = (sent?.activity.attachments as { contentType: string; content: { body: { text?: string }[] } }[])[0];
    expect(card?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(JSON.stringify(card?.content.body)).toContain("task");
    expect(h.teams.calls.filter((call) => call.route === "token")).toHaveLength(1);
  });

  it("answers `task list` with nothing open naming the task message, not /task", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task list"));
    await h.settle();
    const text = JSON.stringify(h.teams.activities.at(-1)?.activity);
    expect(text).toContain("You have no open tasks");
    expect(text).toContain("`task`");
    expect(text).not.toContain("/task");
  });

  it("answers `@chatops task list` in a channel privately, in a 1:1 chat, listing Alice's open tasks", async () => {
    h = await startTeamsHarness();
    h.notion.addPage(h.board.dataSourceId, {
      Name: { title: [{ text: { content: "Fix login on Safari" } }] },
      Status: { status: { name: "Not started" } },
      "Requested by": { rich_text: [{ text: { content: `Alice Example (teams:${TEAMS_SEED.alice.id})` } }] },
    });
    const answer = await h.send(teamsMessage(h.teams.serviceUrl, "<at>chatops</at> task list", { conversation: { id: `${TEAMS_SEED.channel};messageid=1700000000001`, conversationType: "channel" } }));
    await h.settle();
    expect(answer.status).toBe(200);
    expect(h.teams.calls.find((call) => call.route === "create_conversation")?.body).toMatchObject({ members: [{ id: TEAMS_SEED.alice.id }], tenantId: TEAMS_SEED.tenantId });
    const sent = h.teams.activities.at(-1);
    expect(sent?.conversationId).toMatch(/^a:1personal-/);
    expect(JSON.stringify(sent?.activity)).toContain("Fix login on Safari");
    // Nothing went to the channel.
    expect(h.teams.activities.filter((entry) => entry.conversationId.startsWith("19:"))).toEqual([]);
    // The channel's reference is kept for what the bot says there later.
    expect((await h.store.list("teams/conversations/")).keys).toEqual([`teams/conversations/${encodeURIComponent(TEAMS_SEED.channel)}`]);
  });

  it("does nothing twice for an activity delivered twice", async () => {
    h = await startTeamsHarness();
    const activity = teamsMessage(h.teams.serviceUrl, "task help");
    await h.send(activity);
    await h.settle();
    await h.send(activity);
    await h.settle();
    expect(h.teams.activities).toHaveLength(1);
    expect(h.logs.at(-1)).toContain('"outcome":"duplicate"');
  });

  it("answers two messages that share an id in two conversations: a channel message's id is its time in ms, unique only within its conversation", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task help", { id: "1700000000777" }));
    await h.send(teamsMessage(h.teams.serviceUrl, "<at>chatops</at> task help", { id: "1700000000777", conversation: { id: `${TEAMS_SEED.channel};messageid=1700000000777`, conversationType: "channel" } }));
    await h.settle();
    expect(h.logs.filter((line) => line.includes('"outcome":"duplicate"'))).toEqual([]);
    expect(h.teams.activities).toHaveLength(2);
  });

  it("masks what was typed, and never logs the token or the password", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task help secret-words-here"));
    await h.settle();
    const logs = h.logs.join("\n");
    expect(logs).not.toContain("secret-words-here");
    expect(logs).not.toContain(TEAMS_SEED.appPassword);
    expect(logs).not.toContain("emulated-connector-token");
  });
});

describe("a button's value in the log", () => {
  it("is masked in every line of the request unless it is an id, as on Slack, Discord and Mattermost (the reminder's button carries an excerpt of a message)", async () => {
    const excerpt = '{"v":2,"x":"the payroll password is hunter2"}';
    h = await startTeamsHarness({
      routes: { ...intentRoutes, button: { create_task_from_reminder: async (intent) => Promise.reject(new Error(`cannot read ${intent.value}`)) } },
    });
    await h.send(teamsInvoke(h.teams.serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "create_task_from_reminder", data: { value: excerpt } }, trigger: "manual" }, { replyToId: "1700000000556" }));
    await h.settle();
    const logs = h.logs.join("\n");
    expect(logs).toContain("cannot read [typed text]");
    expect(logs).not.toContain("hunter2");
  });
});

describe("invokes are always answered with a body", () => {
  const routes = (button: IntentRoutes["button"]): IntentRoutes => ({ ...intentRoutes, button });

  it("answers an Action.Execute with the refreshed card, and a second delivery of it with a non-empty answer that changes nothing", async () => {
    let runs = 0;
    h = await startTeamsHarness({
      routes: routes({
        task_status_start: async (intent, ctx) => {
          runs += 1;
          await ctx.reply.updateSource({ summary: ["Started"], blocks: [{ kind: "text", text: [`Started by ${intent.person.displayName}: ${intent.value}`] }] });
        },
      }),
    });
    const invoke = teamsInvoke(h.teams.serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "task_status_start", data: { value: "page-1" } }, trigger: "manual" }, { replyToId: "1700000000555" });
    const first = await h.send(invoke);
    await h.settle();
    expect(first.json).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: { type: "AdaptiveCard", body: [{ text: "Started by Alice Example: page\\-1" }] } });
    const again = await h.send(invoke);
    await h.settle();
    expect(again.text).not.toBe("");
    expect(again.json).toMatchObject({ statusCode: 200 });
    expect(runs).toBe(1);
  });

  it("answers an invoke it has no route for, and an unknown message extension command, with a body", async () => {
    h = await startTeamsHarness();
    const unknown = await h.send(teamsInvoke(h.teams.serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "no_such_action", data: {} } }));
    await h.settle();
    expect(unknown.status).toBe(200);
    expect(unknown.json).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message", value: "This isn't handled by the bot any more." });
    const command = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "somethingElse", commandContext: "message" }));
    expect(command.status).toBe(200);
    expect(command.text).not.toBe("");
  });
});

/** The Adaptive Card of the activity the bot sent last, and its Action.Submit's data. */
function lastCard(): { body: Record<string, unknown>[]; actions?: { type: string; title: string; data: Record<string, unknown> }[]; msteams?: { entities?: unknown[] } } {
  const attachments = h.teams.activities.at(-1)?.activity.attachments as { content: ReturnType<typeof lastCard> }[];
  return attachments[0]!.content;
}

describe("task <title>: the form as a dialog, saved once", () => {
  it("answers `task Fix login` with a button that opens the form; the dialog has Title prefilled, Description, Priority with the board's options, Due as a date, and Create task", async () => {
    h = await startTeamsHarness();
    const asked = teamsMessage(h.teams.serviceUrl, "task Fix login");
    await h.send(asked);
    await h.settle();
    const opener = lastCard().actions?.[0];
    expect(opener).toMatchObject({ type: "Action.Submit", data: { msteams: { type: "task/fetch" } } });
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: opener!.data, context: { theme: "default" } }));
    const dialog = (fetched.json as { task: { type: string; value: { card: { content: { body: Record<string, unknown>[]; actions: { title: string; data: Record<string, unknown> }[] } } } } }).task;
    expect(dialog.type).toBe("continue");
    const inputs = dialog.value.card.content.body.filter((element) => String(element.type).startsWith("Input."));
    expect(inputs.map((input) => [input.type, input.label])).toEqual([
      ["Input.Text", "Title"],
      ["Input.Text", "Description"],
      ["Input.ChoiceSet", "Priority"],
      ["Input.Date", "Due date"],
    ]);
    expect(inputs[0]?.value).toBe("Fix login");
    expect((inputs[2]?.choices as { title: string }[]).map((choice) => choice.title)).toEqual(["High", "Medium", "Low"]);
    const submit = dialog.value.card.content.actions[0]!;
    expect(submit.title).toBe("Create task");

    // The person fills it in and sends it, and Teams sends it again (no answer seen in time): one page.
    const data = { ...submit.data, title: "Fix login", description: "On Safari", priority: "High", due: "2030-01-15" };
    const first = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data }));
    await h.settle();
    const second = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data }));
    await h.settle();
    expect([first.status, first.text === "", second.status, second.text === ""]).toEqual([200, false, 200, false]);
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(pages[0]?.properties)).toContain(`Alice Example (teams:${TEAMS_SEED.alice.id})`);
    // The submit's data comes back through the client: Bob sending Alice's form data is his own form, not told of her page.
    const bobs = await h.send({ ...teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...data, title: "Bob's own" } }), from: { id: TEAMS_SEED.bob.id, name: TEAMS_SEED.bob.name } });
    await h.settle();
    expect(bobs.status).toBe(200);
    expect(h.notion.pages(h.board.dataSourceId)).toHaveLength(2);
    expect(JSON.stringify(h.teams.activities.map((entry) => entry.activity).filter((activity) => JSON.stringify(activity).includes("Bob's own")))).not.toContain(pages[0]!.url);
    // The confirmation, in Alice's chat with the bot, carries the page's link.
    expect(JSON.stringify(h.teams.activities.map((entry) => entry.activity))).toContain(pages[0]!.url);
  });
});

describe("the message extension's commands on a message", () => {
  const channel = { id: TEAMS_SEED.channel, conversationType: "channel" };
  const messagePayload = (text: string) => ({
    id: "1700000000777",
    replyToId: "1700000000700",
    messageType: "message",
    createdDateTime: "2026-12-06T10:00:00.000Z",
    from: { user: { id: TEAMS_SEED.bob.aadObjectId, displayName: "Bob Example", userIdentityType: "aadUser" } },
    body: { contentType: "html", content: text },
    linkToMessage: "https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/1700000000777?tenantId=t&parentMessageId=1700000000700",
  });

  it("remindProcess replies in the message's thread mentioning its author, and only them", async () => {
    h = await startTeamsHarness();
    const answer = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "remindProcess", commandContext: "message", messagePayload: messagePayload("<p>Can someone fix the <b>login</b>? <at>Carol</at></p>") }, { conversation: channel }));
    await h.settle();
    expect(answer.status).toBe(200);
    expect(answer.text).not.toBe("");
    const reply = h.teams.activities.find((entry) => entry.replyTo === "1700000000700");
    expect(reply?.conversationId).toBe(TEAMS_SEED.channel);
    const card = (reply?.activity.attachments as { content: { body: unknown[]; msteams: { entities: unknown[] } } }[])[0]!.content;
    expect(card.msteams.entities).toEqual([{ type: "mention", text: "<at>Bob Example</at>", mentioned: { id: TEAMS_SEED.bob.aadObjectId, name: "Bob Example" } }]);
    // The notification names him too, not by his id.
    expect(reply?.activity.summary).toMatch(/^Hi @Bob Example /);
    // Teams has no slash command for a bot: the nudge names the task message.
    expect(JSON.stringify(card.body)).toContain("`task`");
    expect(JSON.stringify(card.body)).not.toContain("/task");
    // One mention in the text, the entity's; the <at> in the quoted message is no mention.
    expect(JSON.stringify(card.body).match(/<at>/g)).toHaveLength(1);
  });

  it("remindProcess's notification text names the author as the card does, not by their id", async () => {
    h = await startTeamsHarness();
    await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "remindProcess", commandContext: "message", messagePayload: messagePayload("<p>Can someone fix the login?</p>") }, { conversation: channel }));
    await h.settle();
    const reply = h.teams.activities.find((entry) => entry.replyTo === "1700000000700");
    expect(reply?.activity.summary).toMatch(/^Hi @Bob Example 👋 /);
    expect(String(reply?.activity.summary)).not.toContain(TEAMS_SEED.bob.aadObjectId);
  });

  it("remindProcess used again on the same message tells the person so in a card that shows it (a text-only card is its summary, as on Discord and Mattermost)", async () => {
    h = await startTeamsHarness();
    for (let click = 0; click < 2; click++) {
      await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "remindProcess", commandContext: "message", messagePayload: messagePayload("<p>Can someone fix the login?</p>") }, { conversation: channel }));
      await h.settle();
    }
    expect(h.teams.activities.filter((entry) => entry.replyTo === "1700000000700")).toHaveLength(1);
    const told = h.teams.activities.at(-1)!;
    expect(told.conversationId).toMatch(/^a:1personal-/);
    const card = (told.activity.attachments as { content: { body: { type: string; text: string }[] } }[])[0]!.content;
    expect(card.body.map((element) => [element.type, element.text])).toEqual([["TextBlock", expect.stringMatching(/^ℹ️ I already posted this reminder about “Can someone fix the login\?” less than a minute ago/)]]);
  });

  it("createTask opens the form prefilled from the message, and submitAction saves it once with the message's link", async () => {
    h = await startTeamsHarness();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "createTask", commandContext: "message", messagePayload: messagePayload("<p>Fix the login &amp; the signup</p>") }, { conversation: channel }));
    const dialog = (fetched.json as { task: { type: string; value: { card: { content: { body: Record<string, unknown>[]; actions: { data: Record<string, unknown> }[] } } } } }).task;
    expect(dialog.type).toBe("continue");
    const body = JSON.stringify(dialog.value.card.content.body);
    expect(body).toContain("Fix the login & the signup");
    const data = { ...dialog.value.card.content.actions[0]!.data, title: "Fix the login", description: "From the thread", priority: "", due: "" };
    const submitted = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/submitAction", { commandId: "createTask", commandContext: "message", data }, { conversation: channel }));
    await h.settle();
    await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/submitAction", { commandId: "createTask", commandContext: "message", data }, { conversation: channel }));
    await h.settle();
    expect(submitted.text).not.toBe("");
    const pages = h.notion.pages(h.board.dataSourceId);
    expect(pages).toHaveLength(1);
    expect(JSON.stringify(pages[0]?.properties)).toContain("https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/1700000000777");
  });
});

describe("the status buttons", () => {
  it("Start on the confirmation moves the task in Notion and answers with the refreshed card; the same click again moves nothing twice", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login" } }));
    await h.settle();
    const confirmation = h.teams.activities.at(-1)!;
    const start = JSON.stringify(confirmation.activity).includes('"verb":"task_status_start"') ? JSON.parse(JSON.stringify(confirmation.activity).match(/\{"type":"Action\.Execute","title":"Start","verb":"task_status_start","data":(\{[^}]*\})/)![1]!) : undefined;
    expect(start).toBeDefined();
    const click = teamsInvoke(h.teams.serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "task_status_start", data: start }, trigger: "manual" }, { replyToId: confirmation.id });
    const answer = await h.send(click);
    await h.settle();
    expect(answer.json).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: { type: "AdaptiveCard" } });
    // The status line names the presser as Teams showed them with the click, not by their 29:… id.
    expect(JSON.stringify(answer.json)).toContain("moved by @Alice Example");
    expect(JSON.stringify(answer.json)).not.toContain(TEAMS_SEED.alice.id);
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    expect(JSON.stringify(page.properties.Status)).toContain("In progress");
    // The invoke's answer redraws the card for Alice only: the message itself is updated for everyone else.
    const shared = h.teams.activities.find((entry) => entry.id === confirmation.id)!;
    expect(shared.updated).toBe(true);
    expect(JSON.stringify(shared.activity)).toContain("In progress");
    expect(JSON.stringify(shared.activity)).not.toContain('"verb":"task_status_start"');
    const again = await h.send(click);
    await h.settle();
    expect(again.text).not.toBe("");
    expect(h.logs.at(-1)).toContain('"outcome":"duplicate"');
  });
});

describe("the weekly review on Teams", () => {
  it("posts to TEAMS_REVIEW_CONVERSATION_ID through the reference kept when the bot was added to its team", async () => {
    h = await startTeamsHarness({ env: { TEAMS_REVIEW_CONVERSATION_ID: TEAMS_SEED.channel } });
    const added = { ...teamsMessage(h.teams.serviceUrl, "", { conversation: { id: TEAMS_SEED.channel, conversationType: "channel" } }), type: "conversationUpdate", text: undefined, membersAdded: [{ id: `28:${TEAMS_SEED.appId}` }] };
    expect((await h.send(added)).status).toBe(200);
    const run = await h.runSchedule("weekly-review");
    expect(run.status).toBe(200);
    const posted = h.teams.activities.filter((entry) => entry.conversationId === TEAMS_SEED.channel);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.activity)).toContain("AdaptiveCard");
  });

  it("posts to another channel of a team the bot was added to: Teams names the team by its General channel only, and a channel id is global (the tenant's serviceUrl reaches it)", async () => {
    const design = "19:design@thread.tacv2";
    h = await startTeamsHarness({ env: { TEAMS_REVIEW_CONVERSATION_ID: design } });
    // The conversationUpdate as Teams sends it for a team: the General channel's id (the team's), the tenant in channelData only.
    const added = {
      ...teamsMessage(h.teams.serviceUrl, ""),
      type: "conversationUpdate",
      text: undefined,
      membersAdded: [{ id: `28:${TEAMS_SEED.appId}` }],
      conversation: { id: TEAMS_SEED.channel, conversationType: "channel", isGroup: true },
      channelData: { team: { id: TEAMS_SEED.channel }, eventType: "teamMemberAdded", tenant: { id: TEAMS_SEED.tenantId } },
    };
    expect((await h.send(added)).status).toBe(200);
    const run = await h.runSchedule("weekly-review");
    expect(run.status).toBe(200);
    expect(h.teams.activities.filter((entry) => entry.conversationId === design)).toHaveLength(1);
  });

  it("fails naming the setting and what to do when no reference is kept yet, and a malformed setting by its name", async () => {
    h = await startTeamsHarness({ env: { TEAMS_REVIEW_CONVERSATION_ID: TEAMS_SEED.channel } });
    const run = await h.runSchedule("weekly-review");
    expect(JSON.stringify(run.json)).toContain("TEAMS_REVIEW_CONVERSATION_ID");
    expect(JSON.stringify(run.json)).toContain("add the bot to the channel's team");
    expect(connectorCalls()).toEqual([]);
    await h.close();
    h = await startTeamsHarness({ env: { TEAMS_REVIEW_CONVERSATION_ID: "19:has space" } });
    const malformed = await h.runSchedule("weekly-review");
    expect(JSON.stringify(malformed.json)).toContain("TEAMS_REVIEW_CONVERSATION_ID must be a Teams conversation id");
  });
});

describe("hearing back on Teams", () => {
  it("the requester hears in the chat the task came from when it moves (the hourly sync), once", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login" } }));
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    const before = h.teams.activities.length;
    await h.notion.setStatus(page.id, "Done");
    expect((await h.runSchedule("task-sync")).status).toBe(200);
    await h.settle();
    await h.runSchedule("task-sync");
    await h.settle();
    const told = h.teams.activities.slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]?.conversationId).toBe(TEAMS_SEED.personal);
    expect(JSON.stringify(told[0]?.activity)).toContain("Done");
  });
});

describe("hearing back on Teams, in a channel", () => {
  it("the reply in the message's thread mentions the requester by the name Teams gave when they asked, not 'you' or their id", async () => {
    h = await startTeamsHarness();
    const channel = { id: TEAMS_SEED.channel, conversationType: "channel" };
    const messagePayload = { id: "1700000000888", replyToId: "1700000000800", createdDateTime: "2023-11-14T22:13:20.888Z", from: { user: { id: TEAMS_SEED.bob.aadObjectId, displayName: TEAMS_SEED.bob.name } }, body: { contentType: "html", content: "<p>The login page is down</p>" }, linkToMessage: "https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/1700000000888" };
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "createTask", commandContext: "message", messagePayload }, { conversation: channel }));
    const data = { ...(fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!.data, title: "Fix the login page" };
    await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/submitAction", { commandId: "createTask", commandContext: "message", data }, { conversation: channel }));
    await h.settle();
    const page = h.notion.pages(h.board.dataSourceId)[0]!;
    const before = h.teams.activities.length;
    await h.notion.setStatus(page.id, "Done");
    expect((await h.runSchedule("task-sync")).status).toBe(200);
    await h.settle();
    const told = h.teams.activities.slice(before);
    expect(told).toHaveLength(1);
    const activity = JSON.stringify(told[0]?.activity);
    expect(activity).toContain(`<at>${TEAMS_SEED.alice.name}</at>`);
    expect(activity).not.toContain("<at>you</at>");
    const card = (told[0]?.activity.attachments as { content: { msteams: { entities: { mentioned: unknown }[] } } }[])[0]!.content;
    expect(card.msteams.entities.map((entity) => entity.mentioned)).toEqual([{ id: TEAMS_SEED.alice.id, name: TEAMS_SEED.alice.name }]);
  });
});

describe("a refused form on Teams", () => {
  it("comes back as the same dialog, what was typed kept and the error under its input, and saves nothing", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    const refused = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login", description: "kept text", due: "2001-01-01" } }));
    await h.settle();
    const dialog = (refused.json as { task: { type: string; value: { card: { content: { body: Record<string, unknown>[] } } } } }).task;
    expect(dialog.type).toBe("continue");
    const body = dialog.value.card.content.body;
    expect(body.find((element) => element.id === "description")?.value).toBe("kept text");
    const due = body.findIndex((element) => element.id === "due");
    expect(body.slice(due + 1).find((element) => element.color === "Attention")).toBeDefined();
    expect(h.notion.pages(h.board.dataSourceId)).toEqual([]);
  });
});

describe("a priority the board does not offer, on Teams", () => {
  it("task/submit with a forged Input.ChoiceSet value comes back as the same dialog with the error under Priority, and saves nothing; so does the message extension's submitAction", async () => {
    // A TextBlock is markdown: the message's full stops come escaped.
    const escaped = UNOFFERED_PRIORITY.replaceAll(".", "\\.");
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    const refused = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login", description: "kept text", priority: "Urgent" } }));
    await h.settle();
    const dialog = (refused.json as { task: { type: string; value: { card: { content: { body: Record<string, unknown>[] } } } } }).task;
    expect(dialog.type).toBe("continue");
    const body = dialog.value.card.content.body;
    expect(body.find((element) => element.id === "description")?.value).toBe("kept text");
    const priority = body.findIndex((element) => element.id === "priority");
    expect(body.slice(priority + 1).find((element) => element.color === "Attention")).toMatchObject({ text: expect.stringContaining(escaped) });

    const extension = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/fetchTask", { commandId: "createTask", commandContext: "message", messagePayload: { id: "1700000000778", messageType: "message", body: { contentType: "html", content: "<p>Fix the signup</p>" } } }, { conversation: { id: TEAMS_SEED.channel, conversationType: "channel" } }));
    const data = { ...(extension.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!.data, title: "Fix the signup", priority: "Urgent" };
    const again = await h.send(teamsInvoke(h.teams.serviceUrl, "composeExtension/submitAction", { commandId: "createTask", commandContext: "message", data }, { conversation: { id: TEAMS_SEED.channel, conversationType: "channel" } }));
    await h.settle();
    expect(JSON.stringify(again.json)).toContain(JSON.stringify(escaped).slice(1, -1));
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
    expect(h.notion.pages(h.board.dataSourceId)).toEqual([]);
  });

  it("an option removed from the board while the dialog was open is refused the same way once the bot reads the schema again (10 minutes at most), and the dialog comes back offering the board's options as they are now", async () => {
    let later = 0;
    h = await startTeamsHarness({ now: () => Date.now() + later });
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    expect(h.notion.removeOption(h.board.dataSourceId, "Priority", "Low")).toBe(true);
    // The instance read the board for the dialog: its copy of the schema is kept BOARD_TTL_MS.
    later = BOARD_TTL_MS + 1;
    const refused = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login", priority: "Low" } }));
    await h.settle();
    const body = (refused.json as { task: { value: { card: { content: { body: Record<string, unknown>[] } } } } }).task.value.card.content.body;
    const priority = body.findIndex((element) => element.id === "priority");
    expect((body[priority]?.choices as { value: string }[]).map((choice) => choice.value)).toEqual(["High", "Medium"]);
    expect(String(body.slice(priority + 1).find((element) => element.color === "Attention")?.text)).toContain("That priority is not one the board offers now");
    expect(h.notion.pages(h.board.dataSourceId)).toEqual([]);
  });
});

describe("the bench's promise: the Bot Framework's keys are fetched once per instance", () => {
  const keyFetches = () => ({ openid: h.teams.calls.filter((call) => call.route === "openid").length, keys: h.teams.calls.filter((call) => call.route === "keys").length });

  it("a cold instance fetches the OpenID configuration and the JWKS at most once each; a warm one answers task help with neither", async () => {
    h = await startTeamsHarness();
    // Cold: the first activity verifies a JWT, and two at once share one fetch.
    await Promise.all([h.send(teamsMessage(h.teams.serviceUrl, "task help")), h.send(teamsMessage(h.teams.serviceUrl, "task help"))]);
    await h.settle();
    const cold = keyFetches();
    expect(cold).toEqual({ openid: 1, keys: 1 });
    // Warm: nothing on the acknowledgement's road goes to the keys again.
    for (let i = 0; i < 3; i++) {
      const answer = await h.send(teamsMessage(h.teams.serviceUrl, "task help"));
      expect(answer.status).toBe(200);
    }
    await h.settle();
    expect(keyFetches()).toEqual(cold);
    expect(h.teams.activities).toHaveLength(5);
    // A new instance (Netlify's next cold start) fetches them once more, and only once.
    h.coldStart();
    await h.send(teamsMessage(h.teams.serviceUrl, "task help"));
    await h.send(teamsMessage(h.teams.serviceUrl, "task help"));
    expect(keyFetches()).toEqual({ openid: 2, keys: 2 });
  });
});

describe("a save that fails after the dialog closed", () => {
  it("sends back everything typed as a card Teams draws (not an empty one), naming the task message, not /task", async () => {
    h = await startTeamsHarness();
    await h.send(teamsMessage(h.teams.serviceUrl, "task Fix login"));
    await h.settle();
    const fetched = await h.send(teamsInvoke(h.teams.serviceUrl, "task/fetch", { data: lastCard().actions![0]!.data }));
    const submit = (fetched.json as { task: { value: { card: { content: { actions: { data: Record<string, unknown> }[] } } } } }).task.value.card.content.actions[0]!;
    // The look for an earlier save is held past the deadline (the dialog is answered meanwhile); then every call fails.
    const reads = ["databases.retrieve", "dataSources.retrieve", "dataSources.query", "blocks.children.list"] as const;
    for (const route of reads) h.notion.fail(route, { kind: "delay" });
    for (const route of [...reads, "pages.create"] as const) h.notion.fail(route, { kind: "error", status: 500, code: "internal_server_error" }, { times: Infinity });
    const answer = await h.send(teamsInvoke(h.teams.serviceUrl, "task/submit", { data: { ...submit.data, title: "Fix login", description: "Only on Safari 17" } }));
    expect(answer.text).not.toBe("");
    expect(h.notion.releaseHeld()).toBeGreaterThan(0);
    await h.settle();
    const body = JSON.stringify(lastCard().body);
    expect(body).toContain("Only on Safari 17");
    expect(body).toContain("`task`");
    expect(body).not.toContain("/task");
    expect(h.notion.pages(h.board.dataSourceId)).toEqual([]);
  });
});
