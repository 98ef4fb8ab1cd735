/** The task board chatops expects: what setup:notion creates and what doctor compares a board with. */
import type { CreateDatabaseParameters } from "@notionhq/client";
import { readEnv, type Env, type EnvName } from "../env.js";
import type { PropertyNames } from "../notion/board.js";
import { DEFAULT_PRIORITIES } from "../tasks/task.js";

type PropertyRequests = NonNullable<NonNullable<CreateDatabaseParameters["initial_data_source"]>["properties"]>;
type PropertyRequest = PropertyRequests[string];

export type Role = keyof PropertyNames;

/** The title property setup:notion creates; the bot finds the title by its type, whatever its name. */
export const TITLE_PROPERTY = "Name";

/** Per role: the variable that renames it, and the property setup:notion creates for it. */
export const ROLES: Record<Role, { env: EnvName; kind: string; request: PropertyRequest }> = {
  status: {
    env: "NOTION_STATUS_PROPERTY",
    kind: "Status",
    // Empty on purpose: Notion then gives a new status property its default options (Not started,
    // In progress, Done) in the To-do, In progress and Complete groups, which is how the bot tells
    // open from done. Options sent through the API would all land in To-do, and the API cannot move
    // them to another group afterwards (developers.notion.com/reference/update-data-source-properties:
    // "It's not possible to update the name or options values of a status property via the API").
    request: { status: {} },
  },
  priority: {
    env: "NOTION_PRIORITY_PROPERTY",
    kind: "Select",
    request: {
      select: {
        options: DEFAULT_PRIORITIES.map((name) => ({ name, color: ({ High: "red", Medium: "yellow", Low: "gray" } as const)[name] })),
      },
    },
  },
  due: { env: "NOTION_DUE_PROPERTY", kind: "Date", request: { date: {} } },
  requester: { env: "NOTION_REQUESTER_PROPERTY", kind: "Text", request: { rich_text: {} } },
  slackLink: { env: "NOTION_SLACK_LINK_PROPERTY", kind: "URL", request: { url: {} } },
  requestId: { env: "NOTION_REQUEST_ID_PROPERTY", kind: "Text", request: { rich_text: {} } },
  assignee: { env: "NOTION_ASSIGNEE_PROPERTY", kind: "Person", request: { people: {} } },
};

export const ROLE_ORDER = Object.keys(ROLES) as Role[];

/** The property names the bot will look for, as the runtime reads them: a variable, else its default (env.ts). */
export function propertyNamesFrom(env: Env): PropertyNames {
  return Object.fromEntries(ROLE_ORDER.map((role) => [role, env[ROLES[role].env] as string])) as unknown as PropertyNames;
}

/** The names the bot looks for when no variable renames a property. */
export const DEFAULT_PROPERTY_NAMES: PropertyNames = propertyNamesFrom(readEnv([], {}));

/** The schema of a new task board, under the names the bot will look for. */
export function taskBoardProperties(names: PropertyNames): PropertyRequests {
  const properties: PropertyRequests = { [TITLE_PROPERTY]: { title: {} } };
  for (const role of ROLE_ORDER) properties[names[role]] = ROLES[role].request;
  return properties;
}
