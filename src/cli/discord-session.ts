/**
 * What every `npm run discord` command works with: the link to Discord (the sandbox's, or a test's),
 * the flags, how to speak and ask; and who, where and which button a flag names.
 */
import { didYouMean } from "./closest.js";
import { DISCORD_FIELD_FLAGS, UsageError, type DiscordFlags } from "./discord-arguments.js";
import type { GuildMessage, GuildState, Named } from "./discord-print.js";
import type { SandboxPage } from "./sandbox-control.js";
import type { DiscordAct, DiscordOutcome } from "./sandbox-discord.js";

/**
 * What the CLI needs of a running Discord (the sandbox's emulator and functions): the guild's state,
 * a person's message, an act sent signed, and a counter to wait for quiet. discord-link.ts builds it
 * from the sandbox file; a test builds it over the handler directly.
 */
export interface DiscordLink {
  state(): Promise<GuildState>;
  postMessage(message: { channel: string; author: string; content: string }): Promise<GuildMessage>;
  send(act: DiscordAct): Promise<DiscordOutcome>;
  /** A counter that moves on every emulator call; `busy`, when the functions can say, is their work under way. */
  activity(): Promise<{ activity: number; busy?: number | undefined }>;
  /** The board's pages, to show what landed in Notion. */
  pages(): Promise<SandboxPage[]>;
}

/** One command's run: the link, its flags, and how it speaks and asks. */
export interface Run {
  link: DiscordLink;
  flags: DiscordFlags;
  quietMs: number;
  say: (text?: string) => void;
  ask: ((question: string) => Promise<string>) | undefined;
}

/** The guild's person named by name or id (a leading @ allowed); rejects with a UsageError naming those there are. */
export function person(state: GuildState, wanted: string): Named {
  const key = wanted.replace(/^@/, "").toLowerCase();
  const found = state.people.find((p) => p.id === key || p.name.toLowerCase() === key);
  if (!found) throw new UsageError(`No person ${wanted} in the sandbox's guild: ${state.people.map((p) => p.name).join(", ")}.${didYouMean(key, state.people.map((p) => p.name))}`);
  return found;
}

/** The guild's channel named by name or id (a leading # allowed); rejects with a UsageError naming those there are. */
export function place(state: GuildState, wanted: string): Named {
  const key = wanted.replace(/^#/, "").toLowerCase();
  const found = state.channels.find((c) => c.id === key || c.name.toLowerCase() === key);
  if (!found) throw new UsageError(`No channel ${wanted} in the sandbox's guild: ${state.channels.map((c) => c.name).join(", ")}.${didYouMean(key, state.channels.map((c) => c.name))}`);
  return found;
}

/** A button by its number (from 1), else its label (case aside), else part of its label. */
export function pick<T extends { label: string }>(buttons: readonly T[], wanted: string): T | undefined {
  if (/^\d+$/.test(wanted)) return buttons[Number(wanted) - 1];
  const lower = wanted.toLowerCase();
  return buttons.find((b) => b.label.toLowerCase() === lower) ?? buttons.find((b) => b.label.toLowerCase().includes(lower));
}

/** Form flags where no form will open are refused before anything is sent. */
export function refuseFormFlags(run: Run, what: string): void {
  const given = ([...DISCORD_FIELD_FLAGS, "submit", "no-submit"] as const).filter((name) => run.flags[name] !== undefined);
  if (given.length > 0) throw new UsageError(`${what} opens no form: ${given.map((name) => `--${name}`).join(", ")} would have nothing to fill or submit.`);
}
