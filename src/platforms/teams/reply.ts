/**
 * The port's Reply for one Teams activity (chat/model.ts). An invoke (a dialog's `task/fetch` and
 * `task/submit`, the message extension's `composeExtension/fetchTask` and `submitAction`, an
 * Action.Execute's `adaptiveCard/action`) is answered in the HTTP response, and always with a
 * non-empty body: an empty one makes Teams show "Unable to reach app" and send the invoke again.
 * A message gets a plain 200; what the bot says goes through the connector. Teams has no ephemeral
 * message: "only the person sees it" is the dialog, the invoke's answer, the personal chat the
 * person wrote in, or a 1:1 chat the bot opens with them.
 */
import type { Card } from "../../chat/card.js";
import { ChatError } from "../../chat/chat-error.js";
import type { Form, FormErrors } from "../../chat/form.js";
import type { Intent } from "../../chat/intent.js";
import type { HeldForm, OpenForm, Reply } from "../../chat/reply.js";
import { plainTextOf } from "../../chat/rich-text.js";
import type { TeamsConnector, OutgoingActivity } from "./connector.js";
import { toChatError } from "./chat-api.js";
import { OPEN_FORM_KEY, type ActivityHandle } from "./parse-activity.js";
import { ADAPTIVE_CARD, dialogCardOf, dialogOf, OPENED_BY, renderAdaptiveCard, renderCardActivity, type AdaptiveCard } from "./render.js";

/** Invokes answered with a dialog (`{ task: … }`); the fetches open one, the submits close or continue it. */
const DIALOG_FETCHES: ReadonlySet<string> = new Set(["task/fetch", "composeExtension/fetchTask"]);
const DIALOG_SUBMITS: ReadonlySet<string> = new Set(["task/submit", "composeExtension/submitAction"]);
export const ACTION_INVOKE = "adaptiveCard/action";
/** Universal Actions' answer types (adaptiveCard/action's invoke response). */
const ACTION_MESSAGE = "application/vnd.microsoft.activity.message";

export interface TeamsReplyOptions {
  connector: TeamsConnector;
  deadline: { remainingMs(): number };
}

/** A Reply that also says when the first answer is ready, and builds the HTTP response. */
export interface TeamsReply extends Reply {
  readonly given: Promise<void>;
  readonly hasGiven: boolean;
  /** The HTTP response: the answer given, else the default for the activity's kind (never an empty invoke answer). Call once. */
  response(): Response;
}

/** The answer to an invoke nothing else answered in time: non-empty, and saying where the rest comes. */
export function defaultInvokeAnswer(name: string | undefined): unknown {
  if (name !== undefined && DIALOG_FETCHES.has(name)) return { task: { type: "message", value: ON_IT } };
  // `{}` to a submit closes the dialog (Teams' documented close), and is a body.
  if (name !== undefined && DIALOG_SUBMITS.has(name)) return {};
  if (name === ACTION_INVOKE) return { statusCode: 200, type: ACTION_MESSAGE, value: ON_IT };
  return {};
}
const ON_IT = "On it.";

/** A card's text as plain lines, for the answers that take only text (a dialog's message, an action's message). */
function plainCardText(card: Card): string {
  const lines = card.blocks.flatMap((block) =>
    block.kind === "text" || block.kind === "note" ? [plainTextOf(block.text)] : block.kind === "heading" ? [block.text] : block.kind === "lines" ? block.lines.map(plainTextOf) : block.kind === "fields" ? block.fields.map((field) => `${field.label}: ${plainTextOf(field.value)}`) : [],
  );
  const text = lines.length > 0 ? lines.join("\n") : plainTextOf(card.summary);
  return text.length > 1_000 ? `${text.slice(0, 999)}…` : text;
}

