/**
 * What the bot posted on the sandbox's other platforms while `npm run slack` acted: the weekly review
 * goes to every platform that is on, and a requester hears back where they asked. `npm run slack`
 * shows Slack's, and names the others' with the CLI that shows them.
 */
import type { Platform } from "../chat/model.js";
import { platformName } from "../chat/platform-name.js";
import type { SandboxControlClient } from "./sandbox-control.js";

export type OtherPlatform = Exclude<Platform, "slack">;
const OTHERS: readonly OtherPlatform[] = ["discord", "mattermost", "teams"];

/** How many messages each other platform's emulator holds (the bot's and people's, direct ones included). */
export type MessageCounts = Readonly<Record<OtherPlatform, number>>;

/** Each other platform's message count, now. */
export async function countElsewhere(control: Pick<SandboxControlClient, "discord" | "mattermost" | "teams">): Promise<MessageCounts> {
  const [discord, mattermost, teams] = await Promise.all([control.discord.state(), control.mattermost.state(), control.teams.state()]);
  return { discord: discord.messages.length, mattermost: mattermost.posts.length, teams: teams.messages.length };
}

/** The platforms that got a message between `before` and `after`, in a fixed order. */
export function postedElsewhere(before: MessageCounts, after: MessageCounts): OtherPlatform[] {
  return OTHERS.filter((platform) => after[platform] > before[platform]);
}

/** One line naming where else the bot posted, and how to see it; none when it posted nowhere else. */
export function elsewhereLine(platforms: readonly OtherPlatform[]): string[] {
  if (platforms.length === 0) return [];
  const names = platforms.map(platformName);
  const listed = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
  return [`The bot posted on ${listed} too: ${platforms.map((platform) => `npm run ${platform} -- state`).join(", ")} ${platforms.length === 1 ? "shows it" : "show them"}.`];
}
