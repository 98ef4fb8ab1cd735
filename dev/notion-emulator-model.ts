/**
 * The Notion emulator's data: databases, data sources, pages, blocks and users, with the
 * validation Notion applies when they are written and the JSON Notion returns when they are read.
 * No HTTP here; the server in notion-emulator.ts calls into this.
 */
import { randomUUID } from "node:crypto";
import type {
  Annotations,
  DatabaseParent,
  DateValue,
  IconValue,
  NotionBlock,
  NotionColor,
  NotionDatabase,
  NotionDataSource,
  NotionPage,
  NotionUser,
  PagePropertyValue,
  PartialUser,
  PropertyConfig,
  PropertyType,
  RichTextItem,
  SelectOption,
  StatusGroup,
} from "./notion-emulator-types.js";
import { PROPERTY_TYPES } from "./notion-emulator-types.js";
import { isRecord } from "./is-record.js";

// ---------------------------------------------------------------------------------------------
// Errors and small helpers
// ---------------------------------------------------------------------------------------------

/** An error the emulator answers as Notion's error JSON; also thrown by the add* helpers. */
export class NotionApiError extends Error {
  override readonly name = "NotionApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function validationError(message: string): NotionApiError {
  return new NotionApiError(400, "validation_error", message);
}

const SHARE_HINT = "Make sure the relevant pages and databases are shared with your integration.";

export function notFound(kind: "database" | "data source" | "page" | "block" | "user", id: string): NotionApiError {
  return new NotionApiError(404, "object_not_found", `Could not find ${kind} with ID: ${id}. ${SHARE_HINT}`);
}

/** Notion's "instead was `…`" suffix: the offending value as JSON in backticks. */
export function insteadWas(value: unknown): string {
  return value === undefined ? "`undefined`" : `\`${JSON.stringify(value)}\``;
}

/** Dashed, lower-case UUID from a 32-hex id with or without dashes; undefined if it is not one. */
export function normalizeId(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const hex = raw.replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function requireId(raw: unknown, path: string): string {
  const id = normalizeId(raw);
  if (id === undefined) throw validationError(`${path} should be a valid uuid, instead was ${insteadWas(raw)}.`);
  return id;
}

/** Notion caps every text content and link at 2000 characters and every array in a body at 100. */
export const MAX_TEXT_LENGTH = 2000;
export const MAX_ARRAY_LENGTH = 100;

function checkMaxLength(path: string, length: number, max: number): void {
  if (length > max) {
    throw validationError(`body failed validation: ${path}.length should be ≤ \`${max}\`, instead was \`${length}\`.`);
  }
}

const SHORT_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Notion's property ids are short opaque strings (except the title's, which is always "title"). */
function shortId(taken: ReadonlySet<string>): string {
  for (;;) {
    let id = "";
    for (let i = 0; i < 4; i++) id += SHORT_ID_CHARS[Math.floor(Math.random() * SHORT_ID_CHARS.length)];
    if (!taken.has(id)) return id;
  }
}

const DEFAULT_ANNOTATIONS: Annotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default",
};

const COLORS: readonly string[] = ["default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"];

function isColor(value: unknown): value is NotionColor {
  return typeof value === "string" && COLORS.includes(value);
}

function isPropertyType(value: unknown): value is PropertyType {
  return typeof value === "string" && (PROPERTY_TYPES as readonly string[]).includes(value);
}

/** A rich text item as Notion returns it, from plain text. */
export function textItem(content: string, link: string | null = null): RichTextItem {
  return {
    type: "text",
    text: { content, link: link === null ? null : { url: link } },
    annotations: { ...DEFAULT_ANNOTATIONS },
    plain_text: content,
    href: link,
  };
}

export function plainText(items: readonly RichTextItem[]): string {
  return items.map((item) => item.plain_text).join("");
}

/** Parses a rich text array from a request; every text content is capped at 2000 characters. */
export function parseRichText(raw: unknown, path: string): RichTextItem[] {
  if (!Array.isArray(raw)) throw validationError(`body failed validation: ${path} should be an array, instead was ${insteadWas(raw)}.`);
  checkMaxLength(path, raw.length, MAX_ARRAY_LENGTH);
  return raw.map((item: unknown, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isRecord(item) || (item["type"] !== undefined && item["type"] !== "text") || !isRecord(item["text"])) {
      // The emulator stores text only; mentions and equations are rejected rather than half-supported.
      throw validationError(`body failed validation: ${itemPath}.text should be defined, instead was ${insteadWas(isRecord(item) ? item["text"] : item)}.`);
    }
    const text = item["text"];
    const content = text["content"];
    if (typeof content !== "string") {
      throw validationError(`body failed validation: ${itemPath}.text.content should be a string, instead was ${insteadWas(content)}.`);
    }
    checkMaxLength(`${itemPath}.text.content`, content.length, MAX_TEXT_LENGTH);
    const linkRaw = text["link"];
    let link: string | null = null;
    if (isRecord(linkRaw)) {
      if (typeof linkRaw["url"] !== "string") {
        throw validationError(`body failed validation: ${itemPath}.text.link.url should be a string, instead was ${insteadWas(linkRaw["url"])}.`);
      }
      checkMaxLength(`${itemPath}.text.link.url`, linkRaw["url"].length, MAX_TEXT_LENGTH);
      link = linkRaw["url"];
    }
    const rich = textItem(content, link);
    const annotations = item["annotations"];
    if (isRecord(annotations)) {
      for (const key of ["bold", "italic", "strikethrough", "underline", "code"] as const) {
        if (typeof annotations[key] === "boolean") rich.annotations[key] = annotations[key];
      }
      if (typeof annotations["color"] === "string") rich.annotations.color = annotations["color"];
    }
    return rich;
  });
}

