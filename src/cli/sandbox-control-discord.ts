/**
 * The control server's Discord endpoints (sandbox-control.ts serves them): what only Discord itself
 * could do, for the sandbox's page and a Discord CLI in another process. Discord mints each
 * interaction's id and token, takes the bot's HTTP answer as the interaction's first response, and
 * holds the messages people write; the emulator does each, and this reads it back.
 *
 *   GET  /_sandbox/discord/state          the guild: channels, people, DMs, messages, interactions, commands
 *   POST /_sandbox/discord/messages       { channel, author, content }                    -> { message }
 *   POST /_sandbox/discord/interactions   { type, channel, user, message?, name? }       -> { interaction: { id, token } }
 *   POST /_sandbox/discord/answers        { id, token, body }: the bot's HTTP answer      -> { refused?: { code, message } } (Discord's verdict)
 */
import * as z from "zod/mini";
import type { DiscordEmulator, EmulatedMessage } from "../../dev/discord-emulator.js";

const named = z.object({ id: z.string(), name: z.string() });

export const discordMessageSchema = z.object({
  id: z.string(),
  channel: z.string(),
  /** The author's user id (the bot's for the bot's messages). */
  author: z.string(),
  content: z.string(),
  components: z.array(z.unknown()),
  flags: z.number(),
  /** The message it replies to (message_reference). */
  replyTo: z.optional(z.string()),
  edited: z.boolean(),
  /** An interaction's response or follow-up: which interaction (its user sees an ephemeral one). */
  interaction: z.optional(z.string()),
});
export type DiscordSandboxMessage = z.infer<typeof discordMessageSchema>;

const interactionSchema = z.object({
  id: z.string(),
  token: z.string(),
  /** 2 a command, 3 a component, 5 a modal submitted. */
  type: z.number(),
  channel: z.string(),
  user: z.string(),
  /** A component's message. */
  message: z.optional(z.string()),
  /** What was used, as Discord's client names it ("/task", "Remind of process", a button's label). */
  name: z.optional(z.string()),
  /** The first response, once Discord has one. */
  response: z.optional(z.record(z.string(), z.unknown())),
  /** When it was issued, ms since the epoch. */
  at: z.number(),
});
export type DiscordSandboxInteraction = z.infer<typeof interactionSchema>;

export const discordStateSchema = z.object({
  guild: named,
  botId: z.string(),
  channels: z.array(named),
  people: z.array(named),
  /** Each person's DM channel with the bot, once the bot opened one. */
  dms: z.array(z.object({ user: z.string(), channel: z.string() })),
  messages: z.array(discordMessageSchema),
  interactions: z.array(interactionSchema),
  /** The application's commands as registered, global and the guild's (the bulk overwrite's body, with ids). */
  commands: z.array(z.unknown()),
});
export type DiscordSandboxState = z.infer<typeof discordStateSchema>;

const messageRequest = z.object({ channel: z.string(), author: z.string(), content: z.string().check(z.minLength(1), z.maxLength(2_000)) });
const interactionRequest = z.object({ type: z.union([z.literal(2), z.literal(3), z.literal(5)]), channel: z.string(), user: z.string(), message: z.optional(z.string()), name: z.optional(z.string()) });
const answerRequest = z.object({ id: z.string(), token: z.string(), body: z.unknown() });

/** The guild as the sandbox seeds it: who and where, for the names Discord's client shows. */
export interface DiscordDirectory {
  guild: { id: string; name: string };
  botId: string;
  channels: readonly { id: string; name: string }[];
  people: readonly { id: string; name: string }[];
}

/** Throws for a request the control server refuses (answered 400). */
type Parse = <T>(schema: z.ZodMiniType<T>, body: unknown) => T;

