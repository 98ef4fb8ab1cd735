import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../../dev/slack-emulator.js";
import type { Card } from "../../../src/chat/card.js";
import type { Form } from "../../../src/chat/form.js";
import type { FormNotice } from "../../../src/chat/reply.js";
import { createLogger } from "../../../src/log.js";
import { createSlackApi } from "../../../src/platforms/slack/client.js";
import { renderSlackCard, renderSlackForm, renderSlackNotice } from "../../../src/platforms/slack/render-card.js";
import { answerRoadsIn, createSlackReply, withAnswerRoads, type SlackInteraction } from "../../../src/platforms/slack/reply.js";

// Each Reply method before the route returns (what goes into Slack's HTTP response) and after it
// (what goes through the Web API or the response_url), against the emulator.

const TOKEN = "xoxb-reply-test";
const TIMEOUT_MS = 10_000;
const card: Card = { summary: ["Your open tasks (1)"], blocks: [{ kind: "text", text: [{ bold: "Your open tasks (1)" }] }] };
const form: Form = {
  id: "task_modal",
  title: "New task",
  submitLabel: "Create",
  closeLabel: "Cancel",
  inputs: [{ id: "title", kind: "text", label: "Title", maxLength: 200 }],
  context: { channelId: SLACK_SEED.general },
};
const notice: FormNotice = { title: "New task", closeLabel: "Close", card: { summary: ["Saving"], blocks: [{ kind: "text", text: [{ emoji: "hourglass_flowing_sand" }, " Saving ", { bold: "Fix login" }] }] } };

let emu: SlackEmulator;
let logs: Record<string, unknown>[];

function replyFor(interaction: Omit<SlackInteraction, "userId"> & { userId?: string }) {
  const slack = createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl, timeoutMs: TIMEOUT_MS });
  const log = createLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>));
  return createSlackReply({ userId: SLACK_SEED.alice, ...interaction }, { slack, log, deadline: { at: Date.now() + TIMEOUT_MS, remainingMs: () => TIMEOUT_MS } });
}

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  return text === "" ? undefined : JSON.parse(text);
}

beforeAll(async () => {
  emu = await startSlackEmulator({ token: TOKEN });
});
afterEach(() => {
  emu.reset();
  logs = [];
});
afterAll(() => emu.close());
logs = [];

