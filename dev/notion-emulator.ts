/**
 * An in-memory loopback HTTP emulator of the Notion API (version 2025-09-03, the data-source API),
 * for tests and the offline sandbox. Point the real @notionhq/client at `url` (its `baseUrl`);
 * script faults per route with `fail()`; read what was sent in `requests` and what exists with
 * `pages()` / `children()`.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import type { EmulatorState, StoredPage, StoredPageParent } from "./notion-emulator-model.js";
import {
  emptyState,
  insteadWas,
  MAX_ARRAY_LENGTH,
  normalizeId,
  notFound,
  NotionApiError,
  NotionStore,
  parseBlocks,
  parseRichText,
  parseSchema,
  requireId,
  textItem,
  validationError,
} from "./notion-emulator-model.js";
import { isRecord } from "./is-record.js";
import { compileFilter, compileSorts } from "./notion-emulator-query.js";
import { readBody } from "./serve-handler.js";
import { NotionWebhookSender, type NotionWebhookOptions, type WebhookAuthor, type WebhookDelivery } from "./notion-emulator-webhooks.js";
import type { DatabaseParent, NotionBlock, NotionDataSource, NotionPage, NotionUser, PropertySchema } from "./notion-emulator-types.js";

export type * from "./notion-emulator-types.js";
export { NotionApiError } from "./notion-emulator-model.js";
export type { NotionWebhookOptions, WebhookAuthor, WebhookDelivery } from "./notion-emulator-webhooks.js";

export type NotionFault =
  /** Notion's error JSON `{object:"error", status, code, message, request_id}`. */
  | { kind: "error"; status: number; code: string; message?: string }
  /** 429 `rate_limited` with a Retry-After header. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /**
   * A non-JSON answer, e.g. an HTML 502 or 504 from the edge in front of Notion. With commitFirst the
   * request is carried out first: Notion wrote, and the answer that says so was lost on the way.
   */
  | { kind: "http"; status: number; body?: string; commitFirst?: boolean }
  /**
   * Answer late. Without commitFirst the request is also carried out late; with it the write happens
   * at once. Without `ms`, held until `releaseHeld()`: the test, not a timer, says when Notion is done,
   * so "still saving when the other request looked" holds however busy the machine is.
   */
  | { kind: "delay"; ms?: number; commitFirst?: boolean }
  /** Never answer (until close()); with commitFirst the write still happens. */
  | { kind: "hang"; commitFirst?: boolean }
  /** Destroy the socket without answering; with commitFirst the request is carried out first (a reset after the write). */
  | { kind: "drop"; commitFirst?: boolean };

export type NotionRoute =
  | "databases.retrieve"
  | "databases.create"
  | "dataSources.retrieve"
  | "dataSources.query"
  | "pages.create"
  | "pages.retrieve"
  | "pages.update"
  | "blocks.children.append"
  | "blocks.children.list"
  | "users.list"
  | "users.me"
  | "users.retrieve";

export interface NotionRequest {
  route: NotionRoute | "unknown";
  method: string;
  /** The URL path, e.g. "/v1/data_sources/<id>/query". */
  path: string;
  /** The query string, e.g. `{ page_size: "100" }` for a GET list. */
  query: Record<string, string>;
  /** The parsed JSON body; the raw text if it was not JSON; undefined if there was none. */
  body: unknown;
  notionVersion: string | undefined;
  /** Arrival time, ms since the epoch. */
  at: number;
}

/**
 * Notion's limit: "an average of three requests per second", with "some bursts beyond the average rate"
 * allowed (developers.notion.com/reference/request-limits). Without `burst`, strictly
 * `requestsPerSecond` in any rolling second (Retry-After: 1). With it, a bucket of `burst` requests
 * refilled at `requestsPerSecond`: the documented average, with a burst allowance (Retry-After: the
 * whole seconds until the next request is allowed).
 */
export interface NotionRateLimit {
  requestsPerSecond: number;
  burst?: number;
}

export interface NotionEmulatorOptions {
  /** When set, every request must carry `Authorization: Bearer <token>`, else 401 unauthorized. */
  token?: string;
  latencyMs?: number;
  rateLimit?: NotionRateLimit;
  /** Load all data from this JSON file on start (if it exists) and write it after each change. */
  statePath?: string;
  /** Clock for created_time/last_edited_time, relative date filters ("today"), request times and the rate limit; defaults to Date.now. */
  now?: () => number;
  /** Loopback port to listen on; 0 (the default) picks a free one. The sandbox uses a fixed one. */
  port?: number;
  /**
   * An integration webhook subscription: events for the selected types are POSTed, signed with the
   * token, when a page changes (through the API, authored by the bot, or `setStatus`, by a person).
   */
  webhooks?: NotionWebhookOptions;
}