// ---------------------------------------------------------------------------------------------
// Stored state (also the statePath file format)
// ---------------------------------------------------------------------------------------------

export interface StoredUser {
  id: string;
  name: string;
  type: "person" | "bot";
  email?: string;
}

export interface StoredDatabase {
  id: string;
  title: RichTextItem[];
  parent: DatabaseParent;
  isInline: boolean;
  dataSourceIds: string[];
  createdTime: string;
  lastEditedTime: string;
}

export interface StoredDataSource {
  id: string;
  databaseId: string;
  title: RichTextItem[];
  /** In schema order; the property name is `name`. */
  properties: PropertyConfig[];
  createdTime: string;
  lastEditedTime: string;
}

export type StoredPageParent =
  | { kind: "data_source"; dataSourceId: string }
  | { kind: "page"; pageId: string }
  | { kind: "workspace" };

export interface StoredPage {
  id: string;
  parent: StoredPageParent;
  /** Keyed by property id; plain (non data-source) pages keep their title under "title". */
  values: Record<string, PagePropertyValue>;
  icon: IconValue | null;
  cover: IconValue | null;
  inTrash: boolean;
  createdTime: string;
  lastEditedTime: string;
  /** Creation order, to break created_time ties. */
  seq: number;
}

export interface StoredBlock {
  id: string;
  parentId: string;
  parentKind: "page" | "block";
  type: string;
  content: Record<string, unknown>;
  createdTime: string;
  lastEditedTime: string;
}

export interface EmulatorState {
  version: 1;
  botId: string;
  workspaceId: string;
  users: StoredUser[];
  databases: StoredDatabase[];
  dataSources: StoredDataSource[];
  pages: StoredPage[];
  blocks: StoredBlock[];
  /** Child block ids in order, keyed by parent page or block id. */
  children: Record<string, string[]>;
  seq: number;
}

export function emptyState(): EmulatorState {
  return {
    version: 1,
    botId: randomUUID(),
    workspaceId: randomUUID(),
    users: [],
    databases: [],
    dataSources: [],
    pages: [],
    blocks: [],
    children: {},
    seq: 0,
  };
}

const BOT_NAME = "chatops";

// ---------------------------------------------------------------------------------------------
// Schema parsing
// ---------------------------------------------------------------------------------------------

const STATUS_GROUP_COLORS: Record<string, NotionColor> = { "To-do": "gray", "In progress": "blue", Complete: "green" };

function parseOptions(raw: unknown, path: string): SelectOption[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError(`body failed validation: ${path} should be an array, instead was ${insteadWas(raw)}.`);
  checkMaxLength(path, raw.length, MAX_ARRAY_LENGTH);
  const seen = new Set<string>();
  return raw.map((option: unknown, index) => {
    if (!isRecord(option) || typeof option["name"] !== "string" || option["name"].trim() === "") {
      throw validationError(`body failed validation: ${path}[${index}].name should be a non-empty string, instead was ${insteadWas(isRecord(option) ? option["name"] : option)}.`);
    }
    const name = option["name"];
    if (name.includes(",")) throw validationError(`Select option names cannot contain commas: "${name}".`);
    if (seen.has(name)) throw validationError(`Duplicate option name "${name}" in ${path}.`);
    seen.add(name);
    return {
      id: typeof option["id"] === "string" ? option["id"] : randomUUID(),
      name,
      color: isColor(option["color"]) ? option["color"] : "default",
      description: typeof option["description"] === "string" ? option["description"] : null,
    };
  });
}

function parseStatusConfig(raw: Record<string, unknown>, path: string): { options: SelectOption[]; groups: StatusGroup[] } {
  let options = parseOptions(raw["options"], `${path}.options`);
  const groupsRaw = raw["groups"];
  if (options.length === 0) {
    // Notion's default for a new status property.
    options = [
      { id: randomUUID(), name: "Not started", color: "default", description: null },
      { id: randomUUID(), name: "In progress", color: "blue", description: null },
      { id: randomUUID(), name: "Done", color: "green", description: null },
    ];
    const [notStarted, inProgress, done] = options;
    return {
      options,
      groups: [
        { id: randomUUID(), name: "To-do", color: "gray", option_ids: notStarted ? [notStarted.id] : [] },
        { id: randomUUID(), name: "In progress", color: "blue", option_ids: inProgress ? [inProgress.id] : [] },
        { id: randomUUID(), name: "Complete", color: "green", option_ids: done ? [done.id] : [] },
      ],
    };
  }
  if (groupsRaw === undefined) {
    // Notion puts options created through the API into the To-do group.
    return {
      options,
      groups: [
        { id: randomUUID(), name: "To-do", color: "gray", option_ids: options.map((option) => option.id) },
        { id: randomUUID(), name: "In progress", color: "blue", option_ids: [] },
        { id: randomUUID(), name: "Complete", color: "green", option_ids: [] },
      ],
    };
  }
  if (!Array.isArray(groupsRaw)) throw validationError(`body failed validation: ${path}.groups should be an array, instead was ${insteadWas(groupsRaw)}.`);
  const groups = groupsRaw.map((group: unknown, index): StatusGroup => {
    const groupPath = `${path}.groups[${index}]`;
    if (!isRecord(group) || typeof group["name"] !== "string" || !Array.isArray(group["option_ids"])) {
      throw validationError(`body failed validation: ${groupPath} should have a name and option_ids, instead was ${insteadWas(group)}.`);
    }
    const optionIds = group["option_ids"].map((ref: unknown) => {
      const option = options.find((candidate) => candidate.id === ref || candidate.name === ref);
      if (!option) throw validationError(`body failed validation: ${groupPath}.option_ids contains ${insteadWas(ref)}, which is not an option.`);
      return option.id;
    });
    const name = group["name"];
    return {
      id: typeof group["id"] === "string" ? group["id"] : randomUUID(),
      name,
      color: isColor(group["color"]) ? group["color"] : (STATUS_GROUP_COLORS[name] ?? "default"),
      option_ids: optionIds,
    };
  });
  return { options, groups };
}

