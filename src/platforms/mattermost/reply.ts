/**
 * The port's Reply for one Mattermost request (chat/reply.ts). What a route says before the handler
 * answers becomes the HTTP response, in the shape each of Mattermost's three callers reads: a slash
 * command's `{ response_type: "ephemeral", text, props }`, a dialog submission's `{ errors }` (the
 * dialog stays open, what was typed kept) or `{}` (it closes), a button's `{ update, ephemeral_text }`.
 * What it says later goes through the API: the command's response_url (on MATTERMOST_URL's origin
 * only), an ephemeral post in the channel, a direct message, a patch of the button's post. A form
 * opens through POST /api/v4/actions/dialogs/open with the request's trigger_id (3 s).
 */
import { randomUUID } from "node:crypto";
import type { Card } from "../../chat/card.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Form, FormErrors } from "../../chat/form.js";
import type { Intent } from "../../chat/intent.js";
import type { HeldForm, OpenForm, Reply } from "../../chat/reply.js";
import { toChatError, type MattermostChatApi } from "./chat-api.js";
import { DIALOGS_PATH, renderForm, type MattermostPostBody } from "./render.js";
import { MattermostApiError, type MattermostRest } from "./rest.js";

/** Which of the bot's three URLs the request came to. */
export type MattermostRequestKind = "command" | "dialog" | "action";

export interface MattermostReplyOptions {
  kind: MattermostRequestKind;
  intent: Intent;
  rest: MattermostRest;
  chat: MattermostChatApi;
  signingKey: Buffer;
  /** ms since the epoch. */
  now: () => number;
  /** Where the dialog posts its submission back: `${siteUrl}/mattermost/dialogs`. */
  siteUrl: string;
  /** The command's or the button's trigger_id: what opens a dialog, for 3 s. */
  triggerId: string | undefined;
  /** The command's response_url, used only on MATTERMOST_URL's origin. */
  responseUrl: string | undefined;
  /** The channel the request came from: where an ephemeral answer goes. */
  channelId: string | undefined;
  /** The acknowledgement's deadline: the dialog's open stops there. */
  deadline: { remainingMs(): number };
}

/** A Reply that builds the HTTP answer once the route has said what it says in time. */
export interface MattermostReply extends Reply {
  /** The HTTP response: what was said before it, else the kind's plain acknowledgement (`{}`). Call once. */
  response(): Response;
}

