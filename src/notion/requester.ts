/**
 * The requester as a board with a Text "Requested by" property holds it: "Bob (U0BOB)", and ", from
 * a message by Alice (U0ALICE)" when someone else wrote the message. The ids make the text
 * searchable (a person's own tasks) and let the bot find whom to tell; people read the names. The
 * one place this text is written, searched and read.
 *
 * A Slack id is written bare, as every board written before other platforms holds it (so no board
 * needs migrating); any other platform's id carries its platform, `Bob (discord:1400000000000000002)`,
 * since a Discord snowflake could not be told from another platform's number.
 */
import type { Platform } from "../chat/model.js";
import type { NewTask, Person } from "../tasks/task.js";

/** A person as requester text names them: their platform and that platform's id. */
export type RequesterId = { platform: Platform; userId: string };

/** The id as the text writes it: `U0BOB` for Slack, `discord:1400000000000000002` for any other platform. */
function idText(person: RequesterId): string {
  return person.platform === "slack" ? person.userId : `${person.platform}:${person.userId}`;
}

/** Writes the requester text for a new task. */
export function describeRequester(task: Pick<NewTask, "requester" | "messageAuthor">): string {
  const person = (p: Person) => `${p.name} (${idText(p)})`;
  const author = task.messageAuthor;
  const from = author && (author.platform !== task.requester.platform || author.userId !== task.requester.userId) ? `, from a message by ${person(author)}` : "";
  return `${person(task.requester)}${from}`;
}

/** What a `rich_text contains` filter looks for to find a person's tasks: `(U0BOB)`, `(discord:1400000000000000002)`. */
export function requesterSearchTerm(person: RequesterId): string {
  return `(${idText(person)})`;
}

/**
 * A Slack id (U…/W…), a Discord one (`discord:` and a snowflake), a Mattermost one (`mattermost:` and
 * 26 letters and digits) or a Teams one (`teams:` and the Bot Framework's `29:…` id, or an Entra
 * object id, a GUID, for a message's author), in parentheses.
 */
const REQUESTER_ID = /\s*\((?:([UW][A-Z0-9]{2,})|discord:(\d{15,21})|mattermost:([a-z0-9]{26})|teams:((?:29:)?[A-Za-z0-9_-]{3,200}))\)/g;

function idsIn(text: string): RequesterId[] {
  return [...text.matchAll(REQUESTER_ID)].map((match) =>
    match[1] !== undefined
      ? { platform: "slack", userId: match[1] }
      : match[2] !== undefined
        ? { platform: "discord", userId: match[2] }
        : match[3] !== undefined
          ? { platform: "mattermost", userId: match[3] }
          : { platform: "teams", userId: match[4]! },
  );
}

/** A person as the board snapshot indexes a text requester: the id as the text writes it (`U0BOB`, `discord:1400…`). */
export function requesterKey(person: RequesterId): string {
  return idText(person);
}

/** Every person requester text names, as requesterKey writes them, in order: the requester's, then a message author's ("Bob (U0BOB), from a message by Alice (U0ALICE)"). */
export function requesterKeys(text: string): string[] {
  return idsIn(text).map(idText);
}

/** Every person requester text names, in order: the requester, then a message author. */
export function requesterIds(text: string): RequesterId[] {
  return idsIn(text);
}

/**
 * Reads requester text back: the names as people read them, the requester (the first id) if any,
 * and their Slack id when they are on Slack.
 */
export function readRequesterText(text: string): { names: string; requester: RequesterId | undefined; slackUserId: string | undefined } {
  const first = idsIn(text)[0];
  return { names: text.replace(REQUESTER_ID, "").trim(), requester: first, slackUserId: first?.platform === "slack" ? first.userId : undefined };
}