export interface NotionEmulator {
  /** "http://127.0.0.1:<port>": pass as the Client's `baseUrl`. */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: NotionRequest[];
  requestsTo(route: NotionRoute): NotionRequest[];
  /** Scripts a fault for the next `times` requests to `route` (default 1; Infinity = always); FIFO per route. */
  fail(route: NotionRoute, fault: NotionFault, options?: { times?: number }): void;
  /** Added to every answer. */
  latencyMs: number;
  /** When set, requests beyond it get 429 rate_limited with Retry-After (see NotionRateLimit). */
  rateLimit: NotionRateLimit | undefined;
  /** Requests the rate limit refused (429) since the start or the last reset(). */
  readonly rateLimited: number;
  addDatabase(input: {
    title?: string;
    databaseId?: string;
    dataSourceId?: string;
    properties: Record<string, PropertySchema>;
    parentPageId?: string;
  }): { databaseId: string; dataSourceId: string };
  /** Adds a page as pages.create would (same validation); returns it as Notion returns it. */
  addPage(dataSourceId: string, properties: Record<string, unknown>, options?: { createdTime?: string }): NotionPage;
  /** A plain page the integration can see, e.g. to create a database under. */
  addParentPage(input?: { id?: string; title?: string }): { id: string };
  /** Someone deletes a select option in Notion's page (the schema no longer lists it); false if there was none. */
  removeOption(dataSourceId: string, property: string, option: string): boolean;
  addUser(user: { id?: string; name: string; email?: string; type?: "person" | "bot" }): { id: string };
  /** Every user of the workspace, the bot included, as users.list returns them. */
  users(): NotionUser[];
  /** The bot user that users.me returns. */
  readonly botUserId: string;
  /** Pages (trashed ones too) in creation order, of one data source or of all. */
  pages(dataSourceId?: string): NotionPage[];
  page(id: string): NotionPage | undefined;
  /** A data source as data_sources.retrieve returns it (the board's schema), without a request. */
  dataSource(id: string): NotionDataSource | undefined;
  /** Blocks appended or created under a page or block, in order. */
  children(blockId: string): NotionBlock[];
  /** Subscribes (or, with undefined, unsubscribes) webhooks, e.g. once the receiver's URL is known. */
  configureWebhooks(options: NotionWebhookOptions | undefined): void;
  /** The subscription's deliveries, and the helpers that deliver again, replay, hold and release (notion-emulator-webhooks.ts). */
  readonly webhooks: NotionWebhookSender;
  /** Sends the subscription's handshake: the unsigned `{ verification_token }`. */
  sendHandshake(): Promise<WebhookDelivery>;
  /**
   * Sets a task's status as someone does in Notion (`by`: a person by default, or "bot"), and sends
   * the page.properties_updated event; resolves once it is answered (undefined without a subscription).
   * `property` names the status (or select) property, "Status" by default.
   */
  setStatus(pageId: string, option: string, options?: { by?: WebhookAuthor | "bot"; property?: string }): Promise<WebhookDelivery | undefined>;
  /**
   * Connections a `hang` fault holds that the client has not closed yet. A client that aborts a
   * request at its deadline closes its socket, so this drops back to 0; one that only stops waiting
   * leaves it open until close().
   */
  hangingConnections(): number;
  /** Lets the requests a `delay` fault without `ms` holds go on (carried out, then answered); returns how many. */
  releaseHeld(): number;
  /** Drops recorded requests, scripted faults and the rate-limit window; keeps the data. */
  reset(): void;
  close(): Promise<void>;
}

/** The board the bot expects, as a schema for `addDatabase`; `overrides` replace (or with null, drop) properties. */
export function taskBoardSchema(overrides: Record<string, PropertySchema | null> = {}): Record<string, PropertySchema> {
  const schema: Record<string, PropertySchema> = {
    Name: { title: {} },
    Status: {
      status: {
        options: [
          { name: "Not started", color: "default" },
          { name: "In progress", color: "blue" },
          { name: "Done", color: "green" },
        ],
        // Option names stand in for option ids here; the emulator resolves them.
        groups: [
          { name: "To-do", color: "gray", option_ids: ["Not started"] },
          { name: "In progress", color: "blue", option_ids: ["In progress"] },
          { name: "Complete", color: "green", option_ids: ["Done"] },
        ],
      },
    },
    Priority: {
      select: {
        options: [
          { name: "High", color: "red" },
          { name: "Medium", color: "yellow" },
          { name: "Low", color: "gray" },
        ],
      },
    },
    Due: { date: {} },
    "Requested by": { rich_text: {} },
    "Slack link": { url: {} },
    "Request ID": { rich_text: {} },
    Assignee: { people: {} },
  };
  for (const [name, property] of Object.entries(overrides)) {
    if (property === null) delete schema[name];
    else schema[name] = property;
  }
  return schema;
}

