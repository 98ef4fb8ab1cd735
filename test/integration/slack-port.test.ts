import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { readAnswer, signedRequest } from "../../dev/signed-request.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { blockActions, elementState, interactionBody, messageAction, slackMessage, slashCommandBody, viewSubmission } from "../../dev/slack-payloads.js";
import type { Card } from "../../src/chat/card.js";
import type { Form } from "../../src/chat/form.js";
import type { Intent } from "../../src/chat/intent.js";
import { encodePlace } from "../../src/chat/place.js";
import { createSlackCommandsHandler, createSlackInteractionsHandler, type Handler } from "../../src/handlers.js";
import { createSlackApi } from "../../src/platforms/slack/client.js";
import { renderSlackCard, renderSlackForm, renderSlackNotice } from "../../src/platforms/slack/render-card.js";
import type { IntentRoutes } from "../../src/routes.js";

// The road a Slack request takes onto the port, over the real handlers: parsed into an intent,
// routed by the port's table (a test's own here, as no feature has moved to every kind yet), and
// answered through the Reply, what the route said before it returned being the HTTP response.

let h: Harness;
let pending: Promise<unknown>[];
afterEach(() => h?.close());

const card: Card = { summary: ["Noted ", { bold: "<that>" }], blocks: [{ kind: "text", text: ["Noted ", { bold: "<that>" }] }] };
const form: Form = { id: "port_form", title: "Port form", submitLabel: "Save", inputs: [{ id: "title", kind: "text", label: "Title", maxLength: 100 }], context: { from: "test" } };

async function start(): Promise<void> {
  h = await startHarness();
  pending = [];
}

/** The handler built with `routes` as the port's table, on the harness's emulators and store. */
function handlerWith(create: typeof createSlackCommandsHandler | typeof createSlackInteractionsHandler, routes: Partial<IntentRoutes>): (body: string) => Promise<Awaited<ReturnType<typeof readAnswer>>> {
  const handler: Handler = create({ env: h.env, blobs: h.blobs.connection, sleep: async () => {}, logSink: (line) => h.logs.push(line) }, routes);
  return async (body) => readAnswer(await handler(signedRequest(body), { waitUntil: (promise) => void pending.push(promise) }));
}

