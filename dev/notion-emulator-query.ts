/**
 * dataSources.query for the Notion emulator: filters (property, timestamp, compound `and`/`or`),
 * sorts, and the validation errors Notion gives for filters and sorts it cannot apply.
 */
import type { NotionStore, StoredDataSource, StoredPage } from "./notion-emulator-model.js";
import { isRecord } from "./is-record.js";
import { insteadWas, isIsoDate, normalizeId, plainText, validationError } from "./notion-emulator-model.js";
import type { PagePropertyValue, PropertyConfig, PropertyType } from "./notion-emulator-types.js";

type Predicate = (page: StoredPage) => boolean;

type ConditionKind = "text" | "number" | "checkbox" | "select" | "multi_select" | "people" | "date";

const KIND_OF_TYPE: Record<PropertyType, ConditionKind> = {
  title: "text",
  rich_text: "text",
  url: "text",
  email: "text",
  phone_number: "text",
  number: "number",
  checkbox: "checkbox",
  select: "select",
  status: "select",
  multi_select: "multi_select",
  people: "people",
  created_by: "people",
  last_edited_by: "people",
  date: "date",
  created_time: "date",
  last_edited_time: "date",
};

const RELATIVE_RANGES = ["past_week", "past_month", "past_year", "next_week", "next_month", "next_year", "this_week"] as const;

const CONDITIONS: Record<ConditionKind, readonly string[]> = {
  text: ["equals", "does_not_equal", "contains", "does_not_contain", "starts_with", "ends_with", "is_empty", "is_not_empty"],
  number: ["equals", "does_not_equal", "greater_than", "less_than", "greater_than_or_equal_to", "less_than_or_equal_to", "is_empty", "is_not_empty"],
  checkbox: ["equals", "does_not_equal"],
  select: ["equals", "does_not_equal", "is_empty", "is_not_empty"],
  multi_select: ["contains", "does_not_contain", "is_empty", "is_not_empty"],
  people: ["contains", "does_not_contain", "is_empty", "is_not_empty"],
  date: ["equals", "before", "after", "on_or_before", "on_or_after", "is_empty", "is_not_empty", ...RELATIVE_RANGES],
};

/** Notion allows compound filters nested two levels deep. */
const MAX_COMPOUND_DEPTH = 2;

const DAY_MS = 86_400_000;

/** Compiles a query's `filter` into a predicate, or throws the validation_error Notion would give. */
export function compileFilter(raw: unknown, dataSource: StoredDataSource, store: NotionStore, now: number): Predicate {
  return compile(raw, "body.filter", 0, { dataSource, store, now });
}

interface Context {
  dataSource: StoredDataSource;
  store: NotionStore;
  now: number;
}

function findProperty(dataSource: StoredDataSource, nameOrId: string): PropertyConfig | undefined {
  return dataSource.properties.find((property) => property.name === nameOrId) ?? dataSource.properties.find((property) => property.id === nameOrId);
}

function compile(raw: unknown, path: string, depth: number, context: Context): Predicate {
  if (!isRecord(raw)) throw validationError(`body failed validation: ${path} should be an object, instead was ${insteadWas(raw)}.`);
  for (const operator of ["and", "or"] as const) {
    if (!(operator in raw)) continue;
    if (depth >= MAX_COMPOUND_DEPTH) {
      throw validationError(`body failed validation: ${path}.${operator} should be not present: compound filters can be nested at most ${MAX_COMPOUND_DEPTH} levels deep.`);
    }
    const list = raw[operator];
    if (!Array.isArray(list)) throw validationError(`body failed validation: ${path}.${operator} should be an array, instead was ${insteadWas(list)}.`);
    if (list.length > 100) throw validationError(`body failed validation: ${path}.${operator}.length should be ≤ \`100\`, instead was \`${list.length}\`.`);
    const parts = list.map((item: unknown, index) => compile(item, `${path}.${operator}[${index}]`, depth + 1, context));
    return operator === "and" ? (page) => parts.every((part) => part(page)) : (page) => parts.some((part) => part(page));
  }
  const timestamp = raw["timestamp"];
  if (timestamp !== undefined) {
    if (timestamp !== "created_time" && timestamp !== "last_edited_time") {
      throw validationError(`body failed validation: ${path}.timestamp should be "created_time" or "last_edited_time", instead was ${insteadWas(timestamp)}.`);
    }
    const test = compileCondition("date", raw[timestamp], `${path}.${timestamp}`, timestamp, context);
    return (page) => test(timestamp === "created_time" ? { id: timestamp, type: "created_time", created_time: page.createdTime } : { id: timestamp, type: "last_edited_time", last_edited_time: page.lastEditedTime });
  }
  const propertyName = raw["property"];
  if (typeof propertyName !== "string") {
    throw validationError(`body failed validation: ${path} should be a property filter, a timestamp filter, or an "and"/"or" filter, instead was ${insteadWas(raw)}.`);
  }
  const property = findProperty(context.dataSource, propertyName);
  if (!property) throw validationError(`Could not find property with name or id: ${propertyName}`);
  const typeKeys = Object.keys(raw).filter((key) => key !== "property" && key !== "type");
  const [typeKey] = typeKeys;
  if (typeKeys.length !== 1 || typeKey === undefined) {
    throw validationError(`body failed validation: ${path} should have exactly one filter type, instead had ${insteadWas(typeKeys)}.`);
  }
  if (typeKey !== property.type) {
    throw validationError(`body failed validation: ${path}.${typeKey} does not match the type of property "${property.name}", which is ${property.type}; use ${path}.${property.type}.`);
  }
  const test = compileCondition(KIND_OF_TYPE[property.type], raw[typeKey], `${path}.${typeKey}`, property.type, context);
  return (page) => test(context.store.valueOf(page, property));
}

