/**
 * The control server's Mattermost endpoints (sandbox-control.ts serves them): what only the
 * Mattermost server could do, for a Mattermost CLI in another process. Mattermost issues each
 * command's trigger_id and response_url, builds the dialog's submission from the dialog the bot
 * opened (its signed `state` kept) and a button's action from the post (its signed `context`
 * kept), takes a button's answer (the post redrawn) and holds what people write; the emulator does
 * each, and this reads it back.
 *
 *   GET  /_sandbox/mattermost/state            posts (ephemeral ones with whom they are for), dialogs opened, response_url bodies
 *   POST /_sandbox/mattermost/commands         { text, user, channel }                 -> { body }: the command's form body
 *   POST /_sandbox/mattermost/submissions      { dialog, values, user? }               -> { url, body }: dialog by its index
 *   POST /_sandbox/mattermost/actions          { post, button, user }                  -> { url, body }: the button by its name
 *   POST /_sandbox/mattermost/action-answers   { post, user, body }: the bot's answer  -> {}
 *   POST /_sandbox/mattermost/command-answers  { channel, user, body }: a command's answer -> { post? }
 *   POST /_sandbox/mattermost/posts            { channel, author, message, root? }     -> { post, permalink }
 *   POST /_sandbox/mattermost/dialogs/close    { dialog }: submitted and closed, or cancelled -> {}
 *
 * Whether a dialog is still open is kept here, not in the page's server or the CLI: either may have
 * submitted it, and the other must not show it open or send it again.
 */
import * as z from "zod/mini";
import type { MattermostEmulator } from "../../dev/mattermost-emulator.js";

const named = z.object({ id: z.string(), name: z.string() });

export const mattermostPostSchema = z.object({
  id: z.string(),
  channel_id: z.string(),
  user_id: z.string(),
  root_id: z.string(),
  message: z.string(),
  props: z.record(z.string(), z.unknown()),
  /** Only this person sees it (an ephemeral post). */
  ephemeralFor: z.optional(z.string()),
  edited: z.boolean(),
  /** When it was made: ms since the epoch. */
  create_at: z.number(),
});
export type MattermostSandboxPost = z.infer<typeof mattermostPostSchema>;

export const mattermostStateSchema = z.object({
  botId: z.string(),
  channels: z.array(named),
  people: z.array(named),
  posts: z.array(mattermostPostSchema),
  /** Each dialog the bot opened, in order: the dialog as sent (title, elements, state), and for whom. */
  dialogs: z.array(z.object({ userId: z.string(), url: z.string(), dialog: z.record(z.string(), z.unknown()), closed: z.optional(z.literal(true)) })),
  /** What each command's response_url received, in order: the URL (as the command carried it) and the body. */
  responses: z.array(z.object({ url: z.string(), body: z.unknown() })),
  /** Each person's direct channel with the bot, once the bot opened one. */
  directs: z.array(z.object({ user: z.string(), channel: z.string() })),
});
export type MattermostSandboxState = z.infer<typeof mattermostStateSchema>;

const commandRequest = z.object({ text: z.string(), user: z.string(), channel: z.string() });
const closeRequest = z.object({ dialog: z.number().check(z.int(), z.nonnegative()) });
const submissionRequest = z.object({ dialog: z.number(), values: z.record(z.string(), z.nullable(z.string())), user: z.optional(z.string()) });
const actionRequest = z.object({ post: z.string(), button: z.string(), user: z.string() });
const answerRequest = z.object({ post: z.string(), user: z.string(), body: z.unknown() });
const commandAnswerRequest = z.object({ channel: z.string(), user: z.string(), body: z.unknown() });
/** `root`: the thread's root post, for a reply in a thread. */
const postRequest = z.object({ channel: z.string(), author: z.string(), message: z.string().check(z.minLength(1), z.maxLength(16_383)), root: z.optional(z.string()) });

