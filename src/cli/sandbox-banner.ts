/** What the sandbox says once it runs: signed requests proving the set-up, then the banner. */
import { createPrivateKey } from "node:crypto";
import { DISCORD_PAYLOADS, discordSignedHeaders } from "../../dev/discord-signed.js";
import type { NotionEmulator } from "../../dev/notion-emulator.js";
import { sendSigned } from "../../dev/signed-request.js";
import { SLACK_SEED, type SlackEmulator } from "../../dev/slack-emulator.js";
import { slashCommandBody } from "../../dev/slack-payloads.js";
import { sandboxDir, showDir, type SandboxFile } from "./sandbox-file.js";
import { SANDBOX_CHANNELS } from "./sandbox-seed.js";
import { addBotToConversations } from "./sandbox-teams.js";

export type Probe = { ok: true } | { ok: false; problem: string };

/**
 * A signed `/task list` through the real function: proves the functions took the sandbox's signing
 * secret and reach the Notion emulator (and not whatever a .env file says).
 */
export async function probeBot(file: SandboxFile, slack: SlackEmulator, notion: NotionEmulator): Promise<Probe> {
  const notionBefore = notion.requests.length;
  const body = slashCommandBody({ workspace: file, text: "list", user: SLACK_SEED.alice, triggerId: slack.triggerId(SLACK_SEED.alice), responseUrl: slack.responseUrl() });
  try {
    const answer = await sendSigned(`${file.functionsUrl}/slack/commands`, body, { secret: file.signingSecret });
    if (answer.status === 401) return { ok: false, problem: "the functions refused the sandbox's signature: SLACK_SIGNING_SECRET comes from somewhere else" };
    if (answer.status !== 200) return { ok: false, problem: `the functions answered ${answer.status}: ${answer.text.slice(0, 200)}` };
    if (notion.requests.length === notionBefore) return { ok: false, problem: "the bot answered without asking the Notion emulator: NOTION_API_URL comes from somewhere else" };
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `the functions did not answer: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * A signed PING to /discord/interactions, as Discord sends one when the Interactions Endpoint URL is
 * saved: proves the functions serve Discord with the session's public key.
 */
export async function probeDiscord(file: SandboxFile): Promise<Probe> {
  const body = JSON.stringify(DISCORD_PAYLOADS.ping());
  try {
    const response = await fetch(file.discord.interactionsUrl, { method: "POST", headers: discordSignedHeaders(body, createPrivateKey(file.discord.privateKey)), body, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (response.status === 404) return { ok: false, problem: "the functions do not serve /discord/interactions" };
    if (response.status === 401) return { ok: false, problem: "the functions refused the sandbox's Discord signature: DISCORD_PUBLIC_KEY comes from somewhere else" };
    if (response.status !== 200 || text.replace(/\s/g, "") !== '{"type":1}') return { ok: false, problem: `the functions answered the PING ${response.status}: ${text.slice(0, 200)}` };
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `the functions did not answer the PING: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * `/task help` as Mattermost posts it, with the command token: proves the functions serve
 * /mattermost/commands with the sandbox's MATTERMOST_COMMAND_TOKEN. Help calls nothing, so the
 * trigger_id and response_url the body carries are never used.
 */
export async function probeMattermost(file: SandboxFile): Promise<Probe> {
  const body = new URLSearchParams({ channel_id: file.mattermost.channels[0]?.id ?? "", command: "/task", text: "help", token: file.mattermost.commandToken, user_id: file.mattermost.people[0]?.id ?? "", user_name: file.mattermost.people[0]?.name ?? "", team_domain: file.mattermost.teamName });
  try {
    const response = await fetch(file.mattermost.commandsUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString(), signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    if (response.status === 404) return { ok: false, problem: "the functions do not serve /mattermost/commands" };
    if (response.status === 401) return { ok: false, problem: "the functions refused the sandbox's command token: MATTERMOST_COMMAND_TOKEN comes from somewhere else" };
    if (response.status !== 200) return { ok: false, problem: `the functions answered /task help ${response.status}: ${text.slice(0, 200)}` };
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `the functions did not answer /task help: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The bot added to each of the tenant's conversations (sandbox-teams.ts), signed as the Bot
 * Connector signs: proves the functions verify with the emulator's keys (TEAMS_OPENID_URL) and
 * serve the sandbox's app id, and leaves the bot holding each conversation's reference, as a real
 * install does, so the weekly review and hearing back reach them.
 */
export async function probeTeams(file: SandboxFile): Promise<Probe> {
  try {
    for (const { conversation, outcome } of await addBotToConversations(file.teams)) {
      if (outcome.status === 404) return { ok: false, problem: "the functions do not serve /teams/messages" };
      if (outcome.status === 401) return { ok: false, problem: "the functions refused the Teams emulator's token: TEAMS_APP_ID or TEAMS_OPENID_URL comes from somewhere else" };
      if (outcome.status !== 200) return { ok: false, problem: `the functions answered the bot's addition to ${conversation.name} ${outcome.status}: ${outcome.text.slice(0, 200)}` };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: `the functions did not answer the bot's addition: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What runs where, whether the start-up checks passed, and commands to try next. */
export function printBanner(
  say: (text?: string) => void,
  input: { dir: string; file: SandboxFile; seeded: boolean; tasks: number; probe: Probe; discordProbe?: Probe; mattermostProbe?: Probe; teamsProbe?: Probe; mattermostPermalink?: string; ignored: string[]; pageUrl?: string },
): void {
  const { file } = input;
  const slackOrigin = file.slackApiUrl.replace(/\/api\/$/, "");
  const dirNote = input.dir === sandboxDir(undefined, {}) ? "" : `SANDBOX_DIR=${showDir(input.dir)} `;
  const slackCommand = `${dirNote}npm run slack --`;
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  say();
  say(`chatops sandbox is running. State: ${showDir(input.dir)}/ (${input.seeded ? "a sample board was just seeded" : "picked up where it left off"}).`);
  say();
  say(`  functions   ${file.functionsUrl}   POST /slack/commands, /slack/interactions, /slack/events, /discord/interactions, /mattermost/commands, /mattermost/actions, /mattermost/dialogs, /teams/messages, /notion/webhooks, /.netlify/functions/weekly-reminder, /.netlify/functions/task-sync`);
  say(`  Slack       ${slackOrigin}   emulator: workspace "${file.teamDomain}", #general, #${SANDBOX_CHANNELS.tasks.name}, @alice, @bob`);
  say(`  Discord     ${file.discord.apiUrl.replace(/\/api\/v10$/, "")}   emulator: a guild with #${file.discord.channels.map((channel) => channel.name).join(", #")}, @alice, @bob; its interactions go to /discord/interactions`);
  say(`  Mattermost  ${file.mattermost.url}   emulator: team "${file.mattermost.teamName}" with ~${file.mattermost.channels.map((channel) => channel.name).join(", ~")}, @${file.mattermost.people.map((person) => person.name).join(", @")}; /task goes to /mattermost/commands`);
  say(`  Teams       ${file.teams.serviceUrl.replace(/\/$/, "")}   emulator: a team's ${file.teams.conversations.filter((c) => c.type === "channel").map((c) => c.name).join(", ")} channel and 1:1 chats with ${file.teams.people.map((person) => person.displayName).join(", ")}; activities go to /teams/messages`);
  say(`  Notion      ${file.notionUrl}   emulator: board "Tasks" with ${input.tasks} tasks; its webhook events go to /notion/webhooks`);
  say(`  control     ${file.controlUrl}   for npm run slack, discord, mattermost and teams`);
  if (input.pageUrl) say(`  page        ${input.pageUrl}   the workspace, the board and the function log, in a browser`);
  say();
  if (input.probe.ok) say("  ✓ a signed /task list went through the functions to the Notion emulator");
  else say(`  ✗ start-up check failed: ${input.probe.problem}`);
  if (input.discordProbe?.ok) say("  ✓ a signed Discord PING was answered {\"type\":1}");
  else if (input.discordProbe) say(`  ✗ Discord's start-up check failed: ${input.discordProbe.problem}`);
  if (input.mattermostProbe?.ok) say("  ✓ Mattermost's /task help went through with the sandbox's command token");
  else if (input.mattermostProbe) say(`  ✗ Mattermost's start-up check failed: ${input.mattermostProbe.problem}`);
  if (input.teamsProbe?.ok) say("  ✓ Teams added the bot to the team's channel and each 1:1 chat, signed with the emulator's key");
  else if (input.teamsProbe) say(`  ✗ Teams' start-up check failed: ${input.teamsProbe.problem}`);
  if (input.ignored.length > 0) say(`  ✓ your .env is ignored here (${input.ignored.length} variables): the sandbox sets every variable itself`);
  say();
  if (input.pageUrl) {
    say(`Open ${input.pageUrl} to click through it as Alice or Bob, on Slack, Discord, Mattermost or Teams, or try, in another terminal:`);
  } else say("Try, in another terminal:");
  const tries: [string, string][] = [
    [`${slackCommand} /task "Fix login"`, "open the form, fill it in, submit it"],
    [`${slackCommand} /task "Fix login" --priority High --due ${inAWeek} --submit`, "the same, without questions"],
    [`${slackCommand} click last --button Start --as bob`, "Bob starts it from the announcement in #tasks: Alice hears back"],
    [`${slackCommand} notion set-status "Fix login" Done`, "someone finishes it in Notion: Alice hears back"],
    [`${slackCommand} shortcut remind_process --text "can someone fix the login page?"`, "Bob asks in #general; Alice reminds him"],
    [`${slackCommand} click last --as bob`, "Bob presses the reminder's button"],
    [`${slackCommand} shortcut create_task --text "the CSV export times out"`, "turn a message into a task"],
    [`${slackCommand} review`, "post the weekly review now"],
    [`${slackCommand} /task list`, "and /task help, /task review"],
    [`${slackCommand} home`, "Alice's Home tab: her requests and what is assigned to her"],
    [`${slackCommand} mention "list"`, "@chatops list in #general, answered in the thread (or any other text: offered as a task)"],
    [`${slackCommand} state`, "the board and the latest messages"],
  ];
  const mattermostCommand = `${dirNote}npm run mattermost --`;
  tries.push(
    [`${mattermostCommand} /task "Fix login" --priority High --due ${inAWeek}`, "on Mattermost: the dialog, filled and submitted"],
    ...(input.mattermostPermalink ? ([[`${mattermostCommand} /task remind ${input.mattermostPermalink}`, "remind Bob of the process in his post's thread"]] as [string, string][]) : []),
    [`${mattermostCommand} click Start --as bob`, "Bob starts it from the announcement in ~tasks"],
  );
  const teamsCommand = `${dirNote}npm run teams --`;
  tries.push(
    [`${teamsCommand} task "Fix login"`, "on Teams: the card whose button opens the form; then open, and submit --priority High"],
    [`${teamsCommand} click Start`, "start it from the confirmation in Alice's chat"],
  );
  for (const [command, what] of tries) say(`  ${command}\n      ${what}`);
  say();
  say(`Ctrl-C stops everything; the state stays in ${showDir(input.dir)}/ (npm run sandbox -- --reset starts over).`);
  say();
}