type ValueTest = (value: PagePropertyValue) => boolean;

function compileCondition(kind: ConditionKind, raw: unknown, path: string, typeName: string, context: Context): ValueTest {
  if (!isRecord(raw)) throw validationError(`body failed validation: ${path} should be an object, instead was ${insteadWas(raw)}.`);
  const keys = Object.keys(raw);
  const [condition] = keys;
  const valid = CONDITIONS[kind];
  if (keys.length !== 1 || condition === undefined || !valid.includes(condition)) {
    throw validationError(`body failed validation: ${path} should have exactly one of ${valid.join(", ")} for a ${typeName} filter, instead had ${insteadWas(keys)}.`);
  }
  const operand = raw[condition];
  const conditionPath = `${path}.${condition}`;
  if (condition === "is_empty" || condition === "is_not_empty") {
    if (operand !== true) throw validationError(`body failed validation: ${conditionPath} should be \`true\`, instead was ${insteadWas(operand)}.`);
    return condition === "is_empty" ? (value) => isEmpty(value) : (value) => !isEmpty(value);
  }
  switch (kind) {
    case "text":
      return compileText(condition, operand, conditionPath);
    case "number":
      return compileNumber(condition, operand, conditionPath);
    case "checkbox": {
      if (typeof operand !== "boolean") throw validationError(`body failed validation: ${conditionPath} should be a boolean, instead was ${insteadWas(operand)}.`);
      return (value) => (value.type === "checkbox" && value.checkbox === operand) === (condition === "equals");
    }
    case "select": {
      const names = stringOrStrings(operand, conditionPath);
      return (value) => {
        const option = value.type === "select" ? value.select : value.type === "status" ? value.status : null;
        const matches = option !== null && names.includes(option.name);
        return condition === "equals" ? matches : !matches;
      };
    }
    case "multi_select": {
      const names = stringOrStrings(operand, conditionPath);
      return (value) => {
        const has = value.type === "multi_select" && value.multi_select.some((option) => names.includes(option.name));
        return condition === "contains" ? has : !has;
      };
    }
    case "people": {
      const id = operand === "me" ? context.store.botId : normalizeId(operand);
      if (id === undefined) throw validationError(`body failed validation: ${conditionPath} should be a valid uuid or "me", instead was ${insteadWas(operand)}.`);
      return (value) => {
        const ids = value.type === "people" ? value.people.map((person) => person.id) : value.type === "created_by" ? [value.created_by.id] : value.type === "last_edited_by" ? [value.last_edited_by.id] : [];
        return ids.includes(id) === (condition === "contains");
      };
    }
    case "date":
      return compileDate(condition, operand, conditionPath, context.now);
  }
}

function stringOrStrings(operand: unknown, path: string): string[] {
  if (typeof operand === "string") return [operand];
  if (Array.isArray(operand) && operand.every((item) => typeof item === "string")) return operand;
  throw validationError(`body failed validation: ${path} should be a string or an array of strings, instead was ${insteadWas(operand)}.`);
}

function textOf(value: PagePropertyValue): string {
  switch (value.type) {
    case "title":
      return plainText(value.title);
    case "rich_text":
      return plainText(value.rich_text);
    case "url":
      return value.url ?? "";
    case "email":
      return value.email ?? "";
    case "phone_number":
      return value.phone_number ?? "";
    default:
      return "";
  }
}

function compileText(condition: string, operand: unknown, path: string): ValueTest {
  if (typeof operand !== "string") throw validationError(`body failed validation: ${path} should be a string, instead was ${insteadWas(operand)}.`);
  // Notion's text conditions ignore case.
  const needle = operand.toLowerCase();
  return (value) => {
    const text = textOf(value).toLowerCase();
    switch (condition) {
      case "equals":
        return text === needle;
      case "does_not_equal":
        return text !== needle;
      case "contains":
        return text.includes(needle);
      case "does_not_contain":
        return !text.includes(needle);
      case "starts_with":
        return text.startsWith(needle);
      default:
        return text.endsWith(needle);
    }
  };
}