/** Starts the emulator on a loopback port (an ephemeral one unless `port` is given). */
export async function startNotionEmulator(options: NotionEmulatorOptions = {}): Promise<NotionEmulator> {
  const emulator = new LoopbackNotion(options);
  await emulator.listen();
  return emulator;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

/** The first API version with data sources; older versions cannot reach them. */
const DATA_SOURCE_VERSION = "2025-09-03";

const WRITE_ROUTES: ReadonlySet<NotionRoute> = new Set(["databases.create", "pages.create", "pages.update", "blocks.children.append"]);

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

interface RouteMatch {
  route: NotionRoute;
  /** The id in the path and its parameter name, for routes that have one. */
  id?: { raw: string; name: string };
}

const DEFAULT_ERROR_MESSAGES: Record<string, string> = {
  unauthorized: "API token is invalid.",
  restricted_resource: "Insufficient permissions for this endpoint.",
  object_not_found: "Could not find object. Make sure the relevant pages and databases are shared with your integration.",
  rate_limited: "You have been rate limited. Please try again in a few minutes.",
  conflict_error: "Conflict occurred while saving. Please try again.",
  internal_server_error: "Unexpected error occurred.",
  service_unavailable: "Notion is unavailable, please try again later.",
  gateway_timeout: "Notion timed out while attempting to complete this request. Please try again later.",
  validation_error: "body failed validation.",
  invalid_request: "Invalid request.",
};

function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const segments = pathname.split("/").filter((segment) => segment !== "");
  if (segments[0] !== "v1") return undefined;
  const [resource, id, sub, ...rest] = segments.slice(1);
  if (rest.length > 0) return undefined;
  const withId = (route: NotionRoute, name: string): RouteMatch | undefined => (id === undefined ? undefined : { route, id: { raw: decodeURIComponent(id), name } });
  switch (resource) {
    case "databases":
      if (id === undefined && method === "POST") return { route: "databases.create" };
      if (sub === undefined && method === "GET") return withId("databases.retrieve", "database_id");
      return undefined;
    case "data_sources":
      if (sub === undefined && method === "GET") return withId("dataSources.retrieve", "data_source_id");
      if (sub === "query" && method === "POST") return withId("dataSources.query", "data_source_id");
      return undefined;
    case "pages":
      if (id === undefined && method === "POST") return { route: "pages.create" };
      if (sub === undefined && method === "GET") return withId("pages.retrieve", "page_id");
      if (sub === undefined && method === "PATCH") return withId("pages.update", "page_id");
      return undefined;
    case "blocks":
      if (sub === "children" && method === "PATCH") return withId("blocks.children.append", "block_id");
      if (sub === "children" && method === "GET") return withId("blocks.children.list", "block_id");
      return undefined;
    case "users":
      if (id === undefined && method === "GET") return { route: "users.list" };
      if (id === "me" && sub === undefined && method === "GET") return { route: "users.me" };
      if (sub === undefined && method === "GET") return withId("users.retrieve", "user_id");
      return undefined;
    default:
      return undefined;
  }
}

function jsonAnswer(status: number, body: object, extraHeaders: Record<string, string> = {}): Answer {
  const requestId = randomUUID();
  const withRequestId = { ...body, request_id: requestId };
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-notion-request-id": requestId, ...extraHeaders },
    text: JSON.stringify(withRequestId),
  };
}

function errorAnswer(status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): Answer {
  return jsonAnswer(status, { object: "error", status, code, message }, extraHeaders);
}

function rateLimitedAnswer(retryAfterSeconds: number): Answer {
  return errorAnswer(429, "rate_limited", DEFAULT_ERROR_MESSAGES["rate_limited"] ?? "rate_limited", { "retry-after": String(retryAfterSeconds) });
}

function loadState(statePath: string | undefined): EmulatorState {
  if (statePath === undefined || !existsSync(statePath)) return emptyState();
  const parsed: unknown = JSON.parse(readFileSync(statePath, "utf8"));
  if (!isRecord(parsed) || parsed["version"] !== 1 || !Array.isArray(parsed["pages"]) || !Array.isArray(parsed["dataSources"])) {
    throw new Error(`${statePath} is not a Notion emulator state file (version 1).`);
  }
  // The file is the emulator's own output (see saveState); its shape was checked above.
  return parsed as unknown as EmulatorState;
}

function saveState(statePath: string, state: EmulatorState): void {
  mkdirSync(dirname(statePath), { recursive: true });
  const temporary = `${statePath}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, statePath);
}

function pageSizeOf(raw: unknown, path: string): number {
  if (raw === undefined) return MAX_ARRAY_LENGTH;
  if (typeof raw !== "number" || !Number.isInteger(raw)) throw validationError(`${path} should be an integer, instead was ${insteadWas(raw)}.`);
  if (raw > MAX_ARRAY_LENGTH) throw validationError(`${path} should be ≤ \`${MAX_ARRAY_LENGTH}\`, instead was \`${raw}\`.`);
  if (raw < 1) throw validationError(`${path} should be ≥ \`1\`, instead was \`${raw}\`.`);
  return raw;
}

