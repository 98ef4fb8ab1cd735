/**
 * One activity sent as the Bot Connector sends it to the sandbox's functions, for the sandbox and
 * a Teams CLI alike: the Activity's envelope as Teams fills it (serviceUrl, channelId `msteams`,
 * from, conversation with its tenant, recipient the bot), signed as the Bot Connector signs it (an
 * RS256 JWT from the emulator's key, its `serviceurl` claim the activity's), POSTed to
 * /teams/messages; an invoke's answer comes back in the HTTP response, as Teams' client takes it.
 */
import { createPrivateKey, randomUUID } from "node:crypto";
import { connectorClaims, signJwt } from "../../dev/teams-signed.js";
import type { SandboxFile } from "./sandbox-file.js";

type TeamsSection = SandboxFile["teams"];
export type TeamsPerson = TeamsSection["people"][number];
export type TeamsConversation = TeamsSection["conversations"][number];

/** What came of an activity: the functions' HTTP status and answer (its JSON, when it was). */
export interface TeamsOutcome {
  status: number;
  answer: Record<string, unknown> | undefined;
  text: string;
}

/** How long the CLI waits for the functions' answer (netlify dev's first request builds the function); Teams itself gives up at 15 s. */
const ANSWER_WAIT_MS = 60_000;

/** An invoke's id as Teams makes them (`f:` and a GUID): unique, so no two acts are taken for one. */
export const invokeId = () => `f:${randomUUID()}`;

/** The Activity envelope from `from` in `conversation` (its full id: a channel thread's `;messageid=` included), with `fields` on top. */
export function teamsActivity(teams: TeamsSection, from: TeamsPerson, conversation: { id: string; type: string }, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: invokeId(),
    timestamp: new Date().toISOString(),
    serviceUrl: teams.serviceUrl,
    channelId: "msteams",
    from: { id: from.id, name: from.displayName, aadObjectId: from.aadObjectId },
    conversation: { id: conversation.id, conversationType: conversation.type, tenantId: teams.tenantId },
    recipient: { id: `28:${teams.appId}`, name: "chatops" },
    channelData: { tenant: { id: teams.tenantId }, ...(conversation.type === "channel" ? { channel: { id: conversation.id.split(";messageid=")[0] } } : {}) },
    locale: "en-US",
    ...fields,
  };
}

/** Signs `activity` with the emulator's key as the Bot Connector does and POSTs it; rejects with the transport's error when the functions do not answer. */
export async function sendTeamsActivity(teams: TeamsSection, activity: Record<string, unknown>): Promise<TeamsOutcome> {
  const token = signJwt(connectorClaims(teams.appId, teams.serviceUrl, Date.now()), { kid: teams.keyId, privateKey: createPrivateKey(teams.privateKey) });
  const response = await fetch(teams.messagesUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(ANSWER_WAIT_MS),
  });
  const text = await response.text();
  let answer: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    answer = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    answer = undefined;
  }
  return { status: response.status, answer, text };
}

/**
 * The bot added to every conversation of the sandbox's tenant, as installing the app does: a
 * `conversationUpdate` with the bot in `membersAdded`, from the person whose chat it is (Alice for
 * the channel), through the real function, which keeps the conversation's reference for what it
 * says there later unasked (the weekly review, a requester hearing back). Returns each one's
 * outcome; rejects with the transport's error when the functions do not answer.
 */
export async function addBotToConversations(teams: TeamsSection): Promise<{ conversation: TeamsConversation; outcome: TeamsOutcome }[]> {
  const results: { conversation: TeamsConversation; outcome: TeamsOutcome }[] = [];
  for (const conversation of teams.conversations) {
    const from = teams.people.find((person) => person.name === conversation.name) ?? teams.people[0]!;
    const activity = teamsActivity(teams, from, conversation, { type: "conversationUpdate", membersAdded: [{ id: `28:${teams.appId}` }] });
    results.push({ conversation, outcome: await sendTeamsActivity(teams, activity) });
  }
  return results;
}