/** Parses a data source schema as databases.create takes it (`initial_data_source.properties`). */
export function parseSchema(raw: unknown, path: string): PropertyConfig[] {
  if (!isRecord(raw)) throw validationError(`body failed validation: ${path} should be an object, instead was ${insteadWas(raw)}.`);
  const taken = new Set<string>(["title"]);
  const properties: PropertyConfig[] = [];
  for (const [name, definition] of Object.entries(raw)) {
    const propPath = `${path}.${name}`;
    if (!isRecord(definition)) throw validationError(`body failed validation: ${propPath} should be an object, instead was ${insteadWas(definition)}.`);
    const declared = definition["type"];
    const typeKeys = Object.keys(definition).filter(isPropertyType);
    const type = isPropertyType(declared) ? declared : typeKeys.length === 1 ? typeKeys[0] : undefined;
    if (type === undefined || !isRecord(definition[type])) {
      throw validationError(`body failed validation: ${propPath} should have exactly one property type (${PROPERTY_TYPES.join(", ")}), instead was ${insteadWas(definition)}.`);
    }
    const config = definition[type];
    const id = type === "title" ? "title" : shortId(taken);
    taken.add(id);
    const description = typeof definition["description"] === "string" ? definition["description"] : null;
    const common = { id, name, description };
    switch (type) {
      case "select":
        properties.push({ ...common, type, select: { options: parseOptions(config["options"], `${propPath}.select.options`) } });
        break;
      case "multi_select":
        properties.push({ ...common, type, multi_select: { options: parseOptions(config["options"], `${propPath}.multi_select.options`) } });
        break;
      case "status":
        properties.push({ ...common, type, status: parseStatusConfig(config, `${propPath}.status`) });
        break;
      case "number":
        properties.push({ ...common, type, number: { format: typeof config["format"] === "string" ? config["format"] : "number" } });
        break;
      default:
        properties.push(emptyConfig(common, type));
    }
  }
  const titles = properties.filter((property) => property.type === "title");
  if (titles.length !== 1) {
    throw validationError(`body failed validation: ${path} should have exactly one title property, instead had ${titles.length}.`);
  }
  return properties;
}

function emptyConfig(
  common: { id: string; name: string; description: string | null },
  type: Exclude<PropertyType, "select" | "multi_select" | "status" | "number">,
): PropertyConfig {
  switch (type) {
    case "title":
      return { ...common, type, title: {} };
    case "rich_text":
      return { ...common, type, rich_text: {} };
    case "date":
      return { ...common, type, date: {} };
    case "people":
      return { ...common, type, people: {} };
    case "checkbox":
      return { ...common, type, checkbox: {} };
    case "url":
      return { ...common, type, url: {} };
    case "email":
      return { ...common, type, email: {} };
    case "phone_number":
      return { ...common, type, phone_number: {} };
    case "created_time":
      return { ...common, type, created_time: {} };
    case "last_edited_time":
      return { ...common, type, last_edited_time: {} };
    case "created_by":
      return { ...common, type, created_by: {} };
    case "last_edited_by":
      return { ...common, type, last_edited_by: {} };
  }
}

// ---------------------------------------------------------------------------------------------
// Blocks
// ---------------------------------------------------------------------------------------------

const TEXT_BLOCK_TYPES = new Set([
  "paragraph",
  "heading_1",
  "heading_2",
  "heading_3",
  "bulleted_list_item",
  "numbered_list_item",
  "to_do",
  "toggle",
  "quote",
  "callout",
  "code",
]);
const OTHER_BLOCK_TYPES = new Set(["divider", "bookmark", "embed", "equation", "table_of_contents", "breadcrumb"]);

export interface ParsedBlock {
  type: string;
  content: Record<string, unknown>;
  children: ParsedBlock[];
}

