/**
 * What the bot knows of the team's board: which property plays which part, checked against the
 * data source's real schema. A property the board lacks is skipped with a warning, never fatal;
 * only the title is required, and Notion guarantees every data source has exactly one.
 */
import type { DataSourceObjectResponse } from "@notionhq/client";

/** The names of the board's properties, per role (NOTION_*_PROPERTY, with their defaults in env.ts). */
export interface PropertyNames {
  status: string;
  priority: string;
  due: string;
  requester: string;
  slackLink: string;
  requestId: string;
  assignee: string;
}

export interface Board {
  dataSourceId: string;
  /** The board's own Notion URL, for "see the whole board" links. */
  url: string | undefined;
  title: string;
  status: { name: string; type: "status" | "select"; initial: string | undefined; done: string[] } | undefined;
  priority: { name: string; type: "status" | "select"; options: string[] } | undefined;
  due: { name: string } | undefined;
  requester: { name: string; type: "rich_text" | "people" } | undefined;
  slackLink: { name: string; type: "url" | "rich_text" } | undefined;
  requestId: { name: string } | undefined;
  /** Who does the task: a people property, matched by email (the Home tab's "Assigned to me"). */
  assignee: { name: string } | undefined;
  /** One line per expected property that is absent or of a type the bot cannot write. */
  warnings: string[];
}

type Schema = DataSourceObjectResponse["properties"];
type PropertyConfig = Schema[string];

const TODO_GROUP = /^(to-?do|not started|backlog)$/i;
const COMPLETE_GROUP = /^(complete|completed|done)$/i;
const DONE_OPTION = /^(done|complete|completed|closed|resolved|shipped|cancell?ed|won'?t do|archived)$/i;
const INITIAL_OPTION = /^(not started|to-?do|backlog|new|open|inbox|triage)$/i;

/** Reads a data source's schema into the parts the bot plays with. */
export function detectBoard(dataSource: Pick<DataSourceObjectResponse, "id" | "url" | "properties">, names: PropertyNames): Board {
  const schema = dataSource.properties;
  const warnings: string[] = [];
  const titleName = Object.values(schema).find((property) => property.type === "title")?.name ?? "Name";

  /** The named property when it has one of the accepted types; otherwise a warning and undefined. */
  function find<T extends PropertyConfig["type"]>(role: keyof PropertyNames, types: readonly T[]): (PropertyConfig & { type: T }) | undefined {
    const name = names[role];
    const property = schema[name];
    if (property === undefined) {
      warnings.push(`property "${name}" (${role}) is not on the board, so it is left out`);
      return undefined;
    }
    if (!(types as readonly string[]).includes(property.type)) {
      warnings.push(`property "${name}" (${role}) is of type ${property.type}; expected ${types.join(" or ")}, so it is left out`);
      return undefined;
    }
    // The schema's key is the name filters and writes must use.
    return { ...property, name } as PropertyConfig & { type: T };
  }

  const status = find("status", ["status", "select"] as const);
  const priority = find("priority", ["select", "status"] as const);
  const due = find("due", ["date"] as const);
  const requester = find("requester", ["rich_text", "people"] as const);
  const slackLink = find("slackLink", ["url", "rich_text"] as const);
  const requestId = find("requestId", ["rich_text"] as const);
  const assignee = find("assignee", ["people"] as const);

  return {
    dataSourceId: dataSource.id,
    url: dataSource.url || undefined,
    title: titleName,
    status: status && { name: status.name, type: status.type, ...statusStages(status) },
    priority: priority && { name: priority.name, type: priority.type, options: optionNames(priority) },
    due: due && { name: due.name },
    requester: requester && { name: requester.name, type: requester.type },
    slackLink: slackLink && { name: slackLink.name, type: slackLink.type },
    requestId: requestId && { name: requestId.name },
    assignee: assignee && { name: assignee.name },
    warnings,
  };
}

function optionNames(property: PropertyConfig): string[] {
  if (property.type === "select") return property.select.options.map((option) => option.name);
  if (property.type === "status") return property.status.options.map((option) => option.name);
  return [];
}

/** The option a new task starts in and the options that mean "no longer open". */
function statusStages(property: PropertyConfig): { initial: string | undefined; done: string[] } {
  if (property.type === "status") {
    const { options, groups } = property.status;
    const nameOf = (id: string) => options.find((option) => option.id === id)?.name;
    const todo = groups.find((group) => TODO_GROUP.test(group.name)) ?? groups[0];
    const complete = groups.find((group) => COMPLETE_GROUP.test(group.name));
    return {
      initial: todo?.option_ids.map(nameOf).find((name) => name !== undefined) ?? options[0]?.name,
      done: (complete?.option_ids ?? []).map(nameOf).filter((name): name is string => name !== undefined),
    };
  }
  const names = optionNames(property);
  return {
    initial: names.find((name) => INITIAL_OPTION.test(name)) ?? names.find((name) => !DONE_OPTION.test(name)),
    done: names.filter((name) => DONE_OPTION.test(name)),
  };
}
