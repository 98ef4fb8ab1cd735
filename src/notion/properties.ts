/** Task <-> Notion property values. Nothing outside src/notion sees these shapes. */
import type { BlockObjectRequest, CreatePageParameters, PageObjectResponse } from "@notionhq/client";
import type { NewTask, Task } from "../tasks/task.js";
import { splitIntoUnits } from "../text.js";
import type { Board } from "./board.js";
import { platformName, platformOfRequestKey } from "../chat/platform-name.js";
import { describeRequester, readRequesterText } from "./requester.js";

/** Notion refuses a rich text item longer than this many UTF-16 code units. */
export const RICH_TEXT_MAX = 2_000;
/** Notion accepts at most this many blocks in one create or append call. */
export const BLOCKS_PER_REQUEST = 100;

type PropertyValues = NonNullable<CreatePageParameters["properties"]>;
type PropertyValue = PropertyValues[string];

/** The page properties for a new task: only those the board has, each in the board's type. */
export function toNotionProperties(task: NewTask, board: Board, options: { requesterNotionId?: string | undefined } = {}): PropertyValues {
  const properties: PropertyValues = { [board.title]: { title: richText(task.title) } };
  const set = (name: string | undefined, value: PropertyValue | undefined) => {
    if (name !== undefined && value !== undefined) properties[name] = value;
  };
  if (board.status?.initial) set(board.status.name, choice(board.status.type, board.status.initial));
  if (board.priority && task.priority) set(board.priority.name, choice(board.priority.type, task.priority));
  if (board.due && task.due) set(board.due.name, { date: { start: task.due } });
  if (board.requester) {
    if (board.requester.type === "people") {
      if (options.requesterNotionId) set(board.requester.name, { people: [{ id: options.requesterNotionId }] });
    } else {
      set(board.requester.name, { rich_text: richText(describeRequester(task)) });
    }
  }
  if (board.slackLink && task.link) {
    set(board.slackLink.name, board.slackLink.type === "url" ? { url: task.link } : { rich_text: richText(task.link) });
  }
  if (board.requestId) set(board.requestId.name, { rich_text: richText(task.requestKey) });
  return properties;
}

/**
 * The page body: the description as paragraphs (split at blank lines, line breaks kept), each cut
 * into rich text items Notion accepts. `extraLines` go first, such as the requester when the board
 * has nowhere else to keep them; `requestKey`, when given, is marked on the last line (requestMark).
 * At most BLOCKS_PER_REQUEST blocks, so the page and its whole body are one pages.create: a body
 * appended in a second request could fail after the page exists, leaving a task that is saved but
 * cut short (or, for the mark, a page that cannot be told apart).
 */
export function toPageBody(description: string, extraLines: string[] = [], options: { requestKey?: string | undefined } = {}): BlockObjectRequest[] {
  const paragraphs = [...extraLines, ...description.split(/\n\s*\n/)]
    .map((text) => text.replace(/^\n+|\n+$/g, ""))
    .filter((text) => text.trim().length > 0);
  const room = options.requestKey === undefined ? BLOCKS_PER_REQUEST : BLOCKS_PER_REQUEST - 1;
  // Past the limit, the last block holds the rest, its paragraphs still apart (a description is at
  // most 3,000 characters: a couple of rich text items).
  const fitted = paragraphs.length <= room ? paragraphs : [...paragraphs.slice(0, room - 1), paragraphs.slice(room - 1).join("\n\n")];
  const blocks: BlockObjectRequest[] = fitted.map((text) => ({ object: "block", type: "paragraph", paragraph: { rich_text: richText(text) } }));
  return options.requestKey === undefined ? blocks : [...blocks, requestMark(options.requestKey)];
}

/**
 * The line that tells one request's page from every other on a board without a Request ID property:
 * "Saved from Slack · request slack-view:V0123ABCD", in grey, last in the body. Written in the same
 * pages.create as the page, so a page that exists carries it; read back (isRequestMark) when Notion's
 * answer to that create was lost. The key is a form's instance (a Slack view id, a Discord interaction
 * id), never anything a person typed.
 */