/** Parses `children` of pages.create / blocks.children.append: at most 100 blocks, two levels deep. */
export function parseBlocks(raw: unknown, path: string, depth = 1): ParsedBlock[] {
  if (!Array.isArray(raw)) throw validationError(`body failed validation: ${path} should be an array, instead was ${insteadWas(raw)}.`);
  checkMaxLength(path, raw.length, MAX_ARRAY_LENGTH);
  return raw.map((block: unknown, index) => {
    const blockPath = `${path}[${index}]`;
    if (!isRecord(block)) throw validationError(`body failed validation: ${blockPath} should be an object, instead was ${insteadWas(block)}.`);
    const declared = block["type"];
    const keys = Object.keys(block).filter((key) => key !== "object" && key !== "type");
    const type = typeof declared === "string" ? declared : keys[0];
    if (type === undefined || (!TEXT_BLOCK_TYPES.has(type) && !OTHER_BLOCK_TYPES.has(type))) {
      throw validationError(`body failed validation: ${blockPath} should be a supported block type, instead was ${insteadWas(type)}.`);
    }
    const contentRaw = block[type];
    if (!isRecord(contentRaw)) throw validationError(`body failed validation: ${blockPath}.${type} should be defined, instead was ${insteadWas(contentRaw)}.`);
    const content: Record<string, unknown> = { ...contentRaw };
    let children: ParsedBlock[] = [];
    if (contentRaw["children"] !== undefined) {
      if (depth >= 3) throw validationError(`body failed validation: ${blockPath}.${type}.children should be not present, instead was ${insteadWas(contentRaw["children"])}.`);
      children = parseBlocks(contentRaw["children"], `${blockPath}.${type}.children`, depth + 1);
      delete content["children"];
    }
    if (TEXT_BLOCK_TYPES.has(type)) {
      content["rich_text"] = parseRichText(contentRaw["rich_text"] ?? [], `${blockPath}.${type}.rich_text`);
      if (type !== "code") content["color"] = typeof contentRaw["color"] === "string" ? contentRaw["color"] : "default";
      if (type === "to_do") content["checked"] = contentRaw["checked"] === true;
      if (type === "code") {
        content["language"] = typeof contentRaw["language"] === "string" ? contentRaw["language"] : "plain text";
        content["caption"] = parseRichText(contentRaw["caption"] ?? [], `${blockPath}.${type}.caption`);
      }
    }
    return { type, content, children };
  });
}

// ---------------------------------------------------------------------------------------------
// The store
// ---------------------------------------------------------------------------------------------

export interface PageInput {
  properties?: unknown;
  children?: unknown;
  icon?: unknown;
  cover?: unknown;
  createdTime?: string;
}

type Commit = () => void;

/** All data of one emulator, with Notion's write rules and read shapes. */
export class NotionStore {
  constructor(
    readonly state: EmulatorState,
    private readonly now: () => number,
  ) {
    if (!this.state.users.some((user) => user.id === this.state.botId)) {
      this.state.users.unshift({ id: this.state.botId, name: BOT_NAME, type: "bot" });
    }
  }