/** The Discord routes, keyed "METHOD path" as sandbox-control.ts keys its own. */
export function discordRoutes(discord: DiscordEmulator, directory: DiscordDirectory, parse: Parse, refuse: (message: string) => Error): Record<string, (body: unknown) => unknown> {
  const names = new Map<string, string>();
  const message = (m: EmulatedMessage): DiscordSandboxMessage => {
    const interaction = m.interaction_token === undefined ? undefined : discord.interactions.find((candidate) => candidate.token === m.interaction_token);
    return {
      id: m.id,
      channel: m.channel_id,
      author: m.author_id,
      content: m.content,
      components: m.components,
      flags: m.flags,
      ...(m.message_reference ? { replyTo: m.message_reference.message_id } : {}),
      edited: m.edited,
      ...(interaction ? { interaction: interaction.id } : {}),
    };
  };
  const knownChannel = (id: string) => directory.channels.some((channel) => channel.id === id) || [...discord.directMessages().values()].includes(id);
  return {
    "GET /_sandbox/discord/state": (): DiscordSandboxState => ({
      guild: directory.guild,
      botId: directory.botId,
      channels: [...directory.channels],
      people: [...directory.people],
      dms: [...discord.directMessages()].map(([user, channel]) => ({ user, channel })),
      messages: discord.messages.map(message),
      interactions: discord.interactions.map((i) => ({
        id: i.id,
        token: i.token,
        type: i.type,
        channel: i.channelId,
        user: i.userId,
        ...(i.messageId === undefined ? {} : { message: i.messageId }),
        ...(names.has(i.id) ? { name: names.get(i.id) } : {}),
        ...(i.response === undefined ? {} : { response: i.response }),
        at: i.issuedAt,
      })),
      // The sandbox registers them for its guild (they apply at once there); global ones too, should a CLI register those.
      commands: [...discord.commands(), ...discord.commands(directory.guild.id)],
    }),
    "POST /_sandbox/discord/messages": (body) => {
      const { channel, author, content } = parse(messageRequest, body);
      if (!knownChannel(channel)) throw refuse(`no channel ${channel} in the sandbox's guild`);
      if (!directory.people.some((person) => person.id === author)) throw refuse(`no person ${author} in the sandbox's guild`);
      return { message: message(discord.postUserMessage({ channelId: channel, authorId: author, content })) };
    },
    "POST /_sandbox/discord/interactions": (body) => {
      const request = parse(interactionRequest, body);
      if (!knownChannel(request.channel)) throw refuse(`no channel ${request.channel} in the sandbox's guild`);
      if (request.message !== undefined && !discord.messages.some((m) => m.id === request.message)) throw refuse(`no message ${request.message} in the sandbox's guild`);
      const issued = discord.issueInteraction({ type: request.type, channelId: request.channel, userId: request.user, ...(request.message === undefined ? {} : { messageId: request.message }) });
      if (request.name !== undefined) names.set(issued.id, request.name);
      return { interaction: { id: issued.id, token: issued.token } };
    },
    "POST /_sandbox/discord/answers": (body) => {
      const { id, token, body: answer } = parse(answerRequest, body);
      const refused = discord.receiveHttpResponse({ id, token }, answer);
      return refused === undefined ? {} : { refused };
    },
  };
}

/** The control client's Discord calls: `call` is the client's checked request. */
export interface DiscordControlClient {
  state(): Promise<DiscordSandboxState>;
  /** A message a person writes in a channel (the one a message command is then used on). */
  postMessage(message: { channel: string; author: string; content: string }): Promise<DiscordSandboxMessage>;
  /** An interaction's id and token, as Discord mints them for a delivery. */
  issueInteraction(request: z.infer<typeof interactionRequest>): Promise<{ id: string; token: string }>;
  /** The bot's HTTP answer, as Discord takes it as the first response: `refused` is Discord's error when it does not. */
  answer(request: { id: string; token: string; body: unknown }): Promise<{ refused?: { code: number; message: string } | undefined }>;
}

type Call = <T>(method: "GET" | "POST", path: string, schema: z.ZodMiniType<T>, body?: unknown) => Promise<T>;

export function discordControlClient(call: Call): DiscordControlClient {
  return {
    state: () => call("GET", "/_sandbox/discord/state", discordStateSchema),
    postMessage: async (message) => (await call("POST", "/_sandbox/discord/messages", z.object({ message: discordMessageSchema }), message)).message,
    issueInteraction: async (request) => (await call("POST", "/_sandbox/discord/interactions", z.object({ interaction: z.object({ id: z.string(), token: z.string() }) }), request)).interaction,
    answer: (request) => call("POST", "/_sandbox/discord/answers", z.object({ refused: z.optional(z.object({ code: z.number(), message: z.string() })) }), request),
  };
}
