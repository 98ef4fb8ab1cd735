/**
 * The control server's Teams endpoints (sandbox-control.ts serves them): what only Teams itself
 * could show, for a Teams CLI (and the sandbox's page) in another process. The emulator's
 * connector keeps what the bot posted and redrew per conversation, and what people wrote; a dialog
 * is the answer to an invoke, which only the Teams client sees, so the CLI hands each one it got
 * here, as Teams' client would keep it open, for `submit` to find its hidden data.
 *
 *   GET  /_sandbox/teams/state     the bot's messages (redrawn ones as they are now), people's messages, dialogs opened
 *   POST /_sandbox/teams/messages  { conversation, author, text, replyTo? } -> { message }: a person writes
 *   POST /_sandbox/teams/dialogs   { user, conversation, invoke, commandId?, replyToId?, dialog } -> { index }
 *   POST /_sandbox/teams/dialogs/close  { index } -> {}: submitted, replaced by the bot's next card, or closed
 *
 * Whether a dialog is open is kept here, not in the page's server or the CLI: either may have opened
 * or closed it, and the other must not show it open or send it again.
 */
import * as z from "zod/mini";
import type { TeamsEmulator } from "../../dev/teams-emulator.js";

const conversationSchema = z.object({ id: z.string(), name: z.string(), type: z.string() });
const personSchema = z.object({ id: z.string(), name: z.string(), displayName: z.string(), aadObjectId: z.string() });

export const teamsMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** The root message's id when it is a reply in a channel thread. */
  replyTo: z.optional(z.string()),
  /** The bot's id (`28:<app id>`) or a person's (`29:…`). */
  from: z.string(),
  /** What the bot sent (an activity, its Adaptive Card attachments), as it is now; undefined for a person's message. */
  activity: z.optional(z.record(z.string(), z.unknown())),
  /** A person's text; the bot's summary. */
  text: z.string(),
  /** The bot redrew it for everyone (updateActivity). */
  updated: z.boolean(),
  at: z.number(),
});
export type TeamsSandboxMessage = z.infer<typeof teamsMessageSchema>;

const dialogSchema = z.object({
  /** Whom it was opened for (a person's id). */
  user: z.string(),
  /** Where the invoke that opened it came from. */
  conversation: z.string(),
  /** The invoke that opened it: `task/fetch` (a card's button) or `composeExtension/fetchTask` (a message extension's command). */
  invoke: z.string(),
  commandId: z.optional(z.string()),
  replyToId: z.optional(z.string()),
  /** The invoke's answer's `task.value`: title and card, as Teams draws the dialog. */
  dialog: z.record(z.string(), z.unknown()),
  /** Closed (submitted, replaced by the bot's next card, or closed by the person); absent while open. */
  closed: z.optional(z.literal(true)),
});
export type TeamsSandboxDialog = z.infer<typeof dialogSchema>;

export const teamsStateSchema = z.object({
  botId: z.string(),
  conversations: z.array(conversationSchema),
  people: z.array(personSchema),
  /** The bot's and people's messages, in the order they were written. */
  messages: z.array(teamsMessageSchema),
  dialogs: z.array(dialogSchema),
  /** Connector calls so far (the token endpoint's included): moves whenever the bot speaks. */
  calls: z.number(),
});
export type TeamsSandboxState = z.infer<typeof teamsStateSchema>;

const closeRequest = z.object({ index: z.number().check(z.int(), z.nonnegative()) });
const messageRequest = z.object({ conversation: z.string(), author: z.string(), text: z.string().check(z.minLength(1), z.maxLength(28_000)), replyTo: z.optional(z.string()) });

/** The tenant as the sandbox seeds it. */
export interface TeamsDirectory {
  botId: string;
  conversations: readonly { id: string; name: string; type: string }[];
  people: readonly { id: string; name: string; displayName: string; aadObjectId: string }[];
}

type Parse = <T>(schema: z.ZodMiniType<T>, body: unknown) => T;

