/**
 * The handler behind POST /slack/interactions (netlify/functions/slack-interactions.ts): every modal
 * submission, shortcut and button click, and how each is answered when it cannot be handled.
 */
import { blockActionRoutes, interactionIntentRoutes, intentRouteIn, messageActionRoutes, routeFor, viewSubmissionRoutes, type IntentRoutes } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { SLACK_PERSONAL_VIEWS } from "../platforms/slack/home/refresh-home.js";
import { serve, type Handler } from "../serve.js";
import { OUTSIDER, personOfInteraction } from "../platforms/slack/access.js";
import { parseInteraction, typedTextIn, type Interaction, type ViewSubmission } from "../platforms/slack/payloads.js";
import { answerPrivately, isRefusedUrl } from "../platforms/slack/answer-privately.js";
import { withSlack, type SlackContext } from "../platforms/slack/context.js";
import { SLACK_WIRING } from "../platforms/slack/wiring.js";
import { intentOfInteraction, unusableIntent } from "../platforms/slack/intents.js";
import { readSlackRequest } from "../platforms/slack/read-request.js";
import { answerRoadsIn, slackInteractionContext, type SlackInteraction } from "../platforms/slack/reply.js";
import type { Intent } from "../chat/intent.js";
import { acknowledge, replaceModalWithNotice, viewErrors } from "../platforms/slack/responses.js";
import { isOutsider } from "./is-outsider.js";