/** The team as the sandbox seeds it: who and where, for the names Mattermost's client shows. */
export interface MattermostDirectory {
  botId: string;
  channels: readonly { id: string; name: string }[];
  people: readonly { id: string; name: string }[];
}

/** Throws for a request the control server refuses (answered 400). */
type Parse = <T>(schema: z.ZodMiniType<T>, body: unknown) => T;

/** The Mattermost routes, keyed "METHOD path" as sandbox-control.ts keys its own. */
export function mattermostRoutes(mattermost: MattermostEmulator, directory: MattermostDirectory, parse: Parse, refuse: (message: string) => Error): Record<string, (body: unknown) => unknown> {
  // By the emulator's dialog itself, not its index: a reset empties the emulator's list.
  const closed = new WeakSet<object>();
  const person = (id: string) => {
    const found = directory.people.find((candidate) => candidate.id === id);
    if (!found) throw refuse(`no person ${id} in the sandbox's team`);
    return found;
  };
  const post = (id: string) => {
    // An ephemeral post's buttons are pressed as any post's are (the reminder's, shown to the one who asked).
    const found = mattermost.posts.find((candidate) => candidate.id === id);
    if (!found) throw refuse(`no post ${id} in the sandbox's team`);
    return found;
  };
  return {
    "GET /_sandbox/mattermost/state": (): MattermostSandboxState => ({
      botId: directory.botId,
      channels: [...directory.channels],
      people: [...directory.people],
      posts: mattermost.posts.map(({ id, channel_id, user_id, root_id, message, props, ephemeralFor, edited, create_at }) => ({ id, channel_id, user_id, root_id, message, props, ...(ephemeralFor === undefined ? {} : { ephemeralFor }), edited, create_at })),
      dialogs: mattermost.dialogs.map((opened) => ({ userId: opened.userId, url: opened.url, dialog: opened.dialog, ...(closed.has(opened) ? { closed: true as const } : {}) })),
      responses: mattermost.responses.map(({ id, body }) => ({ url: `${mattermost.url}/hooks/commands/${id}`, body })),
      directs: directory.people.flatMap(({ id }) => {
        const channel = mattermost.directChannelOf(id);
        return channel === undefined ? [] : [{ user: id, channel }];
      }),
    }),
    "POST /_sandbox/mattermost/commands": (body) => {
      const { text, user, channel } = parse(commandRequest, body);
      const who = person(user);
      if (!directory.channels.some((candidate) => candidate.id === channel)) throw refuse(`no channel ${channel} in the sandbox's team`);
      return { body: mattermost.commandBody({ text, userId: who.id, userName: who.name, channelId: channel }) };
    },
    "POST /_sandbox/mattermost/submissions": (body) => {
      const { dialog: index, values, user } = parse(submissionRequest, body);
      const dialog = mattermost.dialogs[index];
      if (!dialog) throw refuse(`no dialog ${index} opened in the sandbox's team`);
      return { url: dialog.url, body: mattermost.dialogSubmission(dialog, values, user === undefined ? {} : { userId: person(user).id }) };
    },
    "POST /_sandbox/mattermost/dialogs/close": (body) => {
      const { dialog: index } = parse(closeRequest, body);
      const dialog = mattermost.dialogs[index];
      if (!dialog) throw refuse(`no dialog ${index} opened in the sandbox's team`);
      closed.add(dialog);
      return {};
    },
    "POST /_sandbox/mattermost/actions": (body) => {
      const { post: id, button, user } = parse(actionRequest, body);
      const action = mattermost.actionRequest(post(id), button, { userId: person(user).id });
      if (!action) throw refuse(`no button "${button}" on post ${id}`);
      return action;
    },
    "POST /_sandbox/mattermost/action-answers": (body) => {
      const { post: id, user, body: answer } = parse(answerRequest, body);
      mattermost.receiveActionResponse(post(id), person(user).id, answer);
      return {};
    },
    "POST /_sandbox/mattermost/command-answers": (body) => {
      const { channel, user, body: answer } = parse(commandAnswerRequest, body);
      const made = mattermost.receiveCommandResponse({ channelId: channel, userId: person(user).id, body: answer });
      return made === undefined ? {} : { post: made.id };
    },
    "POST /_sandbox/mattermost/posts": (body) => {
      const { channel, author, message, root } = parse(postRequest, body);
      if (!directory.channels.some((candidate) => candidate.id === channel)) throw refuse(`no channel ${channel} in the sandbox's team`);
      // A reply names its thread's root, which Mattermost requires to be a root post in the same channel.
      if (root !== undefined && !mattermost.posts.some((candidate) => candidate.id === root && candidate.channel_id === channel && candidate.root_id === "" && candidate.ephemeralFor === undefined)) throw refuse(`no post ${root} to reply to in that channel`);
      const written = mattermost.postUserMessage({ channelId: channel, userId: person(author).id, message, ...(root === undefined ? {} : { rootId: root }) });
      return { post: written.id, permalink: mattermost.permalinkOf(written) };
    },
  };
}

