/**
 * The filters and sorts the task store's queries are built from: which tasks are open, whose they
 * are, in which order. Pure, given the board (board.ts) and, for a people property, a way to find a
 * person's Notion id.
 */
import type { PageObjectResponse, QueryDataSourceParameters } from "@notionhq/client";
import type { Board } from "./board.js";
import { requesterSearchTerm, type RequesterId } from "./requester.js";

type QueryFilter = NonNullable<QueryDataSourceParameters["filter"]>;
/** One condition of an `and` filter: Notion nests compound filters at most two levels deep. */
export type Condition = Extract<QueryFilter, { and: unknown }>["and"][number];
type Sort = NonNullable<QueryDataSourceParameters["sorts"]>[number];

/** A person whose tasks are asked for: on their platform, by its id (what a text requester holds). */
export interface Requester extends RequesterId {
  /** Resolves the person's email, asked only when the board's requester property is of type people. */
  email?: () => Promise<string | undefined>;
}

/** A person's part in a task: who asked for it, or who does it (the board's people property for the assignee). */
export type PersonRole = "requester" | "assignee";

/** One condition per option that means done (none when the board has no status): together, the task is open. */
export function notDone(target: Board): Condition[] {
  const status = target.status;
  if (!status) return [];
  return status.done.map((name) =>
    status.type === "status" ? { property: status.name, status: { does_not_equal: name } } : { property: status.name, select: { does_not_equal: name } },
  );
}

/**
 * The filter for the person's tasks in a role, or undefined when the board cannot tell: no property
 * for the role, or a people property and `notionUserIdFor` finds no one for the person's email.
 */
export async function personCondition(
  target: Board,
  person: Requester,
  role: PersonRole,
  notionUserIdFor: (email: string | undefined) => Promise<string | undefined>,
): Promise<Condition | undefined> {
  const property = role === "requester" ? target.requester : target.assignee && { ...target.assignee, type: "people" as const };
  if (!property) return undefined;
  if (property.type === "people") {
    const notionId = await notionUserIdFor(await person.email?.());
    return notionId ? { property: property.name, people: { contains: notionId } } : undefined;
  }
  // The requester text holds "Name (U123)" or "Name (discord:1400…)": the id finds a person's tasks.
  return { property: property.name, rich_text: { contains: requesterSearchTerm(person) } };
}

/** Soonest due first when the board has a due date (undated last), then oldest first. */
export function dueThenCreated(target: Board): Sort[] {
  return [...(target.due ? [{ property: target.due.name, direction: "ascending" as const }] : []), { timestamp: "created_time", direction: "ascending" }];
}

/** A query result that is a whole page (a partial one has no properties to read). */
export function isFullPage(result: { object: string }): result is PageObjectResponse {
  return result.object === "page" && "properties" in result;
}