  private nextSeq(): number {
    this.state.seq += 1;
    return this.state.seq;
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  get botId(): string {
    return this.state.botId;
  }

  private botRef(): PartialUser {
    return { object: "user", id: this.state.botId };
  }

  // ----- users -------------------------------------------------------------------------------

  addUser(input: { id?: string; name: string; email?: string; type?: "person" | "bot" }): StoredUser {
    const id = input.id === undefined ? randomUUID() : requireId(input.id, "user.id");
    if (this.state.users.some((user) => user.id === id)) throw validationError(`A user with ID ${id} already exists.`);
    const user: StoredUser = { id, name: input.name, type: input.type ?? "person", ...(input.email !== undefined ? { email: input.email } : {}) };
    this.state.users.push(user);
    return user;
  }

  user(id: string): StoredUser | undefined {
    return this.state.users.find((user) => user.id === id);
  }

  renderUser(user: StoredUser): NotionUser {
    if (user.type === "person") {
      return { object: "user", id: user.id, name: user.name, avatar_url: null, type: "person", person: user.email !== undefined ? { email: user.email } : {} };
    }
    if (user.id === this.state.botId) {
      return {
        object: "user",
        id: user.id,
        name: user.name,
        avatar_url: null,
        type: "bot",
        bot: {
          owner: { type: "workspace", workspace: true },
          workspace_id: this.state.workspaceId,
          workspace_name: "Emulated workspace",
          workspace_limits: { max_file_upload_size_in_bytes: 5_242_880 },
        },
      };
    }
    return { object: "user", id: user.id, name: user.name, avatar_url: null, type: "bot", bot: {} };
  }

  users(): NotionUser[] {
    return this.state.users.map((user) => this.renderUser(user));
  }

  // ----- databases and data sources ------------------------------------------------------------

  database(id: string): StoredDatabase | undefined {
    return this.state.databases.find((database) => database.id === id);
  }

  dataSource(id: string): StoredDataSource | undefined {
    return this.state.dataSources.find((dataSource) => dataSource.id === id);
  }

  createDatabase(input: {
    title: RichTextItem[];
    parent: DatabaseParent;
    properties: PropertyConfig[];
    isInline?: boolean;
    databaseId?: string;
    dataSourceId?: string;
  }): { database: StoredDatabase; dataSource: StoredDataSource } {
    const databaseId = input.databaseId ?? randomUUID();
    const dataSourceId = input.dataSourceId ?? randomUUID();
    for (const id of [databaseId, dataSourceId]) {
      if (this.database(id) || this.dataSource(id) || this.page(id)) throw validationError(`An object with ID ${id} already exists.`);
    }
    if (databaseId === dataSourceId) throw validationError("The database and its data source need different IDs.");
    const time = this.nowIso();
    const database: StoredDatabase = {
      id: databaseId,
      title: input.title,
      parent: input.parent,
      isInline: input.isInline ?? false,
      dataSourceIds: [dataSourceId],
      createdTime: time,
      lastEditedTime: time,
    };
    const dataSource: StoredDataSource = {
      id: dataSourceId,
      databaseId,
      title: input.title.map((item) => ({ ...item, annotations: { ...item.annotations }, text: { ...item.text } })),
      properties: input.properties,
      createdTime: time,
      lastEditedTime: time,
    };
    this.state.databases.push(database);
    this.state.dataSources.push(dataSource);
    if (input.parent.type === "page_id") {
      // Notion lists a database under its page as a child_database block with the database's id and title.
      const block: StoredBlock = { id: databaseId, parentId: input.parent.page_id, parentKind: "page", type: "child_database", content: { title: plainText(input.title) }, createdTime: toMinute(time), lastEditedTime: toMinute(time) };
      this.state.blocks.push(block);
      (this.state.children[input.parent.page_id] ??= []).push(block.id);
    }
    return { database, dataSource };
  }

  renderDatabase(database: StoredDatabase): NotionDatabase {
    return {
      object: "database",
      id: database.id,
      title: database.title,
      description: [],
      parent: database.parent,
      is_inline: database.isInline,
      in_trash: false,
      archived: false,
      is_locked: false,
      created_time: database.createdTime,
      last_edited_time: database.lastEditedTime,
      created_by: this.botRef(),
      last_edited_by: this.botRef(),
      data_sources: database.dataSourceIds.map((id) => ({ id, name: plainText(this.dataSource(id)?.title ?? []) })),
      icon: null,
      cover: null,
      url: notionUrl(plainText(database.title), database.id),
      public_url: null,
    };
  }

  renderDataSource(dataSource: StoredDataSource): NotionDataSource {
    const database = this.database(dataSource.databaseId);
    const properties: Record<string, PropertyConfig> = {};
    for (const property of dataSource.properties) properties[property.name] = property;
    return {
      object: "data_source",
      id: dataSource.id,
      title: dataSource.title,
      description: [],
      parent: { type: "database_id", database_id: dataSource.databaseId },
      database_parent: database?.parent ?? { type: "workspace", workspace: true },
      is_inline: database?.isInline ?? false,
      in_trash: false,
      archived: false,
      created_time: dataSource.createdTime,
      last_edited_time: dataSource.lastEditedTime,
      created_by: this.botRef(),
      last_edited_by: this.botRef(),
      properties,
      icon: null,
      cover: null,
      url: notionUrl(plainText(dataSource.title), dataSource.id),
      public_url: null,
    };
  }

  // ----- pages ---------------------------------------------------------------------------------

  page(id: string): StoredPage | undefined {
    return this.state.pages.find((page) => page.id === id);
  }

  pagesOf(dataSourceId: string): StoredPage[] {
    return this.state.pages.filter((page) => page.parent.kind === "data_source" && page.parent.dataSourceId === dataSourceId);
  }

  /** A page outside any data source: what an integration is shared and can create databases under. */
  addParentPage(input: { id?: string; title?: string }): StoredPage {
    const id = input.id === undefined ? randomUUID() : requireId(input.id, "page.id");
    if (this.database(id) || this.dataSource(id) || this.page(id)) throw validationError(`An object with ID ${id} already exists.`);
    const time = this.nowIso();
    const page: StoredPage = {
      id,
      parent: { kind: "workspace" },
      values: { title: { id: "title", type: "title", title: input.title === undefined ? [] : [textItem(input.title)] } },
      icon: null,
      cover: null,
      inTrash: false,
      createdTime: time,
      lastEditedTime: time,
      seq: this.nextSeq(),
    };
    this.state.pages.push(page);
    return page;
  }

  /** pages.create: validates everything first, then writes the page, its schema additions and its blocks. */
  createPage(parent: StoredPageParent, input: PageInput): StoredPage {
    const commits: Commit[] = [];
    const values: Record<string, PagePropertyValue> = {};
    const propertiesRaw = input.properties ?? {};
    if (!isRecord(propertiesRaw)) throw validationError(`body failed validation: body.properties should be an object, instead was ${insteadWas(propertiesRaw)}.`);
    if (parent.kind === "data_source") {
      const dataSource = this.dataSource(parent.dataSourceId);
      if (!dataSource) throw notFound("data source", parent.dataSourceId);
      Object.assign(values, this.parsePropertyValues(dataSource, propertiesRaw, commits));
    } else {
      Object.assign(values, parsePlainPageProperties(propertiesRaw));
    }
    const blocks = input.children === undefined ? [] : parseBlocks(input.children, "body.children");
    const icon = parseIcon(input.icon, "body.icon");
    const cover = parseIcon(input.cover, "body.cover");
    if (input.createdTime !== undefined && !isIsoDate(input.createdTime)) throw validationError(`createdTime should be an ISO 8601 date, instead was ${insteadWas(input.createdTime)}.`);
    const time = this.nowIso();
    const page: StoredPage = {
      id: randomUUID(),
      parent,
      values,
      icon,
      cover,
      inTrash: false,
      // Notion gives (and filters by) a page's created_time to the minute: "2022-10-24T22:54:00.000Z".
      createdTime: input.createdTime ?? toMinute(time),
      lastEditedTime: input.createdTime ?? time,
      seq: this.nextSeq(),
    };
    for (const commit of commits) commit();
    this.state.pages.push(page);
    this.insertBlocks(page.id, "page", blocks, undefined);
    return page;
  }

  /** pages.update: properties (partial), in_trash / archived, icon, cover. */
  updatePage(page: StoredPage, body: Record<string, unknown>): void {
    const trash = body["in_trash"] ?? body["archived"];
    if (trash !== undefined && typeof trash !== "boolean") {
      throw validationError(`body failed validation: body.in_trash should be a boolean, instead was ${insteadWas(trash)}.`);
    }
    const propertiesRaw = body["properties"];
    const touchesContent = propertiesRaw !== undefined || body["icon"] !== undefined || body["cover"] !== undefined;
    if (page.inTrash && trash !== false && touchesContent) {
      throw validationError("Can't edit block that is archived. You must unarchive the block before editing.");
    }
    const commits: Commit[] = [];
    let values: Record<string, PagePropertyValue> = {};
    if (propertiesRaw !== undefined) {
      if (!isRecord(propertiesRaw)) throw validationError(`body failed validation: body.properties should be an object, instead was ${insteadWas(propertiesRaw)}.`);
      if (page.parent.kind === "data_source") {
        const dataSource = this.dataSource(page.parent.dataSourceId);
        if (!dataSource) throw notFound("data source", page.parent.dataSourceId);
        values = this.parsePropertyValues(dataSource, propertiesRaw, commits);
      } else {
        values = parsePlainPageProperties(propertiesRaw);
      }
    }
    const icon = body["icon"] === undefined ? page.icon : parseIcon(body["icon"], "body.icon");
    const cover = body["cover"] === undefined ? page.cover : parseIcon(body["cover"], "body.cover");
    for (const commit of commits) commit();
    Object.assign(page.values, values);
    page.icon = icon;
    page.cover = cover;
    if (typeof trash === "boolean") page.inTrash = trash;
    page.lastEditedTime = this.nowIso();
  }

  private parsePropertyValues(dataSource: StoredDataSource, raw: Record<string, unknown>, commits: Commit[]): Record<string, PagePropertyValue> {
    const values: Record<string, PagePropertyValue> = {};
    for (const [key, value] of Object.entries(raw)) {
      const property = dataSource.properties.find((candidate) => candidate.name === key) ?? dataSource.properties.find((candidate) => candidate.id === key);
      if (!property) throw validationError(`${key} is not a property that exists.`);
      values[property.id] = this.parsePropertyValue(property, value, `body.properties.${key}`, commits);
    }
    return values;
  }

  private parsePropertyValue(property: PropertyConfig, raw: unknown, path: string, commits: Commit[]): PagePropertyValue {
    const expected = `${property.name} is expected to be ${property.type}.`;
    if (!isRecord(raw) || !(property.type in raw)) throw validationError(expected);
    if (raw["type"] !== undefined && raw["type"] !== property.type) throw validationError(expected);
    const value = raw[property.type];
    const id = property.id;
    const typePath = `${path}.${property.type}`;
    switch (property.type) {
      case "title":
        return { id, type: "title", title: parseRichText(value, typePath) };
      case "rich_text":
        return { id, type: "rich_text", rich_text: parseRichText(value, typePath) };
      case "number":
        if (value !== null && (typeof value !== "number" || !Number.isFinite(value))) {
          throw validationError(`body failed validation: ${typePath} should be a number or \`null\`, instead was ${insteadWas(value)}.`);
        }
        return { id, type: "number", number: value };
      case "checkbox":
        if (typeof value !== "boolean") throw validationError(`body failed validation: ${typePath} should be a boolean, instead was ${insteadWas(value)}.`);
        return { id, type: "checkbox", checkbox: value };
      case "url":
      case "email":
      case "phone_number": {
        if (value !== null && typeof value !== "string") {
          throw validationError(`body failed validation: ${typePath} should be a string or \`null\`, instead was ${insteadWas(value)}.`);
        }
        if (typeof value === "string") checkMaxLength(typePath, value.length, property.type === "url" ? MAX_TEXT_LENGTH : 200);
        const text = value === "" ? null : value;
        if (property.type === "url") return { id, type: "url", url: text };
        if (property.type === "email") return { id, type: "email", email: text };
        return { id, type: "phone_number", phone_number: text };
      }
      case "date":
        return { id, type: "date", date: parseDateValue(value, typePath) };
      case "select": {
        if (value === null) return { id, type: "select", select: null };
        const option = this.resolveOption(property.select.options, value, typePath);
        this.commitNewOptions(property.select.options, [option], commits);
        return { id, type: "select", select: { ...option } };
      }
      case "multi_select": {
        if (!Array.isArray(value)) throw validationError(`body failed validation: ${typePath} should be an array, instead was ${insteadWas(value)}.`);
        checkMaxLength(typePath, value.length, MAX_ARRAY_LENGTH);
        const known = [...property.multi_select.options];
        const chosen: SelectOption[] = [];
        value.forEach((item: unknown, index) => {
          const option = this.resolveOption(known, item, `${typePath}[${index}]`);
          if (!known.includes(option)) known.push(option);
          if (!chosen.includes(option)) chosen.push(option);
        });
        this.commitNewOptions(property.multi_select.options, chosen, commits);
        return { id, type: "multi_select", multi_select: chosen.map((option) => ({ ...option })) };
      }
      case "status": {
        if (value === null) return { id, type: "status", status: null };
        if (!isRecord(value)) throw validationError(`body failed validation: ${typePath} should be an object or \`null\`, instead was ${insteadWas(value)}.`);
        const options = property.status.options;
        const option =
          typeof value["id"] === "string"
            ? options.find((candidate) => candidate.id === value["id"])
            : typeof value["name"] === "string"
              ? options.find((candidate) => candidate.name === value["name"])
              : undefined;
        if (!option) {
          // Unlike select, Notion never creates a status option from a page write.
          throw validationError(`Invalid status option. Status option ${JSON.stringify(value["name"] ?? value["id"])} does not exist for property "${property.name}".`);
        }
        return { id, type: "status", status: { ...option } };
      }
      case "people": {
        if (!Array.isArray(value)) throw validationError(`body failed validation: ${typePath} should be an array, instead was ${insteadWas(value)}.`);
        checkMaxLength(typePath, value.length, MAX_ARRAY_LENGTH);
        const people = value.map((item: unknown, index) => {
          const userId = requireId(isRecord(item) ? item["id"] : undefined, `body failed validation: ${typePath}[${index}].id`);
          const user = this.user(userId);
          if (!user) throw validationError(`body failed validation: ${typePath}[${index}].id ${userId} is not a user in this workspace.`);
          return this.renderUser(user);
        });
        return { id, type: "people", people };
      }
      case "created_time":
      case "last_edited_time":
      case "created_by":
      case "last_edited_by":
        throw validationError(`${property.name} is a ${property.type} property, which cannot be written.`);
    }
  }

  /** Select/multi-select: by id must exist; by name an unknown option is made, as Notion does. */
  private resolveOption(options: readonly SelectOption[], raw: unknown, path: string): SelectOption {
    if (!isRecord(raw)) throw validationError(`body failed validation: ${path} should be an object, instead was ${insteadWas(raw)}.`);
    if (typeof raw["id"] === "string") {
      const byId = options.find((option) => option.id === raw["id"]);
      if (!byId) throw validationError(`body failed validation: ${path}.id ${JSON.stringify(raw["id"])} is not an option of this property.`);
      return byId;
    }
    const name = raw["name"];
    if (typeof name !== "string" || name.trim() === "") {
      throw validationError(`body failed validation: ${path}.name should be a non-empty string, instead was ${insteadWas(name)}.`);
    }
    if (name.includes(",")) throw validationError(`Select option names cannot contain commas: "${name}".`);
    checkMaxLength(`${path}.name`, name.length, 100);
    return (
      options.find((option) => option.name === name) ?? {
        id: randomUUID(),
        name,
        color: isColor(raw["color"]) ? raw["color"] : "default",
        description: null,
      }
    );
  }

  /** Adds the options a page write named but the schema lacks, once the whole write is valid. */
  private commitNewOptions(options: SelectOption[], chosen: readonly SelectOption[], commits: Commit[]): void {
    const added = chosen.filter((option) => !options.includes(option));
    if (added.length === 0) return;
    commits.push(() => {
      for (const option of added) if (!options.some((existing) => existing.name === option.name)) options.push(option);
    });
  }

  renderPage(page: StoredPage): NotionPage {
    const properties: Record<string, PagePropertyValue> = {};
    let title = "";
    let parent: NotionPage["parent"];
    if (page.parent.kind === "data_source") {
      const dataSource = this.dataSource(page.parent.dataSourceId);
      parent = { type: "data_source_id", data_source_id: page.parent.dataSourceId, database_id: dataSource?.databaseId ?? page.parent.dataSourceId };
      for (const property of dataSource?.properties ?? []) {
        const value = this.valueOf(page, property);
        properties[property.name] = value;
        if (value.type === "title") title = plainText(value.title);
      }
    } else {
      parent = page.parent.kind === "page" ? { type: "page_id", page_id: page.parent.pageId } : { type: "workspace", workspace: true };
      const value = page.values["title"] ?? { id: "title", type: "title", title: [] };
      properties["title"] = value;
      if (value.type === "title") title = plainText(value.title);
    }
    return {
      object: "page",
      id: page.id,
      created_time: page.createdTime,
      last_edited_time: page.lastEditedTime,
      created_by: this.botRef(),
      last_edited_by: this.botRef(),
      cover: page.cover,
      icon: page.icon,
      parent,
      in_trash: page.inTrash,
      archived: page.inTrash,
      is_archived: page.inTrash,
      is_locked: false,
      properties,
      url: notionUrl(title, page.id),
      public_url: null,
    };
  }

  /** A page's value for one property, as Notion returns it: stored, computed, or the type's empty value. */
  valueOf(page: StoredPage, property: PropertyConfig): PagePropertyValue {
    const id = property.id;
    switch (property.type) {
      case "created_time":
        return { id, type: "created_time", created_time: page.createdTime };
      case "last_edited_time":
        return { id, type: "last_edited_time", last_edited_time: page.lastEditedTime };
      case "created_by":
        return { id, type: "created_by", created_by: this.botRef() };
      case "last_edited_by":
        return { id, type: "last_edited_by", last_edited_by: this.botRef() };
    }
    const stored = page.values[id];
    if (stored && stored.type === property.type) return stored;
    switch (property.type) {
      case "title":
        return { id, type: "title", title: [] };
      case "rich_text":
        return { id, type: "rich_text", rich_text: [] };
      case "number":
        return { id, type: "number", number: null };
      case "select":
        return { id, type: "select", select: null };
      case "multi_select":
        return { id, type: "multi_select", multi_select: [] };
      case "status": {
        // A page created without a status gets the first option of the To-do group, like in Notion.
        const group = property.status.groups.find((candidate) => candidate.name === "To-do") ?? property.status.groups[0];
        const option = property.status.options.find((candidate) => candidate.id === group?.option_ids[0]) ?? property.status.options[0];
        return { id, type: "status", status: option ? { ...option } : null };
      }
      case "date":
        return { id, type: "date", date: null };
      case "people":
        return { id, type: "people", people: [] };
      case "checkbox":
        return { id, type: "checkbox", checkbox: false };
      case "url":
        return { id, type: "url", url: null };
      case "email":
        return { id, type: "email", email: null };
      case "phone_number":
        return { id, type: "phone_number", phone_number: null };
    }
  }

  // ----- blocks --------------------------------------------------------------------------------

  block(id: string): StoredBlock | undefined {
    return this.state.blocks.find((block) => block.id === id);
  }

  /** Appends (or inserts after `after`) parsed blocks under a page or block; returns the new top-level blocks. */
  insertBlocks(parentId: string, parentKind: "page" | "block", blocks: ParsedBlock[], after: string | undefined): StoredBlock[] {
    const time = this.nowIso();
    const order = (this.state.children[parentId] ??= []);
    let position = after === undefined ? order.length : order.indexOf(after) + 1;
    const created: StoredBlock[] = [];
    for (const parsed of blocks) {
      const block: StoredBlock = { id: randomUUID(), parentId, parentKind, type: parsed.type, content: parsed.content, createdTime: time, lastEditedTime: time };
      this.state.blocks.push(block);
      order.splice(position, 0, block.id);
      position += 1;
      created.push(block);
      if (parsed.children.length > 0) this.insertBlocks(block.id, "block", parsed.children, undefined);
    }
    return created;
  }

  childrenOf(parentId: string): StoredBlock[] {
    return (this.state.children[parentId] ?? []).flatMap((id) => {
      const block = this.block(id);
      return block ? [block] : [];
    });
  }

  renderBlock(block: StoredBlock): NotionBlock {
    return {
      object: "block",
      id: block.id,
      parent: block.parentKind === "page" ? { type: "page_id", page_id: block.parentId } : { type: "block_id", block_id: block.parentId },
      created_time: block.createdTime,
      last_edited_time: block.lastEditedTime,
      created_by: this.botRef(),
      last_edited_by: this.botRef(),
      has_children: (this.state.children[block.id]?.length ?? 0) > 0,
      in_trash: false,
      archived: false,
      type: block.type,
      [block.type]: block.content,
    };
  }
}

/** A page outside a data source has one property, its title, under the key "title". */
function parsePlainPageProperties(raw: Record<string, unknown>): Record<string, PagePropertyValue> {
  const values: Record<string, PagePropertyValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key !== "title") throw validationError(`${key} is not a property that exists.`);
    if (!isRecord(value) || !("title" in value)) throw validationError("title is expected to be title.");
    values["title"] = { id: "title", type: "title", title: parseRichText(value["title"], "body.properties.title.title") };
  }
  return values;
}