/** A card with one button that opens `form` as a dialog (Action.Submit with `msteams.type` task/fetch): how a message opens a form in Teams. */
export function formOpenerActivity(form: Form, lead: string): OutgoingActivity {
  const content: AdaptiveCard = {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body: [{ type: "TextBlock", text: lead.replace(/[\\`*_[\]()#]/g, (char) => `\\${char}`), wrap: true }],
    actions: [{ type: "Action.Submit", title: form.title, data: { msteams: { type: "task/fetch" }, [OPEN_FORM_KEY]: form } }],
  };
  return { type: "message", attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}

/** A Reply for the activity `handle` that `intent` was read from. */
export function createTeamsReply(handle: ActivityHandle, intent: Intent, options: TeamsReplyOptions): TeamsReply {
  const { connector } = options;
  const isInvoke = handle.type === "invoke";
  const name = handle.name ?? "";
  let first: unknown;
  let sent = false;
  let markGiven!: () => void;
  const given = new Promise<void>((resolve) => (markGiven = resolve));
  const firstIsOpen = () => isInvoke && first === undefined && !sent;
  const here = { serviceUrl: handle.serviceUrl, conversationId: handle.conversationId };
  const give = (answer: unknown) => {
    first = answer;
    markGiven();
  };

  /** Sends `activity` where only the person reads it: the personal chat they wrote in, else a 1:1 chat; rejects with ChatError. */
  async function privately(activity: OutgoingActivity): Promise<{ conversationId: string; id: string }> {
    try {
      if (handle.conversationType === "personal") return { conversationId: handle.conversationId, ...(await connector.sendToConversation(here, activity)) };
      const chat = await connector.createConversation(handle.serviceUrl, { botId: handle.botId, userId: intent.person.userId, tenantId: handle.tenantId });
      const posted = await connector.sendToConversation({ serviceUrl: handle.serviceUrl, conversationId: chat.id }, activity);
      return { conversationId: chat.id, id: posted.id };
    } catch (error) {
      throw toChatError(error);
    }
  }

  async function tellPrivately(card: Card, tellOptions: { prefer?: "here" | "dm" | undefined } = {}): Promise<void> {
    if (tellOptions.prefer !== "dm" && firstIsOpen()) {
      if (DIALOG_FETCHES.has(name) || DIALOG_SUBMITS.has(name)) return give(dialogCardOf(plainTextOf(card.summary).slice(0, 100) || "chatops", card));
      if (name === ACTION_INVOKE) return give({ statusCode: 200, type: ACTION_MESSAGE, value: plainCardText(card) });
    }
    await privately(renderCardActivity(card));
  }

  /** The form, opened again as it was left: values typed and the opening invoke's id kept. */
  function formAgain(form: Form, errors?: FormErrors): Form {
    const values = intent.kind === "submit_form" ? intent.values : {};
    // The opening's id as the form carries it (the instance adds the sender's id to it when parsed).
    const opened = intent.kind === "submit_form" ? (intent.context[OPENED_BY] ?? handle.id) : handle.id;
    return { ...form, context: { ...form.context, [OPENED_BY]: form.context[OPENED_BY] ?? opened }, inputs: form.inputs.map((input) => ({ ...input, value: values[input.id] ?? input.value })), ...(errors ? { errors } : {}) };
  }

  return {
    given,
    // Teams cannot redraw an open dialog: what it shows must be known before it opens.
    updatesOpenForms: false,
    get hasGiven() {
      return first !== undefined;
    },

    response() {
      sent = true;
      if (!isInvoke) return new Response(null, { status: 200 });
      return Response.json(first ?? defaultInvokeAnswer(handle.name));
    },

    async openForm(form: Form): Promise<OpenForm> {
      const opened: Form = { ...form, context: { ...form.context, [OPENED_BY]: form.context[OPENED_BY] ?? handle.id } };
      // A dialog opens only as the answer to an invoke that asks for one (or continues one).
      if (firstIsOpen() && (DIALOG_FETCHES.has(name) || DIALOG_SUBMITS.has(name))) give(dialogOf(opened));
      // A message (or a card's button) cannot open a dialog: the person gets a button that does.
      // Its form names this activity as its opening, so every dialog the button opens saves once.
      else await privately(formOpenerActivity(opened, `${form.title}: press the button to fill it in.`));
      // Teams cannot redraw an open dialog.
      return { update: async () => undefined };
    },

    async refuseForm(form: Form, errors: FormErrors): Promise<void> {
      const again = formAgain(form, errors);
      if (firstIsOpen() && DIALOG_SUBMITS.has(name)) return give(dialogOf(again));
      await privately(formOpenerActivity(again, "Nothing was saved yet: press the button to fix what you typed. It is all still there."));
    },

    async holdForm(notice): Promise<HeldForm> {
      let posted: { conversationId: string; id: string } | undefined;
      if (firstIsOpen() && DIALOG_SUBMITS.has(name)) give(dialogCardOf(notice.title, notice.card));
      else posted = await privately(renderCardActivity(notice.card));
      return {
        async finish(outcome) {
          // A dialog cannot be redrawn: the outcome comes in the chat; a notice the bot posted is redrawn.
          if (posted === undefined) return void (await privately(renderCardActivity(outcome.card)));
          await connector.updateActivity({ serviceUrl: handle.serviceUrl, conversationId: posted.conversationId }, posted.id, renderCardActivity(outcome.card)).catch((error: unknown) => Promise.reject(toChatError(error)));
        },
      };
    },

    async closeForm(): Promise<void> {
      if (firstIsOpen() && DIALOG_SUBMITS.has(name)) give({});
    },

    tellPrivately,

    async acknowledge(card: Card): Promise<void> {
      // An invoke must be answered with something; a message needs nothing more.
      if (firstIsOpen()) return tellPrivately(card);
    },

    async updateSource(card: Card): Promise<void> {
      if (intent.kind !== "button") throw new ChatError("invalid_request", "teams", { cause: new Error("only a button's activity has a message to redraw") });
      const message = intent.message?.message;
      if (firstIsOpen() && name === ACTION_INVOKE) {
        // Universal Actions: the invoke's answer redraws the card for the presser only; everyone else in
        // the conversation sees it as it was until the message itself is updated (the SDKs' "replace for all").
        give({ statusCode: 200, type: ADAPTIVE_CARD, value: renderAdaptiveCard(card) });
        if (message === undefined) return;
      } else if (message === undefined) throw new ChatError("not_found", "teams", { cause: new Error("the button's message is unknown") });
      await connector.updateActivity(here, message, renderCardActivity(card)).catch((error: unknown) => Promise.reject(toChatError(error)));
    },
  };
}