describe("createSlackReply", () => {
  it("answers with an empty 200 when the route said nothing", async () => {
    const response = replyFor({ kind: "command" }).response();
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toBeUndefined();
  });

  it("tells the person who typed a command in its response, ephemeral; a second answer goes by the response_url", async () => {
    const reply = replyFor({ kind: "command", responseUrl: emu.responseUrl() });
    await reply.tellPrivately(card);
    await reply.tellPrivately({ summary: ["And this"], blocks: [] });
    expect(await bodyOf(reply.response())).toEqual({ response_type: "ephemeral", ...renderSlackCard(card) });
    expect(emu.responses.map((answer) => answer.body)).toEqual([{ response_type: "ephemeral", replace_original: false, text: "And this" }]);
  });

  it("tells privately after the response by the response_url, else ephemeral, else a DM; a DM first when asked", async () => {
    const reply = replyFor({ kind: "command", responseUrl: emu.responseUrl(), channelId: SLACK_SEED.general });
    expect(await bodyOf(reply.response())).toBeUndefined();
    await reply.tellPrivately(card);
    expect(emu.responses).toHaveLength(1);
    emu.fail("response_url", { kind: "http", status: 404 });
    await reply.tellPrivately(card);
    expect(emu.messages.map((message) => message.kind)).toEqual(["ephemeral"]);
    await reply.tellPrivately(card, { prefer: "dm" });
    expect(emu.messages.at(-1)).toMatchObject({ kind: "message", channel: expect.stringMatching(/^D/) });
  });

  it("a shortcut's or a button's answer is never its response body: Slack shows it to no one", async () => {
    const reply = replyFor({ kind: "message_action", responseUrl: emu.responseUrl(), channelId: SLACK_SEED.general });
    await reply.tellPrivately(card);
    expect(await bodyOf(reply.response())).toBeUndefined();
    expect(emu.responses).toHaveLength(1);
  });

  it("rejects with a ChatError when every road failed", async () => {
    const reply = replyFor({ kind: "block_actions", channelId: SLACK_SEED.secret });
    reply.response();
    emu.fail("chat.postMessage", { kind: "error", error: "cannot_dm_bot" });
    await expect(reply.tellPrivately(card)).rejects.toMatchObject({ name: "ChatError", code: "cannot_message_user", platformCode: "cannot_dm_bot" });
    // The ephemeral was tried first, in the private channel the bot is not in.
    expect(emu.callsTo("chat.postEphemeral")).toHaveLength(1);
  });

  it("opens a form with the trigger_id, and redraws it in order", async () => {
    const reply = replyFor({ kind: "command", triggerId: emu.triggerId(SLACK_SEED.alice) });
    const opened = await reply.openForm(form);
    expect(emu.views).toHaveLength(1);
    expect(emu.callsTo("views.open")[0]!.args.view).toEqual(renderSlackForm(form));
    await Promise.all([opened.update({ ...form, title: "Second" }), opened.update({ ...form, title: "Third" })]);
    expect(emu.callsTo("views.update").map((call) => (call.args.view as { title: { text: string } }).title.text)).toEqual(["Second", "Third"]);
    expect(await bodyOf(reply.response())).toBeUndefined();
  });

  it("keeps where the person asked (the channel, the response_url) in the form it opens, for its submission to answer there", async () => {
    const responseUrl = emu.responseUrl();
    const reply = replyFor({ kind: "command", triggerId: emu.triggerId(SLACK_SEED.alice), responseUrl, channelId: SLACK_SEED.general });
    const opened = await reply.openForm({ ...form, context: { asked: "slack:T1:C1" } });
    await opened.update({ ...form, title: "Later", context: { asked: "slack:T1:C1" } });
    const views = [emu.callsTo("views.open")[0]!, emu.callsTo("views.update")[0]!].map((call) => call.args.view as { private_metadata: string });
    for (const view of views) {
      const context = JSON.parse(view.private_metadata) as Record<string, string>;
      expect(context).toEqual({ asked: "slack:T1:C1", channelId: SLACK_SEED.general, responseUrl });
      expect(answerRoadsIn(context)).toEqual({ channelId: SLACK_SEED.general, responseUrl });
    }
  });

  it("leaves the response_url, then the channel, out of a form whose own context leaves no room in private_metadata's 3,000 characters", () => {
    const roads = { channelId: SLACK_SEED.general, responseUrl: `https://hooks.slack.com/actions/T1/1/${"x".repeat(60)}` };
    const room = (used: number) => ({ ...form, context: { note: "n".repeat(3_000 - used) } });
    expect(withAnswerRoads(room(200), roads).context).toMatchObject(roads);
    expect(withAnswerRoads(room(60), roads).context).toEqual({ note: "n".repeat(2_940), channelId: SLACK_SEED.general });
    expect(withAnswerRoads(room(20), roads).context).toEqual({ note: "n".repeat(2_980) });
    // A submission whose context has none (a Home tab's form) answers by DM.
    expect(answerRoadsIn({ asked: "slack:T1:C1", channelId: "" })).toEqual({ channelId: undefined, responseUrl: undefined });
  });

  it("an expired trigger_id rejects openForm with expired", async () => {
    const reply = replyFor({ kind: "command", triggerId: "never-issued" });
    emu.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    await expect(reply.openForm(form)).rejects.toMatchObject({ code: "expired", platformCode: "expired_trigger_id" });
  });

  it("refuses a submission with errors keyed by input id, in the response", async () => {
    const reply = replyFor({ kind: "view_submission", viewId: "V1" });
    await reply.refuseForm(form, { title: "Give the task a title." });
    expect(await bodyOf(reply.response())).toEqual({ response_action: "errors", errors: { title: "Give the task a title." } });
    // After the response there is no modal to show errors under.
    await expect(reply.refuseForm(form, { title: "Late" })).rejects.toMatchObject({ code: "expired" });
  });

  it("holds a submission with the notice in its place, and finishes it with views.update", async () => {
    const opened = await createSlackApi({ token: TOKEN, apiUrl: emu.apiUrl }).openView(emu.triggerId(SLACK_SEED.alice), renderSlackForm(form));
    const reply = replyFor({ kind: "view_submission", viewId: opened.id });
    const held = await reply.holdForm(notice);
    expect(await bodyOf(reply.response())).toEqual({ response_action: "update", view: renderSlackNotice(notice) });
    const done: FormNotice = { title: "Task created", closeLabel: "Done", card: { summary: ["Saved"], blocks: [{ kind: "text", text: ["Saved"] }] } };
    await held.finish(done);
    expect(emu.callsTo("views.update")[0]!.args).toMatchObject({ view_id: opened.id, view: renderSlackNotice(done) });
  });

  it("holds a submission after the response by views.update, and a finish on a gone view rejects not_found", async () => {
    const reply = replyFor({ kind: "view_submission", viewId: "V0GONE" });
    reply.response();
    await expect(reply.holdForm(notice)).rejects.toMatchObject({ code: "not_found", platformCode: "not_found" });
  });

  it("closes a submitted form with response_action clear", async () => {
    const reply = replyFor({ kind: "view_submission", viewId: "V1" });
    await reply.closeForm();
    expect(await bodyOf(reply.response())).toEqual({ response_action: "clear" });
  });

  it("refuses the form methods outside a submission", async () => {
    const reply = replyFor({ kind: "block_actions" });
    await expect(reply.closeForm()).rejects.toMatchObject({ code: "invalid_request" });
    await expect(reply.holdForm(notice)).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("redraws the message a button was on through its response_url, replacing it", async () => {
    const reply = replyFor({ kind: "block_actions", responseUrl: emu.responseUrl() });
    await reply.updateSource(card);
    expect(emu.responses.map((answer) => answer.body)).toEqual([{ replace_original: true, ...renderSlackCard(card) }]);
    await expect(replyFor({ kind: "block_actions" }).updateSource(card)).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("renderSlackNotice", () => {
  it("draws a notice as a modal with only a close button", () => {
    expect(renderSlackNotice(notice)).toEqual({
      type: "modal",
      title: { type: "plain_text", text: "New task", emoji: true },
      close: { type: "plain_text", text: "Close", emoji: true },
      blocks: [{ type: "section", text: { type: "mrkdwn", text: ":hourglass_flowing_sand: Saving *Fix login*" } }],
    });
  });
});