/** The Teams routes, keyed "METHOD path" as sandbox-control.ts keys its own. */
export function teamsRoutes(teams: TeamsEmulator, directory: TeamsDirectory, parse: Parse, refuse: (message: string) => Error): Record<string, (body: unknown) => unknown> {
  const dialogs: TeamsSandboxDialog[] = [];
  const person = (id: string) => {
    const found = directory.people.find((candidate) => candidate.id === id);
    if (!found) throw refuse(`no person ${id} in the sandbox's tenant`);
    return found;
  };
  const conversation = (id: string) => {
    // A channel thread is `<channel>;messageid=<root>`: the channel is the conversation.
    const found = directory.conversations.find((candidate) => candidate.id === id.split(";messageid=")[0]);
    if (!found) throw refuse(`no conversation ${id} in the sandbox's tenant`);
    return found;
  };
  const summaryOf = (activity: Record<string, unknown>) => (typeof activity["summary"] === "string" ? activity["summary"] : typeof activity["text"] === "string" ? activity["text"] : "");
  return {
    "GET /_sandbox/teams/state": (): TeamsSandboxState => {
      const messages: TeamsSandboxMessage[] = [
        ...teams.activities.map((entry) => ({ id: entry.id, conversationId: entry.conversationId, ...(entry.replyTo === undefined ? {} : { replyTo: entry.replyTo }), from: directory.botId, activity: entry.activity, text: summaryOf(entry.activity), updated: entry.updated, at: entry.at })),
        ...teams.messages.map((message) => ({ id: message.id, conversationId: message.conversationId, ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }), from: message.from.id, text: message.text, updated: false, at: message.at })),
      ];
      // A stable sort: within a millisecond, the bot's before people's.
      messages.sort((a, b) => a.at - b.at);
      return {
        botId: directory.botId,
        conversations: [...directory.conversations],
        people: [...directory.people],
        messages,
        dialogs: [...dialogs],
        calls: teams.calls.length,
      };
    },
    "POST /_sandbox/teams/messages": (body) => {
      const { conversation: id, author, text, replyTo } = parse(messageRequest, body);
      const where = conversation(id);
      const who = person(author);
      const written = teams.postUserMessage({ conversationId: where.id, from: { id: who.id, name: who.displayName, aadObjectId: who.aadObjectId }, text, replyTo });
      return { message: { id: written.id, conversationId: written.conversationId, ...(written.replyTo === undefined ? {} : { replyTo: written.replyTo }), from: who.id, text, updated: false, at: written.at } };
    },
    "POST /_sandbox/teams/dialogs": (body) => {
      const dialog = parse(dialogSchema, body);
      person(dialog.user);
      conversation(dialog.conversation);
      const { closed: _closed, ...open } = dialog;
      dialogs.push(open);
      return { index: dialogs.length - 1 };
    },
    "POST /_sandbox/teams/dialogs/close": (body) => {
      const { index } = parse(closeRequest, body);
      const dialog = dialogs[index];
      if (!dialog) throw refuse(`no dialog ${index} in the sandbox`);
      dialogs[index] = { ...dialog, closed: true };
      return {};
    },
  };
}

/** The control client's Teams calls: `call` is the client's checked request. */
export interface TeamsControlClient {
  state(): Promise<TeamsSandboxState>;
  /** A message a person writes (the bot hears it only if it mentions the bot: this does not send it to the bot). */
  postMessage(request: z.infer<typeof messageRequest>): Promise<TeamsSandboxMessage>;
  /** A dialog the bot opened (an invoke's answer), kept as Teams' client keeps it open; its index in `dialogs`. */
  keepDialog(dialog: TeamsSandboxDialog): Promise<number>;
  /** Closes the dialog at `index` in `dialogs` for every client; rejects (the control server's 400) for an index it never gave. */
  closeDialog(index: number): Promise<void>;
}

type Call = <T>(method: "GET" | "POST", path: string, schema: z.ZodMiniType<T>, body?: unknown) => Promise<T>;

/** The Teams calls over the control client's `call`, each answer checked against its shape. */
export function teamsControlClient(call: Call): TeamsControlClient {
  return {
    state: () => call("GET", "/_sandbox/teams/state", teamsStateSchema),
    postMessage: async (request) => (await call("POST", "/_sandbox/teams/messages", z.object({ message: teamsMessageSchema }), request)).message,
    keepDialog: async (dialog) => (await call("POST", "/_sandbox/teams/dialogs", z.object({ index: z.number() }), dialog)).index,
    closeDialog: async (index) => void (await call("POST", "/_sandbox/teams/dialogs/close", z.object({}), { index })),
  };
}