/** A Reply for one request. */
export function createMattermostReply(options: MattermostReplyOptions): MattermostReply {
  const { kind, intent, rest, chat } = options;
  const person = intent.person;
  /** What the HTTP response will say; undefined until a route says something. */
  let first: Record<string, unknown> | undefined;
  let sent = false;
  let markSent!: () => void;
  const answered = new Promise<void>((resolve) => (markSent = resolve));
  const open = () => !sent;

  /**
   * Only the person sees `body`, through the API: the response_url (a command's), else an ephemeral
   * post, else a DM. The next road is taken only when the last certainly posted nothing: after a
   * post that may have landed (mayHavePosted) it rejects, since a second road would say it twice.
   */
  async function later(card: Card, body: MattermostPostBody): Promise<void> {
    await answered;
    if (kind === "command" && options.responseUrl && rest.isOnServer(options.responseUrl)) {
      const failed = await rest.respond(options.responseUrl, { response_type: "ephemeral", text: body.message, props: body.props }).then(() => undefined, (error: unknown) => error);
      if (failed === undefined) return;
      if (mayHavePosted(failed)) throw toChatError(failed);
    }
    if (options.channelId) {
      const failed = await rest.createEphemeralPost(person.userId, { channel_id: options.channelId, ...body }).then(() => undefined, (error: unknown) => error);
      if (failed === undefined) return;
      if (mayHavePosted(failed)) throw toChatError(failed);
    }
    await chat.tellPrivately(person, card);
  }

  async function tellPrivately(card: Card, tellOptions: { prefer?: "here" | "dm" | undefined } = {}): Promise<void> {
    if (tellOptions.prefer === "dm") {
      // What must not be lost goes where it stays; the channel is the fallback, unless the DM may have landed.
      const failed = await chat.tellPrivately(person, card).then(() => undefined, (error: unknown) => error);
      if (failed === undefined) return;
      if (mayHavePosted(failed)) throw toChatError(failed);
    }
    const body = await chat.bodyOf(card, { deadline: open() ? options.deadline : undefined });
    if (open() && kind === "command" && first === undefined) {
      first = { response_type: "ephemeral", text: body.message, props: body.props };
      return;
    }
    // A button's answer can say plain text beside its update; a card with buttons goes as a post.
    if (open() && kind === "action" && first?.ephemeral_text === undefined && body.props.attachments.length === 0) {
      first = { ...first, ephemeral_text: body.message };
      return;
    }
    await later(card, body);
  }

  return {
    response() {
      sent = true;
      markSent();
      return Response.json(first ?? {});
    },

    async openForm(form: Form): Promise<OpenForm> {
      if (kind === "dialog") throw new ChatError("invalid_request", "mattermost", { cause: new Error("a dialog's submission cannot open a dialog without a trigger_id") });
      if (!options.triggerId) throw new ChatError("invalid_request", "mattermost", { cause: new Error("the request carries no trigger_id") });
      // A fresh instance per opening: every submission of this dialog (a resend, a refusal's retry) carries it back.
      const dialog = renderForm(form, { signingKey: options.signingKey, now: options.now(), userId: person.userId, userName: person.displayName, instance: randomUUID() });
      await rest.openDialog({ trigger_id: options.triggerId, url: `${options.siteUrl}${DIALOGS_PATH}`, dialog }, { deadline: options.deadline }).catch((error: unknown) => Promise.reject(toChatError(error)));
      // Mattermost cannot redraw an open dialog.
      return { update: async () => undefined };
    },

    async refuseForm(_form: Form, errors: FormErrors): Promise<void> {
      if (kind !== "dialog") throw new ChatError("invalid_request", "mattermost", { cause: new Error("only a dialog's submission can be refused") });
      // The dialog stays open with each error under its element, what was typed kept; only in the response.
      if (!open()) throw new ChatError("expired", "mattermost", { cause: new Error("the submission was already answered") });
      first = { errors: { ...errors } };
    },

    async holdForm(notice): Promise<HeldForm> {
      // The dialog closes now; the notice, then the outcome, reach the person as ephemeral posts.
      if (open() && first === undefined) first = {};
      const body = await chat.bodyOf(notice.card);
      // The notice goes first: the outcome never lands above it.
      const noticed = later(notice.card, body).catch(() => undefined);
      return {
        async finish(outcome) {
          await noticed;
          await later(outcome.card, await chat.bodyOf(outcome.card));
        },
      };
    },

    async closeForm(): Promise<void> {
      if (open() && first === undefined) first = {};
    },

    tellPrivately,

    // Mattermost shows nothing pending after a command's, a dialog's or a button's `{}`: there is nothing to end.
    async acknowledge(): Promise<void> {},

    async updateSource(card: Card): Promise<void> {
      if (kind !== "action" || intent.kind !== "button" || intent.message === undefined) throw new ChatError("invalid_request", "mattermost", { cause: new Error("only a button's request has a post to redraw") });
      const body = await chat.bodyOf(card, { deadline: open() ? options.deadline : undefined });
      if (open()) {
        first = { ...first, update: { message: body.message, props: body.props } };
        return;
      }
      await chat.update(intent.message, card);
    },
  };
}

/** The calls that post what the person is told: a failure of any other (the bot's id, the direct channel) posted nothing. */
const POSTING_ROUTES: ReadonlySet<string> = new Set(["create_post", "create_ephemeral_post", "response_url"]);

/**
 * Whether a failed send may still have posted: a timeout, a dropped connection or a 5xx on the post
 * itself (the server may have saved it before failing, or answer after the bot stopped waiting). A
 * refusal (4xx), a rate limit (429: nothing carried out), a response_url never called, or a failure
 * before the post posted nothing, so another road may say it.
 */
export function mayHavePosted(error: unknown): boolean {
  const failure = toChatError(error);
  const call = error instanceof MattermostApiError ? error : failure.cause;
  const posting = call instanceof MattermostApiError && POSTING_ROUTES.has(call.route);
  return posting && (failure.code === "timeout" || failure.code === "network_error" || failure.code === "http_error");
}