/** The control client's Mattermost calls: `call` is the client's checked request. */
export interface MattermostControlClient {
  state(): Promise<MattermostSandboxState>;
  /** `/task <text>` as Mattermost posts it from `channel` for `user`: the form body (the command token, a fresh trigger_id and response_url). */
  commandBody(request: z.infer<typeof commandRequest>): Promise<string>;
  /** The dialog's submission (by its index in `dialogs`) with these values, and where Mattermost posts it. */
  submission(request: z.infer<typeof submissionRequest>): Promise<{ url: string; body: Record<string, unknown> }>;
  /** A button's action (by its name, on a post) as Mattermost posts it, and where. */
  action(request: z.infer<typeof actionRequest>): Promise<{ url: string; body: Record<string, unknown> }>;
  /** The bot's answer to an action, as Mattermost takes it: the post redrawn, the presser told. */
  actionAnswer(request: { post: string; user: string; body: unknown }): Promise<void>;
  /** A command's answer (its HTTP response or a response_url body) shown as Mattermost shows it: a post, ephemeral unless in_channel. */
  commandAnswer(request: z.infer<typeof commandAnswerRequest>): Promise<{ post?: string | undefined }>;
  /** A post a person writes (what `/task remind` then names by its permalink). */
  postMessage(request: z.infer<typeof postRequest>): Promise<{ post: string; permalink: string }>;
  /** Closes dialog `index` (of `dialogs`) for the page and the CLI alike; rejects (the control server's 400) for one never opened. */
  closeDialog(index: number): Promise<void>;
}

type Call = <T>(method: "GET" | "POST", path: string, schema: z.ZodMiniType<T>, body?: unknown) => Promise<T>;

export function mattermostControlClient(call: Call): MattermostControlClient {
  const sent = z.object({ url: z.string(), body: z.record(z.string(), z.unknown()) });
  return {
    state: () => call("GET", "/_sandbox/mattermost/state", mattermostStateSchema),
    commandBody: async (request) => (await call("POST", "/_sandbox/mattermost/commands", z.object({ body: z.string() }), request)).body,
    submission: (request) => call("POST", "/_sandbox/mattermost/submissions", sent, request),
    action: (request) => call("POST", "/_sandbox/mattermost/actions", sent, request),
    actionAnswer: async (request) => void (await call("POST", "/_sandbox/mattermost/action-answers", z.object({}), request)),
    commandAnswer: (request) => call("POST", "/_sandbox/mattermost/command-answers", z.object({ post: z.optional(z.string()) }), request),
    postMessage: (request) => call("POST", "/_sandbox/mattermost/posts", z.object({ post: z.string(), permalink: z.string() }), request),
    closeDialog: async (index) => void (await call("POST", "/_sandbox/mattermost/dialogs/close", z.object({}), { dialog: index })),
  };
}
