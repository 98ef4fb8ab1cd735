/**
 * The Discord variables as the CLIs read them (discord:register, doctor): each one's rule and where a
 * person finds its value, every problem said without the value. Discord is on when any of its three
 * required variables is set; then all three are needed.
 */
import type { EnvSource } from "../env.js";

/** Discord's ids are snowflakes: 64-bit integers written in decimal (17 to 20 digits today). */
export const SNOWFLAKE = /^\d{17,20}$/;

export const DISCORD_REQUIRED = ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"] as const;
export const DISCORD_OPTIONAL = ["DISCORD_API_URL", "DISCORD_REVIEW_CHANNEL_ID", "DISCORD_TASKS_CHANNEL_ID", "DISCORD_ALLOWED_GUILD_IDS"] as const;
export type DiscordVariable = (typeof DISCORD_REQUIRED)[number] | (typeof DISCORD_OPTIONAL)[number];

/** Each variable's rule (undefined when the value is good) and where its value is found. */
const RULES: Record<DiscordVariable, { check: (value: string) => string | undefined; where: string }> = {
  DISCORD_APPLICATION_ID: {
    check: (value) => (SNOWFLAKE.test(value) ? undefined : "must be an application id: 17 to 20 digits"),
    where: "Discord Developer Portal -> your application -> General Information -> Application ID",
  },
  DISCORD_PUBLIC_KEY: {
    check: (value) => (/^[0-9a-f]{64}$/i.test(value) ? undefined : "must be the public key as the Developer Portal shows it: 64 hex characters"),
    where: "Discord Developer Portal -> your application -> General Information -> Public Key",
  },
  DISCORD_BOT_TOKEN: {
    // "Bot " is the Authorization header's word, not the token's; the token's own form is Discord's to change.
    check: (value) => (/^Bot\s/i.test(value) ? 'must be the token alone, without "Bot "' : /\s/.test(value) ? "holds a space: copy the token again" : undefined),
    where: "Discord Developer Portal -> your application -> Bot -> Reset Token (shown once)",
  },
  DISCORD_API_URL: {
    check: (value) => {
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) return "must be an http(s) URL";
      return value.endsWith("/") ? "must not end with a slash" : undefined;
    },
    where: "optional: only to point the bot at a Discord emulator or proxy (default https://discord.com/api/v10)",
  },
  DISCORD_REVIEW_CHANNEL_ID: {
    check: (value) => (SNOWFLAKE.test(value) ? undefined : "must be a channel id: 17 to 20 digits"),
    where: "optional: right-click the channel -> Copy Channel ID (Discord settings -> Advanced -> Developer Mode on)",
  },
  DISCORD_TASKS_CHANNEL_ID: {
    check: (value) => (SNOWFLAKE.test(value) ? undefined : "must be a channel id: 17 to 20 digits"),
    where: "optional: right-click the channel -> Copy Channel ID (Discord settings -> Advanced -> Developer Mode on)",
  },
  DISCORD_ALLOWED_GUILD_IDS: {
    check: (value) => (splitIds(value).every((id) => SNOWFLAKE.test(id)) ? undefined : "must be comma-separated server ids: 17 to 20 digits each"),
    where: "optional: right-click the server icon -> Copy Server ID, comma-separated",
  },
};

export interface DiscordSettings {
  applicationId: string | undefined;
  publicKey: string | undefined;
  botToken: string | undefined;
  apiUrl: string | undefined;
  reviewChannelId: string | undefined;
  tasksChannelId: string | undefined;
  allowedGuildIds: string[];
}

export interface DiscordProblem {
  name: DiscordVariable;
  /** "DISCORD_BOT_TOKEN is missing": never the value. */
  problem: string;
  fix: string;
}

/** Whether any of Discord's three required variables is set: then Discord is meant to be on. */
export function isDiscordConfigured(source: EnvSource): boolean {
  return DISCORD_REQUIRED.some((name) => source[name]?.trim());
}

/** Reads every Discord variable; a missing required one or a malformed one is a problem, and left undefined. */
export function readDiscordSettings(source: EnvSource, required: readonly DiscordVariable[] = DISCORD_REQUIRED): { settings: DiscordSettings; problems: DiscordProblem[] } {
  const problems: DiscordProblem[] = [];
  const value = (name: DiscordVariable): string | undefined => {
    const raw = source[name]?.trim();
    const rule = RULES[name];
    if (!raw) {
      if (required.includes(name)) problems.push({ name, problem: `${name} is missing`, fix: rule.where });
      return undefined;
    }
    const problem = rule.check(raw);
    if (problem === undefined) return raw;
    problems.push({ name, problem: `${name} ${problem}`, fix: rule.where.replace(/^optional: /, "correct it or leave it unset; ") });
    return undefined;
  };
  const settings: DiscordSettings = {
    applicationId: value("DISCORD_APPLICATION_ID"),
    publicKey: value("DISCORD_PUBLIC_KEY"),
    botToken: value("DISCORD_BOT_TOKEN"),
    apiUrl: value("DISCORD_API_URL"),
    reviewChannelId: value("DISCORD_REVIEW_CHANNEL_ID"),
    tasksChannelId: value("DISCORD_TASKS_CHANNEL_ID"),
    allowedGuildIds: splitIds(value("DISCORD_ALLOWED_GUILD_IDS") ?? ""),
  };
  return { settings, problems };
}

function splitIds(value: string): string[] {
  return value.split(",").map((part) => part.trim()).filter((part) => part.length > 0);
}
