/**
 * The port's Reply for one Slack interaction (a slash command, a message shortcut, a button, a
 * modal submission). What a route says before it returns becomes the HTTP response where Slack
 * allows one (a command's ephemeral answer, a submission's `response_action`); what it says later
 * goes through the Web API or the response_url. The handler returns `response()` once the route
 * has returned: from then on nothing more can go into the response.
 */
import type { Card } from "../../chat/card.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Form, FormErrors } from "../../chat/form.js";
import type { FormNotice, HeldForm, OpenForm, Reply } from "../../chat/reply.js";
import type { InteractionContext } from "../../features/context.js";
import { answerPrivately } from "./answer-privately.js";
import { asChatCall, toChatError } from "./chat-api.js";
import type { SlackContext } from "./context.js";
import { renderSlackCard, renderSlackForm, renderSlackNotice } from "./render-card.js";
import { acknowledge, clearViews, ephemeral, updateView, viewErrors } from "./responses.js";
import { LIMITS } from "./blocks.js";

/** What an interaction carries to answer it with; each kind of payload has some of these. */
export interface SlackInteraction {
  kind: "command" | "message_action" | "block_actions" | "view_submission";
  userId: string;
  /** Opens a modal within 3 s of Slack sending it (commands, shortcuts, buttons). */
  triggerId?: string | undefined;
  /** Answers the person for 30 minutes (commands, shortcuts, buttons on a message). */
  responseUrl?: string | undefined;
  /** The conversation it happened in, for chat.postEphemeral. */
  channelId?: string | undefined;
  /** A submission's view (views.update of the notice that stands in its place). */
  viewId?: string | undefined;
}

/** The port's Reply, and the HTTP response it leaves for the handler to return. */
export interface SlackReply extends Reply {
  /** What was said before the route returned, as Slack's HTTP answer (else an empty 200); called once, after the route. */
  response(): Response;
}

/**
 * A Reply for `interaction`. openForm is views.open with the trigger_id, bounded by the request's
 * deadline (a trigger_id lasts 3 s); its updates are views.update, one at a time in order, so an
 * older form never lands after a newer one. refuseForm, holdForm and closeForm answer a submission
 * with `response_action` ("errors" keyed by input id = block_id, "update" with the notice, "clear")
 * while the response is open. tellPrivately answers a command in its response; otherwise it takes
 * answerPrivately's roads (response_url, chat.postEphemeral, DM; the DM first with `prefer: "dm"`).
 * updateSource replaces the message the interaction came from through its response_url. Every
 * method rejects with ChatError.
 */