export function requestMark(requestKey: string): BlockObjectRequest {
  return { object: "block", type: "paragraph", paragraph: { rich_text: [{ type: "text", text: { content: requestMarkText(requestKey) }, annotations: { color: "gray" } }] } };
}

/** Whether a block of a page's body, as blocks.children.list returns it, is `requestKey`'s mark: the whole line, so V1 is not V12. */
export function isRequestMark(block: { type?: string; paragraph?: { rich_text: Array<{ plain_text: string }> } }, requestKey: string): boolean {
  return block.type === "paragraph" && block.paragraph !== undefined && block.paragraph.rich_text.map((item) => item.plain_text).join("").trim() === requestMarkText(requestKey);
}

/** "Saved from Slack · request slack-view:V1", "Saved from Discord · request discord-modal:1…": the platform read off the key, so the mark is known from the key alone. */
function requestMarkText(requestKey: string): string {
  return `Saved from ${platformName(platformOfRequestKey(requestKey) ?? "slack")} · request ${requestKey}`;
}

/** Text as rich text items, each within Notion's 2,000-unit limit (UTF-16 code units, as Notion counts). */
export function richText(text: string): Array<{ type: "text"; text: { content: string } }> {
  return splitIntoUnits(text, RICH_TEXT_MAX).map((content) => ({ type: "text", text: { content } }));
}

function choice(type: "status" | "select", name: string): PropertyValue {
  return type === "status" ? { status: { name } } : { select: { name } };
}

/** A page's bare URL from its id (dashed or not): it opens the page whatever its title (the slugged URL Notion gives holds the title). */
export function pageUrl(pageId: string): string {
  return `https://www.notion.so/${pageId.replaceAll("-", "")}`;
}

/** Reads a page into a Task; a deleted or empty property reads as unknown, never as an error. */
export function fromNotionPage(page: Pick<PageObjectResponse, "id" | "url" | "created_time" | "properties">, board: Board): Task {
  const property = (name: string | undefined) => (name === undefined ? undefined : page.properties[name]);
  return {
    id: page.id,
    url: page.url,
    title: propertyText(property(board.title)) || "Untitled",
    status: propertyText(property(board.status?.name)) || undefined,
    priority: propertyText(property(board.priority?.name)) || undefined,
    due: dateStart(property(board.due?.name)),
    ...requesterOf(property(board.requester?.name)),
    createdTime: page.created_time,
  };
}

/** A page property's value as Notion returns it. */
export type PagePropertyValue = PageObjectResponse["properties"][string];

/** A property's value as one line of text (names for choices and people, "start → end" for a range); "" when empty or textless. */
export function propertyText(value: PagePropertyValue | undefined): string {
  switch (value?.type) {
    case "title":
      return value.title.map((item) => item.plain_text).join("").trim();
    case "rich_text":
      return value.rich_text.map((item) => item.plain_text).join("").trim();
    case "status":
      return value.status?.name ?? "";
    case "select":
      return value.select?.name ?? "";
    case "date":
      return value.date ? `${value.date.start}${value.date.end ? ` → ${value.date.end}` : ""}` : "";
    case "url":
      return value.url ?? "";
    case "email":
      return value.email ?? "";
    case "phone_number":
      return value.phone_number ?? "";
    case "number":
      return value.number === null ? "" : String(value.number);
    case "people":
      return value.people.map((person) => ("name" in person && person.name ? person.name : "someone")).join(", ");
    default:
      return "";
  }
}

function dateStart(value: PagePropertyValue | undefined): string | undefined {
  return value?.type === "date" ? value.date?.start : undefined;
}

/** The requester's names as people read them, and their Slack id when the board keeps it (Text property). */
function requesterOf(value: PagePropertyValue | undefined): Pick<Task, "requester" | "requesterId"> {
  const text = propertyText(value);
  if (!text) return { requester: undefined, requesterId: undefined };
  if (value?.type === "people") return { requester: text, requesterId: undefined };
  const read = readRequesterText(text);
  return { requester: read.names || undefined, requesterId: read.requester };
}
