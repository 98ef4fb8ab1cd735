/**
 * The port's Reply for one Discord interaction (chat/reply.ts), with Discord's first-response rules
 * (docs/chat-port.md; interactions/receiving-and-responding): the first answer is the HTTP response
 * to the interaction's POST, within 3 s, and a modal (type 9) can only be that answer; later answers
 * go through the interaction's token for 15 minutes (an edit of @original or a follow-up), then
 * through the ChatApi (a DM, or an edit of the message by its id). What a route says first becomes
 * the response as soon as it is said (`given`); a route that says nothing gets the deferred answer
 * for its kind when the handler answers (`response()`).
 */
import type { Card } from "../../chat/card.js";
import type { ChatApi } from "../../chat/chat-api.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Form, FormErrors } from "../../chat/form.js";
import type { Intent } from "../../chat/intent.js";
import type { HeldForm, OpenForm, Reply } from "../../chat/reply.js";
import type { Store } from "../../store/store.js";
import { toChatError } from "./chat-api.js";
import { refusalCard } from "./refused-form.js";
import { BUTTON_PARKING_MS, FIX_IT_PARKING_MS, FORM_PARKING_MS, parkValues } from "./parking.js";
import { OPENED_BY, type InteractionHandle } from "./parse-interaction.js";
import { renderCard, renderCardMessages, renderForm, type DiscordMessageBody } from "./render.js";
import { CallbackType, DiscordErrorCode, MessageFlags, type DiscordRest, type InteractionResponse } from "./rest.js";

/** An interaction token is good for 15 minutes from when Discord made it. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** The token is given up this long before its 15 minutes, for the time the interaction took to arrive and a call takes to land. */
const TOKEN_MARGIN_MS = 30_000;
/**
 * The pauses before a call on the token is tried again when Discord answers it Unknown Webhook
 * (10015) or Unknown interaction (10062) soon after the first response: Discord takes the HTTP
 * answer and a call on the token independently, so a call made at once can overtake the answer
 * (skyra-project/archid-components#390; through netlify dev, on a busy machine, every few runs).
 * 3.75 s in all; past them the token is taken as gone, and the answer goes by DM as for an expired one.
 */
const NOT_YET_TAKEN_PAUSES_MS = [250, 500, 1_000, 2_000] as const;
/** Only this soon after the first response can a refusal of the token mean Discord has not taken it yet. */
const NOT_YET_TAKEN_WINDOW_MS = 10_000;

export interface DiscordReplyOptions {
  rest: DiscordRest;
  /** For DMs once the token is past (or refused as expired), and redraws by message id. */
  chat: ChatApi;
  /** Where parked values go (custom-id.ts: a value too long for its custom_id). */
  store: Store;
  /** ms since the epoch. */
  now: () => number;
  /** Waits `ms` (the runtime's sleep: at once in tests), between tries of a call Discord may not have been ready for. */
  sleep: (ms: number) => Promise<void>;
  /** When the interaction arrived (ms since the epoch): its token's 15 minutes run from about then. */
  arrivedAt: number;
  /** The acknowledgement's deadline: parking a modal's context (which can only be the first response) stops there. */
  deadline: { remainingMs(): number };
}

/** A Reply that also says when the first response is ready, and builds it. */
export interface DiscordReply extends Reply {
  /** Resolves once a route has given the first response: the handler can answer without waiting for the route to end. */
  readonly given: Promise<void>;
  /** Whether a route has given the first response (else `response()` is the deferred answer). */
  readonly hasGiven: boolean;
  /** Whether the HTTP response went (`response()` was called): what is said now goes through the token. */
  readonly answered: boolean;
  /** The HTTP response to the interaction: the first response given, else the deferred one for its kind (5 with flags 64, or 6 for a button). Call once. */
  response(): Response;
}