export function createSlackReply(interaction: SlackInteraction, ctx: Pick<SlackContext, "slack" | "log" | "deadline">): SlackReply {
  let answer: Response | undefined;
  let responding = true;
  /** True (and the answer taken) when the HTTP response is still open and not yet spoken for. */
  const answerWith = (response: () => Response): boolean => {
    if (!responding || answer !== undefined) return false;
    answer = response();
    return true;
  };
  const submission = (method: string): string => {
    if (interaction.kind !== "view_submission" || interaction.viewId === undefined) throw new ChatError("invalid_request", "slack", { platformCode: `${method}_outside_a_submission` });
    return interaction.viewId;
  };
  const heldAt = (viewId: string): HeldForm => ({
    finish: (notice) => asChatCall(() => ctx.slack.updateView(viewId, renderSlackNotice(notice))),
  });

  return {
    // views.update redraws an open modal (late priorities, a permalink found after it opened).
    updatesOpenForms: true,
    async openForm(form: Form): Promise<OpenForm> {
      const triggerId = interaction.triggerId;
      if (triggerId === undefined) throw new ChatError("invalid_request", "slack", { platformCode: "no_trigger_id" });
      const { id } = await asChatCall(() => ctx.slack.openView(triggerId, renderSlackForm(withAnswerRoads(form, interaction)), { deadline: ctx.deadline }));
      let updating: Promise<void> = Promise.resolve();
      return {
        update(next: Form) {
          const update = updating.catch(() => undefined).then(() => ctx.slack.updateView(id, renderSlackForm(withAnswerRoads(next, interaction))));
          updating = update;
          return update.catch((error: unknown) => {
            throw toChatError(error);
          });
        },
      };
    },
    async refuseForm(_form: Form, errors: FormErrors): Promise<void> {
      submission("refuseForm");
      // Errors show only in the submission's response: after it, the modal has closed or moved on.
      if (!answerWith(() => viewErrors({ ...errors }))) throw new ChatError("expired", "slack", { platformCode: "response_sent" });
    },
    async holdForm(notice: FormNotice): Promise<HeldForm> {
      const viewId = submission("holdForm");
      if (!answerWith(() => updateView(renderSlackNotice(notice)))) await asChatCall(() => ctx.slack.updateView(viewId, renderSlackNotice(notice)));
      return heldAt(viewId);
    },
    async closeForm(): Promise<void> {
      submission("closeForm");
      // After the response the modal is closed already: an empty answer to a submission closes it.
      answerWith(() => clearViews());
    },
    async tellPrivately(card: Card, options: { prefer?: "here" | "dm" | undefined } = {}): Promise<void> {
      const message = renderSlackCard(card);
      // A command's response is shown to the person, ephemeral; no other interaction's is shown at all.
      if (interaction.kind === "command" && options.prefer !== "dm" && answerWith(() => ephemeral(message.text, message.blocks))) return;
      const to = { userId: interaction.userId, responseUrl: interaction.responseUrl, channelId: interaction.channelId };
      await asChatCall(() => answerPrivately(ctx, to, message, options.prefer ? { prefer: options.prefer } : {}));
    },
    async updateSource(card: Card): Promise<void> {
      const url = interaction.responseUrl;
      if (url === undefined) throw new ChatError("not_found", "slack", { platformCode: "no_response_url" });
      await asChatCall(() => ctx.slack.respond(url, { ...renderSlackCard(card), replaceOriginal: true }));
    },
    // Slack's empty 200 was the acknowledgement: a shortcut or a button leaves nothing pending to fill in.
    async acknowledge(): Promise<void> {},
    response(): Response {
      responding = false;
      return answer ?? acknowledge();
    },
  };
}

/** The form-context keys the Slack adapter keeps its answer roads in: what private_metadata has always carried them as. */
const ROADS = { channelId: "channelId", responseUrl: "responseUrl" } as const;

/**
 * The form with where its submission is answered later in its context (private_metadata): the
 * interaction's channel (chat.postEphemeral) and response_url. A view_submission carries neither,
 * so the confirmation after a save finds the person where they asked only through these. Within
 * private_metadata's 3,000 characters: the response_url, then the channel, is left out when the
 * form's own context leaves no room (the DM still reaches the person).
 */
export function withAnswerRoads(form: Form, interaction: Pick<SlackInteraction, "channelId" | "responseUrl">): Form {
  const fits = (context: Record<string, string>) => JSON.stringify(context).length <= LIMITS.privateMetadata;
  const channel: Record<string, string> = interaction.channelId === undefined ? {} : { [ROADS.channelId]: interaction.channelId };
  const url: Record<string, string> = interaction.responseUrl === undefined ? {} : { [ROADS.responseUrl]: interaction.responseUrl };
  for (const roads of [{ ...channel, ...url }, channel]) {
    const context = { ...form.context, ...roads };
    if (fits(context)) return { ...form, context };
  }
  return form;
}

/** The answer roads a submitted form's context brought back (withAnswerRoads; a modal from before the port has them too). */
export function answerRoadsIn(context: Readonly<Record<string, string>>): Pick<SlackInteraction, "channelId" | "responseUrl"> {
  const get = (key: string) => (Object.hasOwn(context, key) && context[key] ? context[key] : undefined);
  return { channelId: get(ROADS.channelId), responseUrl: get(ROADS.responseUrl) };
}

/**
 * What a port route is handed for a Slack interaction: the context, Slack's ChatApi as `chat`, and
 * a Reply for this interaction; the handler returns `reply.response()` once the route has returned.
 */
export function slackInteractionContext(ctx: SlackContext, interaction: SlackInteraction): { ctx: InteractionContext; reply: SlackReply } {
  const chat = ctx.chats.slack;
  // runtime.ts builds it whenever a Slack handler runs (Slack's variables are required there).
  if (chat === undefined) throw new Error("Slack's ChatApi is not in the context");
  const reply = createSlackReply(interaction, ctx);
  return { ctx: { ...ctx, chat, reply }, reply };
}
