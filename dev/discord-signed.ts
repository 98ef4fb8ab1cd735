/**
 * Interactions signed exactly as Discord signs them (Ed25519 over X-Signature-Timestamp + the raw
 * body), with a real key pair, for the handlers in process and a served bot; and interaction bodies
 * in the shapes Discord's docs show (interactions/receiving-and-responding), trimmed.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { DISCORD_SEED } from "./discord-emulator.js";

export interface DiscordKeyPair {
  privateKey: KeyObject;
  /** As the Developer Portal shows it and DISCORD_PUBLIC_KEY holds it: 64 hex characters. */
  publicKeyHex: string;
}

/** A fresh Ed25519 key pair; the public key in the Developer Portal's hex form. */
export function discordKeyPair(): DiscordKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  return { privateKey, publicKeyHex: Buffer.from(jwk.x ?? "", "base64url").toString("hex") };
}

/** The headers Discord sends: X-Signature-Ed25519 (hex) and X-Signature-Timestamp (seconds). */
export function discordSignedHeaders(body: string | Uint8Array, privateKey: KeyObject, options: { timestamp?: number } = {}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const signature = sign(null, Buffer.concat([Buffer.from(timestamp, "utf8"), bytes]), privateKey).toString("hex");
  return { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** A signed POST of an interaction's JSON, for calling a handler in process; `headers` are added last (to break them). */
export function signedInteraction(body: string, privateKey: KeyObject, options: { timestamp?: number; url?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(options.url ?? "http://localhost/discord/interactions", {
    method: "POST",
    headers: { ...discordSignedHeaders(body, privateKey, options), ...options.headers },
    body,
  });
}

/** A user as an interaction carries it (`member.user`, a message's `author`). */
export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: "0";
  avatar: null;
}

/** A user of the emulated guild: `name` is the username, shown capitalised as the display name. */
export function discordUser(id: string, name: string): DiscordUser {
  return { id, username: name, global_name: name.charAt(0).toUpperCase() + name.slice(1), discriminator: "0", avatar: null };
}

const alice = discordUser(DISCORD_SEED.alice, "alice");

/** Who acts and where, when not Alice in #general (the sandbox's people and channels). */
export interface InteractionOrigin {
  user?: DiscordUser | undefined;
  /** Another person by id alone, shown as Bob (`user` says more). */
  actorId?: string | undefined;
  channelId?: string | undefined;
  channelName?: string | undefined;
}

/** What every interaction in a guild carries (the docs' example, trimmed). */
function guildBase(interaction: { id: string; token: string }, origin: InteractionOrigin = {}) {
  const channelId = origin.channelId ?? DISCORD_SEED.general;
  const user = origin.user ?? (origin.actorId === undefined ? alice : discordUser(origin.actorId, "bob"));
  return {
    id: interaction.id,
    application_id: DISCORD_SEED.applicationId,
    token: interaction.token,
    version: 1,
    guild_id: DISCORD_SEED.guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0, name: origin.channelName ?? "general" },
    member: { user, nick: null, roles: [], permissions: "2248473465835073", joined_at: "2026-01-01T00:00:00.000000+00:00" },
    app_permissions: "2248473465835073",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { "0": DISCORD_SEED.guildId },
    context: 0,
  };
}

export const DISCORD_PAYLOADS = {
  ping: () => ({ id: "1500000000000000001", application_id: DISCORD_SEED.applicationId, type: 1, token: "ping-token", version: 1 }),
  /** `/task` with its `text` option, or none. */
  taskCommand: (interaction: { id: string; token: string }, text?: string, origin?: InteractionOrigin) => ({
    ...guildBase(interaction, origin),
    type: 2,
    data: { id: "1600000000000000001", name: "task", type: 1, ...(text === undefined ? {} : { options: [{ name: "text", type: 3, value: text }] }) },
  }),
  /** A MESSAGE command on a message, resolved as Discord sends it: in #general by Alice unless `origin` says another channel or person. */
  messageCommand: (interaction: { id: string; token: string }, name: string, message: { id: string; content: string; authorId?: string; author?: DiscordUser; bot?: boolean }, origin?: InteractionOrigin) => ({
    ...guildBase(interaction, origin),
    type: 2,
    data: {
      id: "1600000000000000002",
      name,
      type: 3,
      target_id: message.id,
      resolved: {
        messages: {
          [message.id]: {
            id: message.id,
            channel_id: origin?.channelId ?? DISCORD_SEED.general,
            content: message.content,
            author: { ...(message.author ?? { id: message.authorId ?? DISCORD_SEED.bob, username: "bob", global_name: "Bob", discriminator: "0", avatar: null }), ...(message.bot ? { bot: true } : {}) },
            timestamp: "2026-12-06T12:00:00.000000+00:00",
            type: 0,
            mentions: [],
            attachments: [],
            embeds: [],
            pinned: false,
            tts: false,
            mention_everyone: false,
            flags: 0,
          },
        },
      },
    },
  }),
  /** A button press on a message (the message as the emulator holds it, when given). */
  buttonPress: (interaction: { id: string; token: string }, customId: string, message: { id: string; flags?: number; content?: string; components?: unknown[] }, origin?: InteractionOrigin) => ({
    ...guildBase(interaction, origin),
    type: 3,
    data: { custom_id: customId, component_type: 2 },
    message: { id: message.id, channel_id: origin?.channelId ?? DISCORD_SEED.general, content: message.content ?? "", components: message.components ?? [], flags: message.flags ?? 0, type: 0, author: { id: DISCORD_SEED.botUserId, username: "chatops", bot: true } },
  }),
  /** A modal submitted: each input inside its Label, as Discord sends Label modals back. */
  modalSubmit: (interaction: { id: string; token: string }, customId: string, inputs: readonly ({ id: string; value: string } | { id: string; values: string[] })[], origin?: InteractionOrigin) => ({
    ...guildBase(interaction, origin),
    type: 5,
    data: {
      custom_id: customId,
      components: inputs.map((input, index) => ({
        type: 18,
        id: index + 1,
        component: "value" in input ? { type: 4, id: index + 10, custom_id: input.id, value: input.value } : { type: 3, id: index + 10, custom_id: input.id, values: input.values },
      })),
    },
  }),
};