/** A Reply for the interaction `handle` that `intent` was read from. */
export function createDiscordReply(handle: InteractionHandle, intent: Intent, options: DiscordReplyOptions): DiscordReply {
  const { rest, chat } = options;
  let first: InteractionResponse | undefined;
  let sent = false;
  /** @original is a deferred placeholder ("… is thinking") not yet filled in: the next private answer fills it. */
  let placeholder = false;
  let markGiven!: () => void;
  const given = new Promise<void>((resolve) => (markGiven = resolve));
  let markSent!: () => void;
  const answered = new Promise<void>((resolve) => (markSent = resolve));
  /** When the HTTP response was handed over (ms since the epoch). */
  let sentAt = 0;
  const isButton = intent.kind === "button";
  const tokenAlive = () => options.now() < options.arrivedAt + TOKEN_LIFETIME_MS - TOKEN_MARGIN_MS;
  const firstIsOpen = () => first === undefined && !sent;

  function give(response: InteractionResponse): void {
    first = response;
    if (response.type === CallbackType.DeferredChannelMessageWithSource) placeholder = true;
    markGiven();
  }

  /**
   * A call on the token (an edit of @original, a follow-up), tried again while a refusal may only
   * mean Discord has not taken the first response yet (NOT_YET_TAKEN_PAUSES_MS); rejects with ChatError.
   */
  async function onToken<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const failure = toChatError(error);
        const pause = NOT_YET_TAKEN_PAUSES_MS[attempt];
        const notYetTaken = failure.platformCode === DiscordErrorCode.UnknownWebhook || failure.platformCode === DiscordErrorCode.UnknownInteraction;
        if (pause === undefined || !notYetTaken || options.now() - sentAt > NOT_YET_TAKEN_WINDOW_MS) throw failure;
        await options.sleep(pause);
      }
    }
  }

  /**
   * A card as a message body, its parked values written first (for `ttlMs`); rejects with ChatError.
   * Within the store's own timeout, not the acknowledgement's: a message can always go later, so a
   * store still writing at the deadline gets the deferred answer and the message through the token
   * (every caller looks again whether the first response is open); bounded by the deadline, a slow
   * store turned a refusal or a notice into "Something went wrong". Only a modal must be first (openForm).
   */
  async function bodyOf(card: Card, ttlMs = BUTTON_PARKING_MS): Promise<DiscordMessageBody> {
    const { body, parked } = renderCard(card);
    if (parked.length > 0) await parkValues(options.store, parked, { now: options.now(), ttlMs }).catch((error: unknown) => Promise.reject(toChatError(error)));
    return body;
  }

  /** A card as the messages it takes (renderCardMessages), every part's parked values written first, as bodyOf does; rejects with ChatError. */
  async function bodiesOf(card: Card): Promise<DiscordMessageBody[]> {
    const parts = renderCardMessages(card);
    const parked = parts.flatMap((part) => part.parked);
    if (parked.length > 0) await parkValues(options.store, parked, { now: options.now(), ttlMs: BUTTON_PARKING_MS }).catch((error: unknown) => Promise.reject(toChatError(error)));
    return parts.map((part) => part.body);
  }

  /**
   * Only the person sees `body`, after the first response: the placeholder filled in, else an
   * ephemeral follow-up; once the token is past, a DM. Resolves with whether it was @original.
   */
  async function later(card: Card, body: DiscordMessageBody): Promise<"original" | "other" | "dm"> {
    await answered;
    if (tokenAlive()) {
      // Taken at once: of two answers under way together, one fills the placeholder and the other follows up.
      const fills = placeholder;
      placeholder = false;
      try {
        if (fills) {
          await onToken(() => rest.editOriginal(handle.token, body));
          return "original";
        }
        await onToken(() => rest.followUp(handle.token, { ...body, flags: MessageFlags.Ephemeral }));
        return "other";
      } catch (error) {
        const failure = toChatError(error);
        if (failure.code !== "expired") {
          // Still unfilled: the next answer tries it again.
          placeholder ||= fills;
          throw failure;
        }
      }
    }
    await chat.tellPrivately(intent.person, card);
    return "dm";
  }

  async function tellPrivately(card: Card, tellOptions: { prefer?: "here" | "dm" | undefined } = {}): Promise<void> {
    if (tellOptions.prefer === "dm") {
      // What must not be lost goes where it stays; the interaction is the fallback.
      const dm = await chat.tellPrivately(intent.person, card).then(() => true, () => false);
      if (dm) return;
    }
    // Past content's 2,000 characters (a long /task review) the card goes as several messages: the rest as follow-ups.
    const [body, ...more] = await bodiesOf(card);
    if (firstIsOpen()) give({ type: CallbackType.ChannelMessageWithSource, data: { ...body!, flags: MessageFlags.Ephemeral } });
    // Once the token is past, the DM took the whole card: the rest is in it.
    else if ((await later(card, body!)) === "dm") return;
    for (const part of more) if ((await later(card, part)) === "dm") return;
  }

  return {
    given,
    get hasGiven() {
      return first !== undefined;
    },
    get answered() {
      return sent;
    },

    response() {
      sent = true;
      sentAt = options.now();
      const response: InteractionResponse = first ?? (isButton ? { type: CallbackType.DeferredUpdateMessage } : { type: CallbackType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
      if (first === undefined && response.type === CallbackType.DeferredChannelMessageWithSource) placeholder = true;
      markSent();
      return Response.json(response);
    },

    async openForm(form: Form): Promise<OpenForm> {
      // A modal is only ever the first response, and never the answer to a modal's submission.
      if (intent.kind === "submit_form") throw new ChatError("invalid_request", "discord", { cause: new Error("a modal's submission cannot be answered with a modal") });
      if (!firstIsOpen()) throw new ChatError("expired", "discord", { cause: new Error("a modal can only be the first response") });
      // The opening interaction names the form through every reopening: what its save is claimed by.
      const context = { ...form.context, [OPENED_BY]: form.context[OPENED_BY] ?? handle.id };
      const { modal, parked } = renderForm({ ...form, context });
      if (parked.length > 0) await parkValues(options.store, parked, { now: options.now(), ttlMs: FORM_PARKING_MS, deadline: options.deadline }).catch((error: unknown) => Promise.reject(toChatError(error)));
      if (!firstIsOpen()) throw new ChatError("expired", "discord", { cause: new Error("the first response went while the form's context was parked") });
      give({ type: CallbackType.Modal, data: modal });
      // Discord cannot redraw an open modal.
      return { update: async () => undefined };
    },

    async refuseForm(form: Form, errors: FormErrors): Promise<void> {
      const values = intent.kind === "submit_form" ? intent.values : {};
      const opened = intent.kind === "submit_form" ? intent.instance : handle.id;
      // The form as it was sent, with what was typed and what is wrong: what "Fix it" opens again.
      const again: Form = {
        ...form,
        context: { ...form.context, [OPENED_BY]: form.context[OPENED_BY] ?? opened },
        inputs: form.inputs.map((input) => ({ ...input, value: values[input.id] ?? input.value })),
        errors,
      };
      const card = refusalCard(form, errors, JSON.stringify(again));
      const body = await bodyOf(card, FIX_IT_PARKING_MS);
      if (firstIsOpen()) return give({ type: CallbackType.ChannelMessageWithSource, data: { ...body, flags: MessageFlags.Ephemeral } });
      await later(card, body);
    },

    async holdForm(notice): Promise<HeldForm> {
      // The notice's own words at once (type 4), rather than Discord's "is thinking…": the person reads what is going on.
      const body = await bodyOf(notice.card);
      let at: "original" | "other" | "dm" = "original";
      if (firstIsOpen()) give({ type: CallbackType.ChannelMessageWithSource, data: { ...body, flags: MessageFlags.Ephemeral } });
      else at = await later(notice.card, body);
      return {
        async finish(outcome) {
          const done = await bodyOf(outcome.card);
          await answered;
          if (at === "original" && tokenAlive()) {
            try {
              await onToken(() => rest.editOriginal(handle.token, done));
              return;
            } catch (error) {
              const failure = toChatError(error);
              if (failure.code !== "expired") throw failure;
            }
          }
          await later(outcome.card, done);
        },
      };
    },

    async closeForm(): Promise<void> {
      // Deferred and ephemeral: what the save says next fills it in (tellPrivately edits @original).
      if (firstIsOpen()) give({ type: CallbackType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    },

    tellPrivately,

    // Discord shows "… is thinking" (a deferred answer) or nothing at all until the bot answers: the
    // person is told, as tellPrivately tells them.
    acknowledge: (card: Card) => tellPrivately(card),

    async updateSource(card: Card): Promise<void> {
      if (intent.kind !== "button") throw new ChatError("invalid_request", "discord", { cause: new Error("only a button's interaction has a message to redraw") });
      const body = await bodyOf(card);
      if (firstIsOpen()) return give({ type: CallbackType.UpdateMessage, data: body });
      await answered;
      // A component's @original is the message the component is on, unless the first response made a message of its own (type 4).
      if (tokenAlive() && first?.type !== CallbackType.ChannelMessageWithSource) {
        try {
          await onToken(() => rest.editOriginal(handle.token, body));
          return;
        } catch (error) {
          const failure = toChatError(error);
          if (failure.code !== "expired" || intent.message === undefined) throw failure;
        }
      }
      if (intent.message === undefined) throw new ChatError("expired", "discord", { cause: new Error("the token is past and the message is unknown") });
      await chat.update(intent.message, card);
    },
  };
}