function parseIcon(raw: unknown, path: string): IconValue | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw) || typeof raw["type"] !== "string") {
    throw validationError(`body failed validation: ${path}.type should be defined, instead was ${insteadWas(isRecord(raw) ? raw["type"] : raw)}.`);
  }
  return { ...raw, type: raw["type"] };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value));
}

function parseDateValue(raw: unknown, path: string): DateValue | null {
  if (raw === null) return null;
  if (!isRecord(raw)) throw validationError(`body failed validation: ${path} should be an object or \`null\`, instead was ${insteadWas(raw)}.`);
  const start = raw["start"];
  if (typeof start !== "string" || !isIsoDate(start)) {
    throw validationError(`body failed validation: ${path}.start should be a valid ISO 8601 date string, instead was ${insteadWas(start)}.`);
  }
  const end = raw["end"] ?? null;
  if (end !== null && (typeof end !== "string" || !isIsoDate(end))) {
    throw validationError(`body failed validation: ${path}.end should be a valid ISO 8601 date string or \`null\`, instead was ${insteadWas(end)}.`);
  }
  const timeZone = raw["time_zone"] ?? null;
  if (timeZone !== null && typeof timeZone !== "string") {
    throw validationError(`body failed validation: ${path}.time_zone should be a string or \`null\`, instead was ${insteadWas(timeZone)}.`);
  }
  return { start, end, time_zone: timeZone };
}

/** Notion's page URL: the title as a slug, then the id without dashes. */
export function notionUrl(title: string, id: string): string {
  const slug = title
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  const hex = id.replaceAll("-", "");
  return `https://www.notion.so/${slug === "" ? hex : `${slug}-${hex}`}`;
}

/** An ISO 8601 time cut to its minute, as Notion gives a page's created_time. */
function toMinute(iso: string): string {
  return `${iso.slice(0, "YYYY-MM-DDTHH:MM".length)}:00.000Z`;
}