describe("the Slack handlers on the port", () => {
  it("a command's route opens a form with the trigger_id and answers nothing; the typed text is never logged", async () => {
    await start();
    const seen: Intent[] = [];
    const command = handlerWith(createSlackCommandsHandler, {
      ask_for_task: async (intent, ctx) => {
        seen.push(intent);
        await ctx.reply.openForm({ ...form, inputs: [{ ...form.inputs[0]!, kind: "text", maxLength: 100, value: intent.text }] });
      },
    });
    const answer = await command(slashCommandBody({ text: "Fix &lt;secret&gt; login", triggerId: h.slack.triggerId(SLACK_SEED.alice) }));
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(seen).toMatchObject([{ kind: "ask_for_task", text: "Fix <secret> login", person: { userId: SLACK_SEED.alice, workspace: SLACK_SEED.teamId } }]);
    expect(h.slack.views.map((view) => view.view.callback_id)).toEqual(["port_form"]);
    expect(h.logs.join("\n")).not.toContain("secret");
    expect(h.logs.join("\n")).toMatch(/"callback_id":"\/task"/);
  });

  it("a command's route that tells privately before returning is the ephemeral response; a subcommand word of the port's table is logged as such", async () => {
    await start();
    const command = handlerWith(createSlackCommandsHandler, { subcommand: { ping: async (_intent, ctx) => ctx.reply.tellPrivately(card) } });
    const answer = await command(slashCommandBody({ text: "PING" }));
    expect(answer.json).toEqual({ response_type: "ephemeral", ...renderSlackCard(card) });
    expect(h.logs.join("\n")).toMatch(/"subcommand":"ping"/);
  });

  it("a shortcut's route answers by its response_url, the intent carrying the message", async () => {
    await start();
    const seen: Intent[] = [];
    const interact = handlerWith(createSlackInteractionsHandler, {
      message_shortcut: {
        port_shortcut: async (intent, ctx) => {
          seen.push(intent);
          await ctx.reply.tellPrivately(card);
        },
      },
    });
    const responseUrl = h.slack.responseUrl();
    const answer = await interact(interactionBody(messageAction({ callbackId: "port_shortcut", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl, message: slackMessage({ ts: "1700000000.000100" }) })));
    await Promise.all(pending);
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(seen).toMatchObject([{ kind: "message_shortcut", shortcut: "port_shortcut", message: { place: { conversation: SLACK_SEED.general, message: "1700000000.000100" }, author: { userId: SLACK_SEED.alice } } }]);
    expect(h.slack.responses).toEqual([expect.objectContaining({ url: responseUrl, body: { response_type: "ephemeral", replace_original: false, ...renderSlackCard(card) } })]);
    expect(h.logs.join("\n")).toMatch(/"callback_id":"port_shortcut"/);
  });

  it("a button's route redraws the message it was on through the response_url", async () => {
    await start();
    const interact = handlerWith(createSlackInteractionsHandler, { button: { port_button: async (intent, ctx) => ctx.reply.updateSource({ ...card, summary: [intent.value ?? ""] }) } });
    const responseUrl = h.slack.responseUrl();
    const answer = await interact(interactionBody(blockActions({ message: slackMessage(), action: { action_id: "port_button", value: "v1", block_id: "row" }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl })));
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(h.slack.responses.map((response) => response.body)).toEqual([{ replace_original: true, ...renderSlackCard({ ...card, summary: ["v1"] }) }]);
  });

  it("a form's route refuses it with errors under its input, or holds it with a notice and finishes it later", async () => {
    await start();
    const opened = await createSlackApi({ token: h.env.SLACK_BOT_TOKEN!, apiUrl: h.slack.apiUrl }).openView(h.slack.triggerId(SLACK_SEED.alice), renderSlackForm(form));
    const view = h.slack.views.find((each) => each.id === opened.id)!;
    const done = { title: "Saved", closeLabel: "Done", card };
    const interact = handlerWith(createSlackInteractionsHandler, {
      submit_form: {
        port_form: async (intent, ctx) => {
          if (!intent.values.title) return ctx.reply.refuseForm(form, { title: "Give it a title." });
          const held = await ctx.reply.holdForm({ title: "Saving", closeLabel: "Close", card });
          ctx.defer("finish", () => held.finish(done));
        },
      },
    });
    const refused = await interact(interactionBody(viewSubmission({ view, values: { title: { title_input: elementState.text("") } } })));
    expect(refused.json).toEqual({ response_action: "errors", errors: { title: "Give it a title." } });
    const held = await interact(interactionBody(viewSubmission({ view, values: { title: { title_input: elementState.text("Fix login") } } })));
    expect(held.json).toEqual({ response_action: "update", view: renderSlackNotice({ title: "Saving", closeLabel: "Close", card }) });
    await Promise.all(pending);
    expect(h.slack.callsTo("views.update").map((call) => call.args)).toEqual([expect.objectContaining({ view_id: opened.id, view: renderSlackNotice(done) })]);
    expect(h.logs.join("\n")).toMatch(/"callback_id":"port_form"/);
  });

  it("what a route that throws deferred still reaches the person, through the response_url", async () => {
    await start();
    const command = handlerWith(createSlackCommandsHandler, {
      subcommand: {
        boom: async (_intent, ctx) => {
          ctx.defer("answer later", () => ctx.reply.tellPrivately(card));
          throw new Error("the route failed");
        },
      },
    });
    const responseUrl = h.slack.responseUrl();
    const answer = await command(slashCommandBody({ text: "boom", responseUrl }));
    await Promise.all(pending);
    expect(answer.status).toBe(200);
    expect(h.slack.responses).toEqual([expect.objectContaining({ url: responseUrl, body: { response_type: "ephemeral", replace_original: false, ...renderSlackCard(card) } })]);
  });

  it("a payload whose ids no Slack id could be is unreadable, never a route's throw: its places could not be kept", async () => {
    await start();
    const routed: Intent[] = [];
    // What a feature that keeps where a request came from does (store/task-records.ts).
    const keep = async (intent: Intent): Promise<void> => {
      encodePlace(intent.kind === "button" ? intent.message! : intent.place!);
      routed.push(intent);
    };
    const command = handlerWith(createSlackCommandsHandler, { ask_for_task: keep });
    const answer = await command(slashCommandBody({}, { team_id: "T0 TEAM\u0000" }));
    expect(answer).toMatchObject({ status: 200, json: { response_type: "ephemeral", text: "Slack sent me a command I couldn't read. Please try again." } });
    const interact = handlerWith(createSlackInteractionsHandler, { button: { port_button: keep } });
    const responseUrl = h.slack.responseUrl();
    const clicked = await interact(interactionBody(blockActions({ message: slackMessage({ ts: "1700000000.000100\n" }), action: { action_id: "port_button" }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl })));
    await Promise.all(pending);
    expect(clicked.status).toBe(200);
    expect(routed).toEqual([]);
    expect(h.slack.responses.map((response) => response.url)).toEqual([responseUrl]);
    expect(h.logs.join("\n")).toMatch(/"outcome":"invalid_payload","problem":"an id holds a character no Slack id holds"/);
  });

  it("an interaction the port's table does not route goes to Slack's own tables, as before", async () => {
    await start();
    const interact = handlerWith(createSlackInteractionsHandler, {});
    const answer = await interact(interactionBody(blockActions({ message: slackMessage(), action: { action_id: "no_such_action" }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() })));
    expect(answer).toMatchObject({ status: 200, text: "" });
    expect(h.logs.join("\n")).toMatch(/"outcome":"unknown_action"/);
  });
});