function compileNumber(condition: string, operand: unknown, path: string): ValueTest {
  if (typeof operand !== "number" || !Number.isFinite(operand)) {
    throw validationError(`body failed validation: ${path} should be a number, instead was ${insteadWas(operand)}.`);
  }
  return (value) => {
    if (value.type !== "number" || value.number === null) return condition === "does_not_equal";
    const number = value.number;
    switch (condition) {
      case "equals":
        return number === operand;
      case "does_not_equal":
        return number !== operand;
      case "greater_than":
        return number > operand;
      case "less_than":
        return number < operand;
      case "greater_than_or_equal_to":
        return number >= operand;
      default:
        return number <= operand;
    }
  };
}

/** The instant a date value starts at, and whether it carries a time or only a day. */
interface Instant {
  ms: number;
  dayOnly: boolean;
}

function parseInstant(text: string): Instant {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  return { ms: Date.parse(dayOnly ? `${text}T00:00:00Z` : text), dayOnly };
}

function dateOf(value: PagePropertyValue): Instant | undefined {
  switch (value.type) {
    case "date":
      return value.date === null ? undefined : parseInstant(value.date.start);
    case "created_time":
      return parseInstant(value.created_time);
    case "last_edited_time":
      return parseInstant(value.last_edited_time);
    default:
      return undefined;
  }
}

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

const RELATIVE_DATES: Record<string, (now: number) => number> = {
  today: (now) => startOfDay(now),
  tomorrow: (now) => startOfDay(now) + DAY_MS,
  yesterday: (now) => startOfDay(now) - DAY_MS,
  one_week_ago: (now) => startOfDay(now) - 7 * DAY_MS,
  one_week_from_now: (now) => startOfDay(now) + 7 * DAY_MS,
  one_month_ago: (now) => addMonths(startOfDay(now), -1),
  one_month_from_now: (now) => addMonths(startOfDay(now), 1),
};