/** POST /slack/interactions: Slack sends every modal submission, shortcut and button click here; `routes` are the port's (tests pass their own). */
export function createSlackInteractionsHandler(options: RuntimeOptions = {}, routes: Partial<IntentRoutes> = interactionIntentRoutes): Handler {
  const runtime = createRuntime({ personalViews: SLACK_PERSONAL_VIEWS, ...options }, REQUIRED_VARIABLES.slack, SLACK_WIRING);
  return serve(runtime, { kind: "interaction" }, async (request, scope) => {
    const { line, typed } = scope;
    // 1. Read the raw body once and 2. verify the signature.
    // Slack's parts: always there, since this function requires Slack's variables.
    const slack = scope.load().slack!;
    let slackCtx: SlackContext | undefined;
    const context = () => (slackCtx ??= withSlack(scope.context(), slack));
    const read = await readSlackRequest(request, { signingSecret: slack.signingSecret!, nowMs: runtime.now() });
    if (!read.ok) {
      line.outcome = read.reason;
      return read.response;
    }
    // 3. Parse and 4. validate.
    const interaction = parseInteraction(read.form);
    line.kind = interaction.kind;
    if (interaction.kind === "invalid") {
      line.outcome = "invalid_payload";
      line.problem = interaction.problem;
      return answerUnreadable(context, interaction.type, interaction.responseUrl);
    }
    if (interaction.kind === "other") {
      line.outcome = "ignored";
      line.callback_id = interaction.type;
      return acknowledge();
    }
    const { payload } = interaction;
    typed.push(...typedTextIn(interaction));
    Object.assign(line, { team: payload.team?.id, user: payload.user.id, text_length: typed.reduce((sum, text) => sum + text.length, 0) });
    const ctx = context();
    if (isOutsider(slack.access, { workspaces: personOfInteraction(payload), appId: payload.api_app_id }, line)) {
      // Where Slack shows it: a modal keeps what was typed, with the refusal under its first input;
      // a shortcut's or a button's answer body is shown to no one, so it goes by the response_url.
      if (interaction.kind === "view_submission") return keepModalOpen(interaction.payload, OUTSIDER);
      const to = { userId: payload.user.id, responseUrl: interaction.payload.response_url, channelId: interaction.payload.channel?.id };
      ctx.defer("answer outsider", () => answerPrivately(ctx, to, { text: OUTSIDER }));
      return acknowledge();
    }
    // 5. Route, 6. acknowledge, 7. deferred work: the port's route when a feature on the port
    // answers the intent (routes.ts interactionIntentRoutes), else Slack's own tables below.
    line.callback_id = callbackIdOf(interaction);
    const intent = intentOfInteraction(interaction);
    const onPort = intentRouteIn(routes, intent);
    const unusable = onPort && unusableIntent(intent);
    if (unusable) {
      line.outcome = "invalid_payload";
      line.problem = unusable;
      return answerUnreadable(() => ctx, interaction.kind, answerableBy(interaction, intent).responseUrl);
    }
    if (onPort) {
      const port = slackInteractionContext(ctx, answerableBy(interaction, intent));
      // A route that throws still closes its Reply: what it deferred answers through Slack's API, not into a response never sent.
      await onPort(port.ctx).catch((error: unknown) => {
        port.reply.response();
        throw error;
      });
      return port.reply.response();
    }
    switch (interaction.kind) {
      case "view_submission": {
        const { view } = interaction.payload;
        const route = routeFor(viewSubmissionRoutes, view.callback_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_callback";
        return keepModalOpen(interaction.payload, OLD_FORM);
      }
      case "message_action": {
        const shortcut = interaction.payload;
        const route = routeFor(messageActionRoutes, shortcut.callback_id);
        if (route) return route(shortcut, ctx);
        line.outcome = "unknown_callback";
        const to = { userId: shortcut.user.id, responseUrl: shortcut.response_url, channelId: shortcut.channel.id };
        ctx.defer("answer unknown shortcut", () => answerPrivately(ctx, to, { text: "This shortcut isn't handled by the bot any more." }));
        return acknowledge();
      }
      case "block_actions": {
        const action = interaction.payload.actions[0]!;
        const route = routeFor(blockActionRoutes, action.action_id);
        if (route) return route(interaction.payload, ctx);
        line.outcome = "unknown_action";
        return acknowledge();
      }
    }
  });
}

type Answerable = Extract<Interaction, { payload: unknown }>;

/**
 * The answer to an interaction the bot cannot read: a modal says so in its place (an empty answer
 * would close it without a word); a shortcut's or a button's answer is shown to no one, so it goes
 * through the response_url it named, if the outbound rule allows it.
 */
function answerUnreadable(context: () => SlackContext, type: string | undefined, responseUrl: string | undefined): Response {
  if (type === "view_submission") return replaceModalWithNotice("Form not read", UNREADABLE_FORM);
  if (responseUrl !== undefined) {
    const ctx = context();
    ctx.defer("answer unreadable payload", () =>
      answerPrivately(ctx, { responseUrl }, { text: UNREADABLE_ACTION }).catch((error: unknown) => {
        // A refused URL has its own line already; anything else is the deferred work's failure.
        if (!isRefusedUrl(error)) throw error;
      }),
    );
  }
  return acknowledge();
}

/** What the log line names an interaction by: a modal's or a shortcut's callback_id, a button's action_id. */
function callbackIdOf(interaction: Answerable): string {
  switch (interaction.kind) {
    case "view_submission":
      return interaction.payload.view.callback_id;
    case "message_action":
      return interaction.payload.callback_id;
    case "block_actions":
      return interaction.payload.actions[0]!.action_id;
  }
}

/**
 * What an interaction carries to answer it with (platforms/slack/reply.ts). A submission carries
 * only its view: where the person asked (the channel, the response_url) comes back in the form's
 * context, where openForm put it (a forged one is no worse: answerPrivately calls only Slack's hooks).
 */
function answerableBy(interaction: Answerable, intent: Intent): SlackInteraction {
  switch (interaction.kind) {
    case "view_submission": {
      const context = intent.kind === "submit_form" ? intent.context : {};
      const { channelId, responseUrl } = answerRoadsIn(context);
      return { kind: "view_submission", userId: interaction.payload.user.id, triggerId: interaction.payload.trigger_id, viewId: interaction.payload.view.id, channelId, responseUrl };
    }
    case "message_action": {
      const { payload } = interaction;
      return { kind: "message_action", userId: payload.user.id, triggerId: payload.trigger_id, responseUrl: payload.response_url, channelId: payload.channel.id };
    }
    case "block_actions": {
      const { payload } = interaction;
      return { kind: "block_actions", userId: payload.user.id, triggerId: payload.trigger_id, responseUrl: payload.response_url, channelId: payload.channel?.id };
    }
  }
}

/**
 * A modal cannot be answered with an ephemeral message, and an empty answer would close it and
 * lose the person's input: put the message under the modal's first input instead.
 */
function keepModalOpen(payload: ViewSubmission, message: string): Response {
  const firstBlock = Object.keys(payload.view.state.values)[0];
  return firstBlock ? viewErrors({ [firstBlock]: message }) : replaceModalWithNotice("Form not read", message);
}

const OLD_FORM = "This form is from an older version of the bot. Close it and start again.";
const UNREADABLE_ACTION = "I couldn't read what Slack sent for this, so I did nothing. Please try again; if it keeps happening, tell whoever runs the bot.";
const UNREADABLE_FORM = "I couldn't read what this form sent, so nothing was saved. Close it and try again; if it keeps happening, tell whoever runs the bot.";