/** Cursor pagination as Notion does it: next_cursor is the id of the first item of the next page. */
function paginate<T extends { id: string }>(items: readonly T[], cursor: unknown, pageSize: number, path: string): { results: T[]; next_cursor: string | null; has_more: boolean } {
  let start = 0;
  if (cursor !== undefined && cursor !== null) {
    const id = normalizeId(cursor);
    start = id === undefined ? -1 : items.findIndex((item) => item.id === id);
    if (start < 0) throw validationError(`${path} should be a valid start_cursor, instead was ${insteadWas(cursor)}.`);
  }
  const results = items.slice(start, start + pageSize);
  const next = items[start + pageSize];
  return { results, next_cursor: next?.id ?? null, has_more: next !== undefined };
}

class LoopbackNotion implements NotionEmulator {
  readonly requests: NotionRequest[] = [];
  latencyMs: number;
  rateLimit: NotionRateLimit | undefined;
  rateLimited = 0;
  private readonly store: NotionStore;
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      // A client that went away mid-request is not an error; anything else is an emulator bug,
      // not a Notion behaviour: answer 500 and keep the cause visible.
      if (req.destroyed || res.destroyed || this.closed) return;
      console.error("notion emulator:", error);
      if (!res.headersSent) this.write(res, errorAnswer(500, "internal_server_error", String(error)));
    });
  });
  private readonly faults = new Map<NotionRoute, { fault: NotionFault; remaining: number }[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hung = new Set<IncomingMessage["socket"]>();
  private readonly held: (() => void)[] = [];
  private arrivals: number[] = [];
  /** The burst bucket: requests it holds, as of `at`. */
  private bucket: { tokens: number; at: number } | undefined;
  private port = 0;
  private closed = false;
  readonly webhooks: NotionWebhookSender;

  constructor(private readonly options: NotionEmulatorOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.rateLimit = options.rateLimit;
    this.store = new NotionStore(loadState(options.statePath), options.now ?? Date.now);
    this.webhooks = new NotionWebhookSender(options.webhooks, { now: options.now ?? Date.now, workspaceId: this.store.state.workspaceId });
  }

  configureWebhooks(options: NotionWebhookOptions | undefined): void {
    this.webhooks.configure(options);
  }

  sendHandshake(): Promise<WebhookDelivery> {
    return this.webhooks.sendHandshake();
  }

  async setStatus(pageId: string, option: string, options: { by?: WebhookAuthor | "bot"; property?: string } = {}): Promise<WebhookDelivery | undefined> {
    const id = requireId(pageId, "pageId");
    const page = this.store.page(id);
    if (!page || page.parent.kind !== "data_source") throw notFound("page", id);
    const dataSource = this.store.dataSource(page.parent.dataSourceId);
    const property =
      dataSource?.properties.find((candidate) => candidate.name === (options.property ?? "Status")) ?? dataSource?.properties.find((candidate) => candidate.type === "status");
    if (!property || (property.type !== "status" && property.type !== "select")) throw validationError(`the page's board has no status property ${options.property ?? "Status"}`);
    this.store.updatePage(page, { properties: { [property.name]: property.type === "status" ? { status: { name: option } } : { select: { name: option } } } });
    const author: WebhookAuthor = options.by === "bot" ? { id: this.store.botId, type: "bot" } : (options.by ?? { id: this.somePerson(), type: "person" });
    this.persist();
    return this.webhooks.emit(this.pageEvent("page.properties_updated", page, [author], [property.id]));
  }

  /** Someone in the workspace to make a change "in Notion": the first person, or one made up. */
  private somePerson(): string {
    const person = this.store.state.users.find((user) => user.type === "person");
    return person?.id ?? this.store.addUser({ name: "Nora Notion", email: "nora@example.com" }).id;
  }

  /** An event about a page, as Notion shapes it for a data source's row. */
  private pageEvent(type: string, page: StoredPage, authors: WebhookAuthor[], updatedProperties?: string[]) {
    const dataSourceId = page.parent.kind === "data_source" ? page.parent.dataSourceId : undefined;
    const databaseId = dataSourceId === undefined ? undefined : this.store.dataSource(dataSourceId)?.databaseId;
    return {
      type,
      authors,
      entity: { id: page.id, type: "page" },
      data: {
        parent: dataSourceId === undefined ? { id: this.store.state.workspaceId, type: "space" } : { id: databaseId ?? dataSourceId, type: "database", data_source_id: dataSourceId },
        ...(updatedProperties ? { updated_properties: updatedProperties } : {}),
      },
    };
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get botUserId(): string {
    return this.store.botId;
  }

  requestsTo(route: NotionRoute): NotionRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  fail(route: NotionRoute, fault: NotionFault, options: { times?: number } = {}): void {
    const times = options.times ?? 1;
    if (!(times >= 1)) throw new Error(`fail(): times must be at least 1 (or Infinity), got ${times}`);
    const queue = this.faults.get(route) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(route, queue);
  }

  reset(): void {
    this.requests.length = 0;
    this.faults.clear();
    this.arrivals = [];
    this.bucket = undefined;
    this.rateLimited = 0;
  }

  addDatabase(input: { title?: string; databaseId?: string; dataSourceId?: string; properties: Record<string, PropertySchema>; parentPageId?: string }): { databaseId: string; dataSourceId: string } {
    const parentPageId = input.parentPageId === undefined ? undefined : requireId(input.parentPageId, "parentPageId");
    const properties = parseSchema(input.properties, "properties");
    let parentId = parentPageId;
    if (parentId === undefined || !this.store.page(parentId)) {
      // A database always lives under a page the integration can see; make one when none is known.
      parentId = this.store.addParentPage({ ...(parentId === undefined ? {} : { id: parentId }), title: "Chatops" }).id;
    }
    const { database, dataSource } = this.store.createDatabase({
      title: [textItem(input.title ?? "Tasks")],
      parent: { type: "page_id", page_id: parentId },
      properties,
      ...(input.databaseId === undefined ? {} : { databaseId: requireId(input.databaseId, "databaseId") }),
      ...(input.dataSourceId === undefined ? {} : { dataSourceId: requireId(input.dataSourceId, "dataSourceId") }),
    });
    this.persist();
    return { databaseId: database.id, dataSourceId: dataSource.id };
  }

  addPage(dataSourceId: string, properties: Record<string, unknown>, options: { createdTime?: string } = {}): NotionPage {
    const id = requireId(dataSourceId, "dataSourceId");
    if (!this.store.dataSource(id)) throw notFound("data source", id);
    const page = this.store.createPage({ kind: "data_source", dataSourceId: id }, { properties, ...(options.createdTime === undefined ? {} : { createdTime: options.createdTime }) });
    this.persist();
    return this.store.renderPage(page);
  }

  removeOption(dataSourceId: string, property: string, option: string): boolean {
    const id = normalizeId(dataSourceId);
    const config = (id === undefined ? undefined : this.store.dataSource(id))?.properties.find((candidate) => candidate.name === property);
    const options = config?.type === "select" ? config.select.options : undefined;
    const at = options?.findIndex((candidate) => candidate.name === option) ?? -1;
    if (at < 0) return false;
    options!.splice(at, 1);
    this.persist();
    return true;
  }

  addParentPage(input: { id?: string; title?: string } = {}): { id: string } {
    const page = this.store.addParentPage(input);
    this.persist();
    return { id: page.id };
  }

  users(): NotionUser[] {
    return this.store.users();
  }

  addUser(user: { id?: string; name: string; email?: string; type?: "person" | "bot" }): { id: string } {
    const added = this.store.addUser(user);
    this.persist();
    return { id: added.id };
  }

  pages(dataSourceId?: string): NotionPage[] {
    let pages: StoredPage[] = this.store.state.pages;
    if (dataSourceId !== undefined) {
      const id = requireId(dataSourceId, "dataSourceId");
      if (!this.store.dataSource(id)) throw notFound("data source", id);
      pages = this.store.pagesOf(id);
    }
    return [...pages].sort((a, b) => a.seq - b.seq).map((page) => this.store.renderPage(page));
  }

  page(id: string): NotionPage | undefined {
    const normalized = normalizeId(id);
    const page = normalized === undefined ? undefined : this.store.page(normalized);
    return page && this.store.renderPage(page);
  }

  dataSource(id: string): NotionDataSource | undefined {
    const normalized = normalizeId(id);
    const dataSource = normalized === undefined ? undefined : this.store.dataSource(normalized);
    return dataSource && this.store.renderDataSource(dataSource);
  }

  children(blockId: string): NotionBlock[] {
    const id = normalizeId(blockId);
    return id === undefined ? [] : this.store.childrenOf(id).map((block) => this.store.renderBlock(block));
  }

  hangingConnections(): number {
    return this.hung.size;
  }

  releaseHeld(): number {
    const released = this.held.splice(0);
    for (const release of released) release();
    return released.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held.length = 0;
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Also ends keep-alive sockets and requests left hanging by a "hang" fault.
    this.server.closeAllConnections();
    await closing;
  }

  // ----- request handling --------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The emulator's clock: a test on a virtual clock sees the rate limit by it too.
    const at = (this.options.now ?? Date.now)();
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const match = matchRoute(method, url.pathname);
    const versionHeader = req.headers["notion-version"];
    const notionVersion = Array.isArray(versionHeader) ? versionHeader[0] : versionHeader;
    let body: unknown;
    let invalidJson = false;
    if (raw.trim() !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        invalidJson = true;
        body = raw;
      }
    }
    this.requests.push({ route: match?.route ?? "unknown", method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, notionVersion, at });

    const refusedFor = this.rateLimitedFor(at);
    if (refusedFor !== undefined) {
      this.rateLimited += 1;
      return this.send(res, rateLimitedAnswer(refusedFor));
    }
    const run = (): Answer => this.process(req, match, body, invalidJson, url, notionVersion);
    const fault = match === undefined ? undefined : this.takeFault(match.route);
    if (fault === undefined) return this.send(res, run());
    switch (fault.kind) {
      case "error":
        return this.send(res, errorAnswer(fault.status, fault.code, fault.message ?? DEFAULT_ERROR_MESSAGES[fault.code] ?? fault.code));
      case "rate_limited":
        return this.send(res, rateLimitedAnswer(fault.retryAfterSeconds));
      case "http": {
        if (fault.commitFirst === true) run();
        const reason = STATUS_CODES[fault.status] ?? "Error";
        const text = fault.body ?? `<html>\r\n<head><title>${fault.status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${fault.status} ${reason}</h1></center>\r\n</body>\r\n</html>\r\n`;
        return this.send(res, { status: fault.status, headers: { "content-type": "text/html" }, text });
      }
      case "drop":
        if (fault.commitFirst === true) run();
        req.socket.destroy();
        return;
      case "hang":
        if (fault.commitFirst === true) run();
        if (!req.socket.destroyed) {
          const socket = req.socket;
          this.hung.add(socket);
          socket.once("close", () => this.hung.delete(socket));
        }
        return;
      case "delay": {
        const wait = () => (fault.ms === undefined ? this.hold() : this.sleep(fault.ms));
        if (fault.commitFirst === true) {
          const answer = run();
          await wait();
          return this.send(res, answer);
        }
        await wait();
        return this.send(res, run());
      }
    }
  }

  /** The Retry-After (whole seconds) of a request refused by the rate limit, or undefined when it is allowed. */
  private rateLimitedFor(at: number): number | undefined {
    const limit = this.rateLimit;
    if (limit === undefined) return undefined;
    if (limit.burst !== undefined) {
      const last = this.bucket ?? { tokens: limit.burst, at };
      const tokens = Math.min(limit.burst, last.tokens + ((at - last.at) / 1000) * limit.requestsPerSecond);
      if (tokens < 1) {
        this.bucket = { tokens, at };
        return Math.max(1, Math.ceil((1 - tokens) / limit.requestsPerSecond));
      }
      this.bucket = { tokens: tokens - 1, at };
      return undefined;
    }
    this.arrivals = this.arrivals.filter((time) => at - time < 1000);
    if (this.arrivals.length >= limit.requestsPerSecond) return 1;
    this.arrivals.push(at);
    return undefined;
  }

  private takeFault(route: NotionRoute): NotionFault | undefined {
    const queue = this.faults.get(route);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  /** Auth, version and body checks, then the route itself; every Notion error becomes its JSON. */
  private process(req: IncomingMessage, match: RouteMatch | undefined, body: unknown, invalidJson: boolean, url: URL, notionVersion: string | undefined): Answer {
    try {
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new NotionApiError(401, "unauthorized", DEFAULT_ERROR_MESSAGES["unauthorized"] ?? "unauthorized");
      }
      if (notionVersion === undefined) {
        throw new NotionApiError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
      }
      if (match === undefined) throw new NotionApiError(400, "invalid_request_url", "Invalid request URL.");
      if (match.route.startsWith("dataSources.") && notionVersion < DATA_SOURCE_VERSION) {
        throw new NotionApiError(400, "invalid_request", `Unsupported request: ${match.route}. Data sources need Notion-Version ${DATA_SOURCE_VERSION} or later; this request used ${notionVersion}.`);
      }
      if (invalidJson) throw new NotionApiError(400, "invalid_json", "Error parsing JSON body.");
      const id = match.id === undefined ? undefined : requireId(match.id.raw, `path failed validation: path.${match.id.name}`);
      const result = this.route(match.route, id ?? "", body ?? {}, url.searchParams);
      if (WRITE_ROUTES.has(match.route)) this.persist();
      return jsonAnswer(200, result);
    } catch (error) {
      if (error instanceof NotionApiError) return errorAnswer(error.status, error.code, error.message);
      throw error;
    }
  }

  private route(route: NotionRoute, id: string, body: unknown, query: URLSearchParams): object {
    const store = this.store;
    if (!isRecord(body)) throw validationError(`body failed validation: body should be an object, instead was ${insteadWas(body)}.`);
    switch (route) {
      case "databases.retrieve": {
        const database = store.database(id);
        if (!database) throw notFound("database", id);
        return store.renderDatabase(database);
      }
      case "databases.create":
        return this.createDatabase(body);
      case "dataSources.retrieve": {
        const dataSource = store.dataSource(id);
        if (!dataSource) throw notFound("data source", id);
        return store.renderDataSource(dataSource);
      }
      case "dataSources.query":
        return this.queryDataSource(id, body, query);
      case "pages.create":
        return this.createPage(body);
      case "pages.retrieve": {
        const page = store.page(id);
        if (!page) throw notFound("page", id);
        return this.filterProperties(store.renderPage(page), query);
      }
      case "pages.update": {
        const page = store.page(id);
        if (!page) throw notFound("page", id);
        store.updatePage(page, body);
        const changed = this.changedPropertyIds(page, body);
        // The integration's own write: Notion's event names its bot user as the author.
        if (changed.length > 0) void this.webhooks.emit(this.pageEvent("page.properties_updated", page, [{ id: store.botId, type: "bot" }], changed));
        return store.renderPage(page);
      }
      case "blocks.children.append":
        return this.appendChildren(id, body);
      case "blocks.children.list": {
        if (!store.page(id) && !store.block(id)) throw notFound("block", id);
        const pageSize = pageSizeOf(query.has("page_size") ? Number(query.get("page_size")) : undefined, "query failed validation: query.page_size");
        const blocks = store.childrenOf(id).map((block) => store.renderBlock(block));
        return { object: "list", ...paginate(blocks, query.get("start_cursor") ?? undefined, pageSize, "query failed validation: query.start_cursor"), type: "block", block: {} };
      }
      case "users.list": {
        const pageSize = pageSizeOf(query.has("page_size") ? Number(query.get("page_size")) : undefined, "query failed validation: query.page_size");
        return { object: "list", ...paginate(store.users(), query.get("start_cursor") ?? undefined, pageSize, "query failed validation: query.start_cursor"), type: "user", user: {} };
      }
      case "users.me": {
        const bot = store.user(store.botId);
        if (!bot) throw notFound("user", store.botId);
        return store.renderUser(bot);
      }
      case "users.retrieve": {
        const user = store.user(id);
        if (!user) throw notFound("user", id);
        return store.renderUser(user);
      }
    }
  }

  /** The ids of the properties a pages.update body wrote (Notion's `updated_properties`). */
  private changedPropertyIds(page: StoredPage, body: Record<string, unknown>): string[] {
    const properties = body["properties"];
    if (!isRecord(properties) || page.parent.kind !== "data_source") return [];
    const dataSource = this.store.dataSource(page.parent.dataSourceId);
    return Object.keys(properties).flatMap((key) => dataSource?.properties.find((candidate) => candidate.name === key || candidate.id === key)?.id ?? []);
  }

  private createDatabase(body: Record<string, unknown>): object {
    const parent = body["parent"];
    if (!isRecord(parent)) throw validationError(`body failed validation: body.parent should be defined, instead was ${insteadWas(parent)}.`);
    let databaseParent: DatabaseParent;
    if (parent["type"] === "workspace" || parent["workspace"] === true) {
      databaseParent = { type: "workspace", workspace: true };
    } else {
      const pageId = requireId(parent["page_id"], "body failed validation: body.parent.page_id");
      if (!this.store.page(pageId)) throw notFound("page", pageId);
      databaseParent = { type: "page_id", page_id: pageId };
    }
    const title = body["title"] === undefined ? [] : parseRichText(body["title"], "body.title");
    const initial = body["initial_data_source"];
    if (initial !== undefined && !isRecord(initial)) {
      throw validationError(`body failed validation: body.initial_data_source should be an object, instead was ${insteadWas(initial)}.`);
    }
    // Without a schema Notion makes a data source with a single "Name" title property.
    const properties = parseSchema(initial?.["properties"] ?? { Name: { title: {} } }, "body.initial_data_source.properties");
    const isInline = body["is_inline"];
    if (isInline !== undefined && typeof isInline !== "boolean") {
      throw validationError(`body failed validation: body.is_inline should be a boolean, instead was ${insteadWas(isInline)}.`);
    }
    const { database } = this.store.createDatabase({ title, parent: databaseParent, properties, isInline: isInline === true });
    return this.store.renderDatabase(database);
  }

  private queryDataSource(id: string, body: Record<string, unknown>, query: URLSearchParams): object {
    const dataSource = this.store.dataSource(id);
    if (!dataSource) throw notFound("data source", id);
    const now = (this.options.now ?? Date.now)();
    const filter = body["filter"] === undefined ? () => true : compileFilter(body["filter"], dataSource, this.store, now);
    const order = compileSorts(body["sorts"], dataSource, this.store);
    const pageSize = pageSizeOf(body["page_size"], "body failed validation: body.page_size");
    const includeTrashed = body["in_trash"] === true || body["archived"] === true;
    const matching = this.store
      .pagesOf(dataSource.id)
      .filter((page) => (includeTrashed || !page.inTrash) && filter(page))
      .sort(order);
    const { results, next_cursor, has_more } = paginate(matching, body["start_cursor"], pageSize, "body failed validation: body.start_cursor");
    return {
      object: "list",
      results: results.map((page) => this.filterProperties(this.store.renderPage(page), query)),
      next_cursor,
      has_more,
      type: "page_or_data_source",
      page_or_data_source: {},
    };
  }

  /** `filter_properties` (ids or names) keeps only those properties in the returned page. */
  private filterProperties(page: NotionPage, query: URLSearchParams): NotionPage {
    const wanted = query.getAll("filter_properties");
    if (wanted.length === 0) return page;
    const properties: NotionPage["properties"] = {};
    for (const [name, value] of Object.entries(page.properties)) {
      if (wanted.includes(value.id) || wanted.includes(name)) properties[name] = value;
    }
    return { ...page, properties };
  }

  private createPage(body: Record<string, unknown>): object {
    const parent = body["parent"];
    if (!isRecord(parent)) throw validationError(`body failed validation: body.parent should be defined, instead was ${insteadWas(parent)}.`);
    let pageParent: StoredPageParent;
    if (parent["data_source_id"] !== undefined) {
      const dataSourceId = requireId(parent["data_source_id"], "body failed validation: body.parent.data_source_id");
      if (!this.store.dataSource(dataSourceId)) throw notFound("data source", dataSourceId);
      pageParent = { kind: "data_source", dataSourceId };
    } else if (parent["database_id"] !== undefined) {
      const databaseId = requireId(parent["database_id"], "body failed validation: body.parent.database_id");
      const database = this.store.database(databaseId);
      if (!database) throw notFound("database", databaseId);
      const [only, ...others] = database.dataSourceIds;
      if (only === undefined || others.length > 0) throw validationError("Databases with multiple data sources are not supported as a page parent; use parent.data_source_id.");
      pageParent = { kind: "data_source", dataSourceId: only };
    } else if (parent["page_id"] !== undefined) {
      const pageId = requireId(parent["page_id"], "body failed validation: body.parent.page_id");
      if (!this.store.page(pageId)) throw notFound("page", pageId);
      pageParent = { kind: "page", pageId };
    } else if (parent["workspace"] === true) {
      pageParent = { kind: "workspace" };
    } else {
      throw validationError(`body failed validation: body.parent.data_source_id should be defined, instead was \`undefined\`.`);
    }
    const page = this.store.createPage(pageParent, { properties: body["properties"], children: body["children"], icon: body["icon"], cover: body["cover"] });
    void this.webhooks.emit(this.pageEvent("page.created", page, [{ id: this.store.botId, type: "bot" }]));
    return this.store.renderPage(page);
  }

  private appendChildren(id: string, body: Record<string, unknown>): object {
    const page = this.store.page(id);
    const block = page ? undefined : this.store.block(id);
    if (!page && !block) throw notFound("block", id);
    if (page?.inTrash) throw validationError("Can't edit block that is archived. You must unarchive the block before editing.");
    if (body["children"] === undefined) throw validationError("body failed validation: body.children should be defined, instead was `undefined`.");
    const blocks = parseBlocks(body["children"], "body.children");
    let after: string | undefined;
    if (body["after"] !== undefined) {
      after = requireId(body["after"], "body failed validation: body.after");
      if (!this.store.childrenOf(id).some((child) => child.id === after)) throw validationError(`Block ${after} is not a child of ${id}.`);
    }
    const created = this.store.insertBlocks(id, page ? "page" : "block", blocks, after);
    if (page) page.lastEditedTime = new Date((this.options.now ?? Date.now)()).toISOString();
    return { object: "list", results: created.map((child) => this.store.renderBlock(child)), next_cursor: null, has_more: false, type: "block", block: {} };
  }

  // ----- answering ---------------------------------------------------------------------------

  private async send(res: ServerResponse, answer: Answer): Promise<void> {
    if (this.latencyMs > 0) await this.sleep(this.latencyMs);
    this.write(res, answer);
  }

  private write(res: ServerResponse, answer: Answer): void {
    if (this.closed || res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.text);
  }

  /** Resolves when `releaseHeld()` is called; never once the emulator is closed. */
  private hold(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.closed) this.held.push(resolve);
    });
  }

  /** Resolves after `ms`; never resolves once the emulator is closed. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private persist(): void {
    if (this.options.statePath !== undefined && !this.closed) saveState(this.options.statePath, this.store.state);
  }
}