function addMonths(ms: number, months: number): number {
  const date = new Date(ms);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

function addYears(ms: number, years: number): number {
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  return date.getTime();
}

/**
 * Dates compare by day when either side is a plain date (as Notion does for date-only values),
 * by instant otherwise; a range compares by its start; days are UTC days.
 */
function compileDate(condition: string, operand: unknown, path: string, now: number): ValueTest {
  if ((RELATIVE_RANGES as readonly string[]).includes(condition)) {
    if (!isRecord(operand) || Object.keys(operand).length > 0) throw validationError(`body failed validation: ${path} should be \`{}\`, instead was ${insteadWas(operand)}.`);
    const [from, to] = relativeRange(condition, now);
    return (value) => {
      const instant = dateOf(value);
      return instant !== undefined && instant.ms >= from && instant.ms < to;
    };
  }
  let target: Instant;
  if (typeof operand === "string" && operand in RELATIVE_DATES) {
    const resolve = RELATIVE_DATES[operand];
    target = { ms: resolve ? resolve(now) : now, dayOnly: true };
  } else if (typeof operand === "string" && isIsoDate(operand)) {
    target = parseInstant(operand);
  } else {
    throw validationError(`body failed validation: ${path} should be a valid ISO 8601 date string or a relative date, instead was ${insteadWas(operand)}.`);
  }
  return (value) => {
    const instant = dateOf(value);
    if (instant === undefined) return false;
    const byDay = instant.dayOnly || target.dayOnly;
    const left = byDay ? startOfDay(instant.ms) : instant.ms;
    const right = byDay ? startOfDay(target.ms) : target.ms;
    switch (condition) {
      case "equals":
        return left === right;
      case "before":
        return left < right;
      case "after":
        return left > right;
      case "on_or_before":
        return left <= right;
      default:
        return left >= right;
    }
  };
}

function relativeRange(condition: string, now: number): [number, number] {
  const today = startOfDay(now);
  switch (condition) {
    case "past_week":
      return [today - 7 * DAY_MS, now + 1];
    case "past_month":
      return [addMonths(today, -1), now + 1];
    case "past_year":
      return [addYears(today, -1), now + 1];
    case "next_week":
      return [now, today + 8 * DAY_MS];
    case "next_month":
      return [now, addMonths(today, 1) + DAY_MS];
    case "next_year":
      return [now, addYears(today, 1) + DAY_MS];
    default: {
      // this_week: Sunday to Saturday, Notion's default week.
      const sunday = today - new Date(today).getUTCDay() * DAY_MS;
      return [sunday, sunday + 7 * DAY_MS];
    }
  }
}

function isEmpty(value: PagePropertyValue): boolean {
  switch (value.type) {
    case "title":
    case "rich_text":
    case "url":
    case "email":
    case "phone_number":
      return textOf(value) === "";
    case "number":
      return value.number === null;
    case "select":
      return value.select === null;
    case "status":
      return value.status === null;
    case "multi_select":
      return value.multi_select.length === 0;
    case "people":
      return value.people.length === 0;
    case "date":
      return value.date === null;
    case "checkbox":
      return false;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Sorts
// ---------------------------------------------------------------------------------------------

type Comparator = (a: StoredPage, b: StoredPage) => number;

/** Notion's order when a query names no sort: newest first. */
export const defaultOrder: Comparator = (a, b) => (a.createdTime === b.createdTime ? b.seq - a.seq : a.createdTime < b.createdTime ? 1 : -1);

/** Compiles `sorts`; empty values sort last in either direction, as in Notion. */
export function compileSorts(raw: unknown, dataSource: StoredDataSource, store: NotionStore): Comparator {
  if (raw === undefined) return defaultOrder;
  if (!Array.isArray(raw)) throw validationError(`body failed validation: body.sorts should be an array, instead was ${insteadWas(raw)}.`);
  if (raw.length > 100) throw validationError(`body failed validation: body.sorts.length should be ≤ \`100\`, instead was \`${raw.length}\`.`);
  const comparators = raw.map((sort: unknown, index): Comparator => {
    const path = `body.sorts[${index}]`;
    if (!isRecord(sort)) throw validationError(`body failed validation: ${path} should be an object, instead was ${insteadWas(sort)}.`);
    const direction = sort["direction"];
    if (direction !== "ascending" && direction !== "descending") {
      throw validationError(`body failed validation: ${path}.direction should be "ascending" or "descending", instead was ${insteadWas(direction)}.`);
    }
    const sign = direction === "ascending" ? 1 : -1;
    let key: (page: StoredPage) => string | number | undefined;
    if (sort["timestamp"] !== undefined) {
      const timestamp = sort["timestamp"];
      if (timestamp !== "created_time" && timestamp !== "last_edited_time") {
        throw validationError(`body failed validation: ${path}.timestamp should be "created_time" or "last_edited_time", instead was ${insteadWas(timestamp)}.`);
      }
      key = (page) => (timestamp === "created_time" ? page.createdTime : page.lastEditedTime);
    } else if (typeof sort["property"] === "string") {
      const property = findProperty(dataSource, sort["property"]);
      if (!property) throw validationError(`Could not find sort property with name or id: ${sort["property"]}`);
      key = (page) => sortKey(store.valueOf(page, property), property);
    } else {
      throw validationError(`body failed validation: ${path} should have a property or a timestamp, instead was ${insteadWas(sort)}.`);
    }
    return (a, b) => {
      const left = key(a);
      const right = key(b);
      if (left === undefined || right === undefined) return left === right ? 0 : left === undefined ? 1 : -1;
      if (left === right) return 0;
      const order = typeof left === "number" && typeof right === "number" ? left - right : String(left).localeCompare(String(right));
      return sign * order;
    };
  });
  return (a, b) => {
    for (const comparator of comparators) {
      const order = comparator(a, b);
      if (order !== 0) return order;
    }
    return defaultOrder(a, b);
  };
}

/** What a value sorts by; select and status sort by the option's place in the schema, as in Notion. */
function sortKey(value: PagePropertyValue, property: PropertyConfig): string | number | undefined {
  switch (value.type) {
    case "title":
    case "rich_text":
    case "url":
    case "email":
    case "phone_number": {
      const text = textOf(value);
      return text === "" ? undefined : text;
    }
    case "number":
      return value.number ?? undefined;
    case "checkbox":
      return value.checkbox ? 1 : 0;
    case "select":
      return value.select === null || property.type !== "select" ? undefined : property.select.options.findIndex((option) => option.id === value.select?.id);
    case "status":
      return value.status === null || property.type !== "status" ? undefined : property.status.options.findIndex((option) => option.id === value.status?.id);
    case "multi_select": {
      const first = value.multi_select[0];
      return first === undefined || property.type !== "multi_select" ? undefined : property.multi_select.options.findIndex((option) => option.id === first.id);
    }
    case "people":
      return value.people[0]?.name ?? undefined;
    case "date":
      return value.date === null ? undefined : parseInstant(value.date.start).ms;
    case "created_time":
      return value.created_time;
    case "last_edited_time":
      return value.last_edited_time;
    case "created_by":
      return value.created_by.id;
    case "last_edited_by":
      return value.last_edited_by.id;
  }
}
