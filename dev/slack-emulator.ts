/**
 * A loopback emulator of the Slack Web API for tests. The real @slack/web-api client talks HTTP to it
 * (pass `apiUrl` as `slackApiUrl`); faults are scripted per method; what the bot posted, opened and
 * answered is kept for assertions. Shapes follow Slack's documented responses, trimmed.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, STATUS_CODES } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { z } from "zod";
import { LIMITS } from "../src/platforms/slack/blocks.js";
import { isRecord } from "./is-record.js";
import { readBody } from "./serve-handler.js";

// ---------------------------------------------------------------------------------------------
// Public shapes
// ---------------------------------------------------------------------------------------------

export interface SlackCall {
  method: string;
  /** Decoded arguments without the token; JSON-encoded fields (view, blocks, attachments) parsed back. */
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
}

export type SlackFault =
  | { kind: "error"; error: string; extra?: Record<string, unknown> }
  /** 429 `ratelimited`, with Retry-After in seconds (none when undefined, which Slack never does). */
  | { kind: "rate_limited"; retryAfterSeconds: number | undefined }
  /**
   * A non-JSON answer with this status. With commitFirst the method is carried out first (the
   * message is posted): a 502 or 504 from the edge in front of a Slack server that finished.
   */
  | { kind: "http"; status: number; commitFirst?: boolean }
  | { kind: "delay"; ms: number }
  | { kind: "hang" }
  | { kind: "drop" }
  /** A redirect (302 unless told) to `location` instead of an answer: what an open redirect or a proxy could send. */
  | { kind: "redirect"; location: string; status?: number };

export interface PostedMessage {
  kind: "message" | "ephemeral";
  /** Where it landed: a DM sent to a user id lands in that user's D… channel. */
  channel: string;
  /** For an ephemeral: the one person who sees it. */
  user?: string;
  /** Who wrote it, for a person's message added with `postUserMessage`; absent on the bot's own posts. */
  author?: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts?: string;
  ts: string;
}

export interface OpenedView {
  id: string;
  hash: string;
  /** The view as Slack last returned it (id, hash, state, … merged over what the bot sent). */
  view: Record<string, unknown>;
  trigger_id?: string;
  /** Known when the trigger came from `emulator.triggerId(user)`. */
  user?: string;
  external_id?: string;
}

/** A person's Home tab, as the bot last published it (views.publish). */
export interface PublishedHome {
  user: string;
  id: string;
  hash: string;
  /** The view as Slack returns it (id, hash, type "home", … merged over what the bot sent). */
  view: Record<string, unknown>;
}

export interface EmulatedUserInput {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  isBot?: boolean;
}

export interface EmulatedChannelInput {
  id: string;
  name?: string;
  /** Whether the bot is in it; defaults to true. */
  isMember?: boolean;
  isPrivate?: boolean;
  isIm?: boolean;
}

export interface SlackEmulatorOptions {
  /** When set, any other token answers `invalid_auth`. A missing token always answers `not_authed`. */
  token?: string;
  /** Sent as `x-oauth-scopes`; without `users:read.email`, users.info leaves out emails as Slack does. */
  scopes?: string[];
  teamId?: string;
  /** Load users/channels/messages/views from this JSON file on start, and rewrite it after each change. */
  statePath?: string;
  /** Let the bot post to public channels it has not joined, as the `chat:write.public` scope does. */
  publicPostWithoutJoin?: boolean;
  /** Loopback port to listen on; 0 (the default) picks a free one. The sandbox uses a fixed one. */
  port?: number;
  /** The emulator's clock, in ms since the epoch (Date.now by default): trigger_id expiry, ts and hashes follow it. */
  now?: () => number;
  /**
   * How long a trigger_id stays good, in ms: Slack's 3 s by default. Runs through netlify dev, which
   * starts a fresh worker for every request (seconds on a busy machine), may allow more.
   */
  triggerLifetimeMs?: number;
}

export interface SlackEmulator {
  /** `http://127.0.0.1:<port>/api/`: pass as the WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  readonly origin: string;
  /** Every API call, in order, including refused and faulted ones. */
  readonly calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Queue a fault for `method` ("*" for any method, "response_url" for response URLs); FIFO per method. */
  fail(method: string, fault: SlackFault, options?: { times?: number }): void;
  /**
   * Slack's rate limit as it behaves: every call to `method` ("response_url" for response URLs) is
   * refused with 429 `ratelimited` until `seconds` have passed on the emulator's clock, each refusal's
   * Retry-After saying what is left (rounded up). A retry sooner than that is refused again.
   */
  rateLimit(method: string, seconds: number): void;
  /** Drops every scripted fault, keeping everything else: Slack is back, for a retry. */
  clearFaults(): void;
  /** Added before every answer (default 0); reset() puts it back to 0. */
  latencyMs: number;
  addUser(user: EmulatedUserInput): void;
  addChannel(channel: EmulatedChannelInput): void;
  readonly messages: PostedMessage[];
  /**
   * A message a person wrote, as if typed in Slack (the bot's token cannot post as someone else):
   * the message a shortcut is then used on. It gets a ts like any post and is kept in the state file.
   */
  postUserMessage(message: { channel: string; author: string; text: string; thread_ts?: string }): PostedMessage;
  /** Latest version of every modal opened, pushed or updated, in the order first opened. */
  readonly views: OpenedView[];
  /** Every Home tab the bot has published, one per person, in the order first published. */
  readonly homes: PublishedHome[];
  /** The Home tab `user` sees: what the bot last published for them, if anything. */
  homeView(user: string): PublishedHome | undefined;
  /**
   * A fresh trigger_id, issued now by the emulator's clock; views opened with it record `user`. Slack
   * lets a trigger_id be used once, within 3 s (then views.open answers expired_trigger_id).
   */
  triggerId(user?: string): string;
  /** A fresh response_url on this server: JSON POSTed to it is recorded in `responses`, with when (ms, the emulator's clock). */
  responseUrl(): string;
  readonly responses: { url: string; body: Record<string, unknown>; at: number }[];
  /**
   * Connections a `hang` fault holds that the client has not closed yet. A client that aborts a
   * call at its deadline closes its socket, so this drops back to 0; one that only stops waiting
   * leaves it open until close().
   */
  hangingConnections(): number;
  /**
   * Forget calls, messages, views, responses, faults, used triggers and latency. Users and channels go back
   * to the seed plus whatever addUser/addChannel added: joins and DMs opened by calls are undone.
   */
  reset(): void;
  close(): Promise<void>;
}

/** The seeded workspace, so tests can name its members without repeating strings. */
export const SLACK_SEED = {
  teamId: "T0TEAM",
  teamDomain: "example",
  botUserId: "U0BOT",
  botId: "B0BOT",
  appId: "A0APP",
  alice: "U0ALICE",
  bob: "U0BOB",
  /** Public, bot is a member. */
  general: "C0GENERAL",
  /** Public, bot is not a member. */
  random: "C0RANDOM",
  /** Private, bot is not a member. */
  secret: "G0SECRET",
} as const;

export const DEFAULT_SCOPES = ["commands", "chat:write", "chat:write.public", "users:read", "users:read.email", "app_mentions:read"];

/** Slack's rule: a trigger_id is good for 3 s after the interaction that issued it. */
export const TRIGGER_LIFETIME_MS = 3_000;

/** The D… channel the emulator uses for the bot's DM with a user (real Slack ids are opaque). */
export function imChannelIdFor(userId: string): string {
  return `D${userId.slice(1)}`;
}

/** Starts an emulator on a loopback port (a random one unless `port` is given). */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const workspace = new Workspace({
    teamId: options.teamId ?? SLACK_SEED.teamId,
    scopes: options.scopes ?? DEFAULT_SCOPES,
    publicPostWithoutJoin: options.publicPostWithoutJoin ?? false,
    statePath: options.statePath,
    now: options.now ?? Date.now,
    triggerLifetimeMs: options.triggerLifetimeMs ?? TRIGGER_LIFETIME_MS,
  });
  workspace.load();
  const server = createServer();
  const port = await listenOnLoopback(server, options.port ?? 0);
  return new LoopbackSlackEmulator(server, `http://127.0.0.1:${port}`, workspace, options.token);
}

// ---------------------------------------------------------------------------------------------
// Block Kit limits: the product's table (src/platforms/slack/blocks.ts), from Slack's documentation. Slack
// refuses a surface over them instead of truncating it, so the emulator refuses too. Every length
// is in UTF-16 code units (String.length), as Slack counts them.
// ---------------------------------------------------------------------------------------------

/** Where a surface breaks a rule, as Slack reports it: a JSON pointer and a problem. */
interface Violation {
  pointer: string;
  problem: string;
}

/** A message takes up to 50 blocks and no input block; a modal or a Home tab up to 100, inputs included. */
type Surface = "message" | "modal" | "home";

/** The first Block Kit limit a list of blocks breaks, or undefined. */
function findBlocksViolation(blocks: unknown[], surface: Surface, pointer: string): Violation | undefined {
  const maxBlocks = surface === "message" ? LIMITS.messageBlocks : LIMITS.viewBlocks;
  if (blocks.length > maxBlocks) return { pointer, problem: `no more than ${maxBlocks} items allowed` };
  const blockIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    const violation = findBlockViolation(block, surface, `${pointer}/${index}`, blockIds);
    if (violation !== undefined) return violation;
  }
  return undefined;
}

function findBlockViolation(block: unknown, surface: Surface, pointer: string, blockIds: Set<string>): Violation | undefined {
  if (!isRecord(block) || typeof block.type !== "string") {
    return { pointer, problem: "must provide an object with a type" };
  }
  if (typeof block.block_id === "string") {
    if (block.block_id.length > LIMITS.blockId) return tooLong(`${pointer}/block_id`, LIMITS.blockId);
    if (blockIds.has(block.block_id)) return { pointer: `${pointer}/block_id`, problem: "duplicate block_id" };
    blockIds.add(block.block_id);
  }
  switch (block.type) {
    case "section":
      return (
        findTextViolation(block.text, LIMITS.text, `${pointer}/text`) ??
        findListViolation(block.fields, LIMITS.sectionFields, LIMITS.sectionFieldText, `${pointer}/fields`) ??
        (block.accessory === undefined ? undefined : findElementViolation(block.accessory, `${pointer}/accessory`))
      );
    case "header":
      return findTextViolation(block.text, LIMITS.header, `${pointer}/text`, { plainOnly: true });
    case "context":
      return findListViolation(block.elements, LIMITS.contextElements, LIMITS.text, `${pointer}/elements`);
    case "actions":
      return (
        findListViolation(block.elements, LIMITS.actionsElements, undefined, `${pointer}/elements`) ??
        findEachViolation(block.elements, `${pointer}/elements`, findElementViolation)
      );
    case "input":
      // chat.postMessage and chat.postEphemeral take no input block: invalid_blocks.
      if (surface === "message") return { pointer: `${pointer}/type`, problem: "input blocks are only allowed in modals and Home tabs" };
      return (
        findTextViolation(block.label, LIMITS.inputLabel, `${pointer}/label`) ??
        findTextViolation(block.hint, LIMITS.inputLabel, `${pointer}/hint`) ??
        (block.element === undefined ? undefined : findElementViolation(block.element, `${pointer}/element`))
      );
    default:
      return undefined;
  }
}

/** The first rule an interactive element breaks (a button, a select, an input, a date picker…). */
function findElementViolation(element: unknown, pointer: string): Violation | undefined {
  if (!isRecord(element) || typeof element.type !== "string") return { pointer, problem: "must provide an object with a type" };
  return (
    findStringViolation(element.action_id, LIMITS.actionId, `${pointer}/action_id`) ??
    findTextViolation(element.placeholder, LIMITS.placeholder, `${pointer}/placeholder`, { plainOnly: true }) ??
    (element.type === "button" ? findButtonViolation(element, pointer) : undefined) ??
    (isList(element.options) && element.options.length > LIMITS.options ? { pointer: `${pointer}/options`, problem: `no more than ${LIMITS.options} items allowed` } : undefined) ??
    findEachViolation(element.options, `${pointer}/options`, findOptionViolation) ??
    (element.initial_option === undefined ? undefined : findOptionViolation(element.initial_option, `${pointer}/initial_option`)) ??
    (element.type === "plain_text_input" ? findPlainTextInputViolation(element, pointer) : undefined)
  );
}

function findButtonViolation(button: Record<string, unknown>, pointer: string): Violation | undefined {
  if (!isRecord(button.text)) return { pointer: `${pointer}/text`, problem: "missing required field: text" };
  return (
    findTextViolation(button.text, LIMITS.buttonText, `${pointer}/text`, { plainOnly: true }) ??
    findStringViolation(button.value, LIMITS.buttonValue, `${pointer}/value`) ??
    findStringViolation(button.url, LIMITS.buttonUrl, `${pointer}/url`)
  );
}

/** An option object: its text (plain_text, or mrkdwn in radio buttons and checkboxes) and its value. */
function findOptionViolation(option: unknown, pointer: string): Violation | undefined {
  if (!isRecord(option)) return { pointer, problem: "must provide an object" };
  return findTextViolation(option.text, LIMITS.optionText, `${pointer}/text`) ?? findStringViolation(option.value, LIMITS.optionValue, `${pointer}/value`);
}

/** Slack refuses an initial_value longer than the input's own max_length, and a max_length past 3,000. */
function findPlainTextInputViolation(input: Record<string, unknown>, pointer: string): Violation | undefined {
  for (const field of ["min_length", "max_length"] as const) {
    const value = input[field];
    if (typeof value === "number" && value > LIMITS.plainTextInput) return { pointer: `${pointer}/${field}`, problem: `must be no more than ${LIMITS.plainTextInput}` };
  }
  return typeof input.max_length === "number" ? findStringViolation(input.initial_value, input.max_length, `${pointer}/initial_value`) : undefined;
}

/** Checks a text object ({ type, text }); anything else (an image element, nothing) passes. */
function findTextViolation(
  textObject: unknown,
  max: number,
  pointer: string,
  { plainOnly = false }: { plainOnly?: boolean } = {},
): Violation | undefined {
  if (!isRecord(textObject)) return undefined;
  if (plainOnly && textObject.type !== "plain_text") return { pointer: `${pointer}/type`, problem: "must be plain_text" };
  if (typeof textObject.text === "string" && textObject.text.length > max) return tooLong(`${pointer}/text`, max);
  return undefined;
}

function findListViolation(
  items: unknown,
  maxItems: number,
  maxText: number | undefined,
  pointer: string,
): Violation | undefined {
  if (!isList(items)) return undefined;
  if (items.length > maxItems) return { pointer, problem: `no more than ${maxItems} items allowed` };
  if (maxText === undefined) return undefined;
  return findEachViolation(items, pointer, (item, itemPointer) => findTextViolation(item, maxText, itemPointer));
}

/** The first violation `find` reports for an item of a list; anything that is not a list passes. */
function findEachViolation(items: unknown, pointer: string, find: (item: unknown, pointer: string) => Violation | undefined): Violation | undefined {
  if (!isList(items)) return undefined;
  for (const [index, item] of items.entries()) {
    const violation = find(item, `${pointer}/${index}`);
    if (violation !== undefined) return violation;
  }
  return undefined;
}

/** The first rule a modal breaks: its own fields, then its blocks. */
function findModalViolation(view: Record<string, unknown>): Violation | undefined {
  if (view.type !== "modal") return { pointer: "/view/type", problem: "must be modal" };
  if (!isRecord(view.title)) return { pointer: "/view/title", problem: "missing required field: title" };
  if (!isList(view.blocks)) return { pointer: "/view/blocks", problem: "missing required field: blocks" };
  return (
    findTextViolation(view.title, LIMITS.modalTitle, "/view/title", { plainOnly: true }) ??
    findTextViolation(view.submit, LIMITS.modalTitle, "/view/submit", { plainOnly: true }) ??
    findTextViolation(view.close, LIMITS.modalTitle, "/view/close", { plainOnly: true }) ??
    findStringViolation(view.private_metadata, LIMITS.privateMetadata, "/view/private_metadata") ??
    findStringViolation(view.callback_id, LIMITS.callbackId, "/view/callback_id") ??
    findStringViolation(view.external_id, LIMITS.externalId, "/view/external_id") ??
    findBlocksViolation(view.blocks, "modal", "/view/blocks")
  );
}

function findStringViolation(value: unknown, max: number, pointer: string): Violation | undefined {
  return typeof value === "string" && value.length > max ? tooLong(pointer, max) : undefined;
}

function tooLong(pointer: string, max: number): Violation {
  return { pointer, problem: `must be less than ${max + 1} characters` };
}

/** The first rule a Home tab breaks (docs.slack.dev/reference/views/home-tab-views): its own fields, then its blocks. */
function findHomeViolation(view: Record<string, unknown>): Violation | undefined {
  if (view.type !== "home") return { pointer: "/view/type", problem: "must be home" };
  if (!isList(view.blocks)) return { pointer: "/view/blocks", problem: "missing required field: blocks" };
  return (
    findStringViolation(view.private_metadata, LIMITS.privateMetadata, "/view/private_metadata") ??
    findStringViolation(view.callback_id, LIMITS.callbackId, "/view/callback_id") ??
    findStringViolation(view.external_id, LIMITS.externalId, "/view/external_id") ??
    findBlocksViolation(view.blocks, "home", "/view/blocks")
  );
}

/** views.publish refuses a view over 250 kB (`view_too_large`). */
const MAX_VIEW_BYTES = 250_000;

// ---------------------------------------------------------------------------------------------
// Refusals: every API-level failure is HTTP 200 `{ ok: false, error }`
// ---------------------------------------------------------------------------------------------

/** Thrown by a method handler; the dispatcher turns it into `{ ok: false, error, ...extra }`. */
class SlackRefusal extends Error {
  readonly error: string;
  readonly extra: Record<string, unknown>;

  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(error);
    this.error = error;
    this.extra = extra;
  }
}

/** Slack explains argument and Block Kit errors in `response_metadata.messages` with a JSON pointer. */
function explainedRefusal(error: string, violation: Violation): SlackRefusal {
  const detail = `${violation.problem} [json-pointer:${violation.pointer}]`;
  return new SlackRefusal(error, { errors: [detail], response_metadata: { messages: [`[ERROR] ${detail}`] } });
}

function missingArgument(name: string): SlackRefusal {
  return explainedRefusal("invalid_arguments", { pointer: `/${name}`, problem: `missing required field: ${name}` });
}

// ---------------------------------------------------------------------------------------------
// The workspace: users, channels, messages, views, and the file they persist to
// ---------------------------------------------------------------------------------------------

const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  realName: z.string(),
  email: z.string().optional(),
  isBot: z.boolean(),
  botId: z.string().optional(),
});
type User = z.infer<typeof userSchema>;

const channelSchema = z.object({
  id: z.string(),
  name: z.string(),
  isMember: z.boolean(),
  isPrivate: z.boolean(),
  isIm: z.boolean(),
  /** The other person, for a DM. */
  user: z.string().optional(),
});
type Channel = z.infer<typeof channelSchema>;

const messageSchema = z.object({
  kind: z.enum(["message", "ephemeral"]),
  channel: z.string(),
  user: z.string().optional(),
  author: z.string().optional(),
  text: z.string(),
  blocks: z.array(z.unknown()).optional(),
  thread_ts: z.string().optional(),
  ts: z.string(),
});

const viewSchema = z.object({
  id: z.string(),
  hash: z.string(),
  view: z.record(z.string(), z.unknown()),
  trigger_id: z.string().optional(),
  user: z.string().optional(),
  external_id: z.string().optional(),
});

const homeSchema = z.object({
  user: z.string(),
  id: z.string(),
  hash: z.string(),
  view: z.record(z.string(), z.unknown()),
});

const stateFileSchema = z.object({
  users: z.array(userSchema),
  channels: z.array(channelSchema),
  messages: z.array(messageSchema),
  views: z.array(viewSchema),
  // Absent in state files written before the bot had a Home tab.
  homes: z.array(homeSchema).optional(),
});

const SEED_USERS: User[] = [
  { id: SLACK_SEED.botUserId, name: "chatops", realName: "Chatops", isBot: true, botId: SLACK_SEED.botId },
  { id: SLACK_SEED.alice, name: "alice", realName: "Alice", email: "alice@example.com", isBot: false },
  { id: SLACK_SEED.bob, name: "bob", realName: "Bob", email: "bob@example.com", isBot: false },
];

const SEED_CHANNELS: Channel[] = [
  { id: SLACK_SEED.general, name: "general", isMember: true, isPrivate: false, isIm: false },
  { id: SLACK_SEED.random, name: "random", isMember: false, isPrivate: false, isIm: false },
  { id: SLACK_SEED.secret, name: "secret", isMember: false, isPrivate: true, isIm: false },
];

interface WorkspaceSettings {
  teamId: string;
  scopes: readonly string[];
  publicPostWithoutJoin: boolean;
  statePath: string | undefined;
  now: () => number;
  triggerLifetimeMs: number;
}

class Workspace {
  readonly settings: WorkspaceSettings;
  /** What reset() returns to: the built-in seed, the loaded state file, and what tests added. */
  readonly #seedUsers = new Map<string, User>(SEED_USERS.map((user) => [user.id, user]));
  readonly #seedChannels = new Map<string, Channel>(SEED_CHANNELS.map((channel) => [channel.id, channel]));
  /** The live workspace, which calls change (a join, a DM opened). */
  readonly users = new Map<string, User>(this.#seedUsers);
  readonly channels = new Map<string, Channel>(this.#seedChannels);
  readonly messages: PostedMessage[] = [];
  readonly views: OpenedView[] = [];
  readonly homes: PublishedHome[] = [];
  readonly exchangedTriggers = new Set<string>();
  readonly triggerUsers = new Map<string, string>();
  /** When each trigger_id the emulator minted was issued (ms, by the emulator's clock). */
  readonly triggersIssuedAt = new Map<string, number>();
  #lastTsMicros = 0;
  #viewCount = 0;

  constructor(settings: WorkspaceSettings) {
    this.settings = settings;
  }

  /** A message ts: Slack's "seconds.micros", strictly increasing so ts order is post order. */
  nextTs(): string {
    this.#lastTsMicros = Math.max(Math.floor(this.settings.now() * 1000), this.#lastTsMicros + 1);
    const seconds = Math.floor(this.#lastTsMicros / 1e6);
    return `${seconds}.${String(this.#lastTsMicros % 1e6).padStart(6, "0")}`;
  }

  nextViewId(): string {
    let id: string;
    do id = `V${String(++this.#viewCount).padStart(8, "0")}`;
    while (this.views.some((view) => view.id === id) || this.homes.some((home) => home.id === id));
    return id;
  }

  /** Slack's view hash changes with every version; views.update compares it to refuse stale writes. */
  nextHash(): string {
    return `${Math.floor(this.settings.now() / 1000)}.${randomBytes(4).toString("hex")}`;
  }

  seedUser(user: User): void {
    this.#seedUsers.set(user.id, user);
    this.users.set(user.id, user);
    this.changed();
  }

  seedChannel(channel: Channel): void {
    this.#seedChannels.set(channel.id, channel);
    this.channels.set(channel.id, channel);
    this.changed();
  }

  /** Call after every change, so an offline sandbox can pick up where it left off. */
  changed(): void {
    const path = this.settings.statePath;
    if (path === undefined) return;
    const state = {
      users: [...this.users.values()],
      channels: [...this.channels.values()],
      messages: this.messages,
      views: this.views,
      homes: this.homes,
    };
    // Write then rename, so a reader never sees half a file.
    writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  }

  load(): void {
    const path = this.settings.statePath;
    if (path === undefined || !existsSync(path)) return;
    const parsed = stateFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    if (!parsed.success) throw new Error(`Slack emulator state file ${path} is not valid: ${parsed.error.message}`);
    for (const user of parsed.data.users) this.#seedUsers.set(user.id, user);
    for (const channel of parsed.data.channels) this.#seedChannels.set(channel.id, channel);
    this.#restoreSeed();
    for (const message of parsed.data.messages) this.messages.push({ ...message, blocks: message.blocks });
    this.views.push(...parsed.data.views);
    this.homes.push(...(parsed.data.homes ?? []));
    this.#lastTsMicros = Math.max(0, ...this.messages.map((message) => tsToMicros(message.ts)));
  }

  /** Back to the seed: what one test did (posts, modals, joins, DMs) cannot leak into the next. */
  forget(): void {
    this.messages.length = 0;
    this.views.length = 0;
    this.homes.length = 0;
    this.exchangedTriggers.clear();
    this.#restoreSeed();
    this.changed();
  }

  #restoreSeed(): void {
    this.users.clear();
    for (const [id, user] of this.#seedUsers) this.users.set(id, user);
    this.channels.clear();
    for (const [id, channel] of this.#seedChannels) this.channels.set(id, channel);
  }
}

function tsToMicros(ts: string): number {
  const [seconds = "0", micros = "0"] = ts.split(".");
  return Number(seconds) * 1e6 + Number(micros.padEnd(6, "0"));
}

// ---------------------------------------------------------------------------------------------
// Channel rules
// ---------------------------------------------------------------------------------------------

function isUserId(id: string): boolean {
  return /^[UW][A-Z0-9]+$/.test(id);
}

/** The bot sees every public channel, private ones it is in, and any DM; anything else is channel_not_found. */
function visibleChannelId(workspace: Workspace, requested: string | undefined): string {
  if (requested === undefined) throw new SlackRefusal("channel_not_found");
  if (isUserId(requested)) return imChannelIdFor(requested);
  if (requested.startsWith("D")) return requested;
  const channel = workspace.channels.get(requested);
  // Slack hides private channels from non-members entirely, so they look missing rather than forbidden.
  if (channel === undefined || (channel.isPrivate && !channel.isMember)) throw new SlackRefusal("channel_not_found");
  return channel.id;
}

/** Where a post may land: a visible channel the bot is in (or any public one with chat:write.public). */
function postableChannelId(workspace: Workspace, requested: string | undefined): string {
  const id = visibleChannelId(workspace, requested);
  const channel = workspace.channels.get(id);
  const outside = channel !== undefined && !channel.isIm && !channel.isMember;
  if (outside && !workspace.settings.publicPostWithoutJoin) throw new SlackRefusal("not_in_channel");
  return id;
}

/** Posting to a user id opens the DM, as Slack does; remember it so conversations.info knows it. */
function rememberIm(workspace: Workspace, userId: string): Channel {
  const id = imChannelIdFor(userId);
  const known = workspace.channels.get(id);
  if (known !== undefined) return known;
  const channel: Channel = { id, name: id, isMember: true, isPrivate: false, isIm: true, user: userId };
  workspace.channels.set(id, channel);
  return channel;
}

// ---------------------------------------------------------------------------------------------
// Argument helpers
// ---------------------------------------------------------------------------------------------

type Args = Record<string, unknown>;
type Reply = Record<string, unknown>;

function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function requireString(args: Args, name: string): string {
  const value = stringArg(args, name);
  if (value === undefined) throw missingArgument(name);
  return value;
}

interface MessageContent {
  text: string;
  blocks: unknown[] | undefined;
}

/** Text and blocks of a chat.* call, refused the way Slack refuses them. */
function readMessageContent(args: Args): MessageContent {
  const text = stringArg(args, "text") ?? "";
  const blocks = args.blocks;
  if (blocks !== undefined && !isList(blocks)) throw new SlackRefusal("invalid_blocks_format");
  if (text === "" && (blocks === undefined || blocks.length === 0) && args.attachments === undefined) {
    throw new SlackRefusal("no_text");
  }
  if (text.length > LIMITS.messageText) throw new SlackRefusal("msg_too_long");
  const violation = blocks === undefined ? undefined : findBlocksViolation(blocks, "message", "/blocks");
  if (violation !== undefined) throw explainedRefusal("invalid_blocks", violation);
  return { text, blocks };
}

/** The `view` argument of views.*, checked like Slack checks it (which answers invalid_arguments, not invalid_blocks). */
function readModal(args: Args): Record<string, unknown> {
  const view = args.view;
  if (view === undefined) throw missingArgument("view");
  if (!isRecord(view)) throw explainedRefusal("invalid_arguments", { pointer: "/view", problem: "must be an object" });
  const violation = findModalViolation(view);
  if (violation !== undefined) throw explainedRefusal("invalid_arguments", violation);
  return view;
}

/**
 * A trigger_id is good for one views.open or views.push, within 3 s of the interaction: Slack answers
 * a later use with expired_trigger_id and a second use with exchanged_trigger_id. A trigger_id the
 * emulator did not mint (a fixture's) has no known age and never expires.
 */
function claimTrigger(workspace: Workspace, triggerId: string): void {
  const issuedAt = workspace.triggersIssuedAt.get(triggerId);
  if (issuedAt !== undefined && workspace.settings.now() - issuedAt > workspace.settings.triggerLifetimeMs) throw new SlackRefusal("expired_trigger_id");
  if (workspace.exchangedTriggers.has(triggerId)) throw new SlackRefusal("exchanged_trigger_id");
  workspace.exchangedTriggers.add(triggerId);
}

// ---------------------------------------------------------------------------------------------
// Renderers: Slack's object shapes, trimmed
// ---------------------------------------------------------------------------------------------

function renderMessage(workspace: Workspace, message: PostedMessage): Reply {
  return {
    type: "message",
    text: message.text,
    user: SLACK_SEED.botUserId,
    bot_id: SLACK_SEED.botId,
    app_id: SLACK_SEED.appId,
    team: workspace.settings.teamId,
    ts: message.ts,
    ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
    ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
  };
}

function renderView(workspace: Workspace, id: string, hash: string, view: Record<string, unknown>): Reply {
  return {
    id,
    team_id: workspace.settings.teamId,
    type: "modal",
    private_metadata: "",
    callback_id: "",
    external_id: "",
    clear_on_close: false,
    notify_on_close: false,
    submit: null,
    close: null,
    ...view,
    state: { values: {} },
    hash,
    previous_view_id: null,
    root_view_id: id,
    app_id: SLACK_SEED.appId,
    app_installed_team_id: workspace.settings.teamId,
    bot_id: SLACK_SEED.botId,
  };
}

function renderUser(workspace: Workspace, user: User): Reply {
  // Without users:read.email Slack silently leaves the email out of the profile.
  const showEmail = user.email !== undefined && workspace.settings.scopes.includes("users:read.email");
  return {
    id: user.id,
    team_id: workspace.settings.teamId,
    name: user.name,
    deleted: false,
    real_name: user.realName,
    tz: "Etc/UTC",
    tz_offset: 0,
    is_admin: false,
    is_bot: user.isBot,
    is_app_user: false,
    profile: {
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      ...(showEmail ? { email: user.email } : {}),
      ...(user.botId === undefined ? {} : { bot_id: user.botId }),
      team: workspace.settings.teamId,
    },
  };
}

function renderChannel(channel: Channel): Reply {
  if (channel.isIm) return { id: channel.id, created: 0, is_im: true, is_org_shared: false, user: channel.user };
  return {
    id: channel.id,
    name: channel.name,
    name_normalized: channel.name,
    is_channel: !channel.isPrivate,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: channel.isPrivate,
    is_archived: false,
    is_member: channel.isMember,
    created: 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------------

type Handler = (workspace: Workspace, args: Args) => Reply;

function authTest(workspace: Workspace): Reply {
  return {
    ok: true,
    url: `https://${SLACK_SEED.teamDomain}.slack.com/`,
    team: "Example",
    user: "chatops",
    team_id: workspace.settings.teamId,
    user_id: SLACK_SEED.botUserId,
    bot_id: SLACK_SEED.botId,
    is_enterprise_install: false,
  };
}

function viewsOpen(workspace: Workspace, args: Args): Reply {
  const triggerId = requireString(args, "trigger_id");
  const view = readModal(args);
  claimTrigger(workspace, triggerId);
  return { ok: true, view: storeNewView(workspace, view, triggerId).view };
}

/** Same arguments, rules and answer as views.open; the emulator does not model the stack's 3-view limit. */
function viewsPush(workspace: Workspace, args: Args): Reply {
  return viewsOpen(workspace, args);
}

function storeNewView(workspace: Workspace, view: Record<string, unknown>, triggerId: string): OpenedView {
  const externalId = typeof view.external_id === "string" && view.external_id !== "" ? view.external_id : undefined;
  if (externalId !== undefined && workspace.views.some((opened) => opened.external_id === externalId)) {
    throw new SlackRefusal("duplicate_external_id");
  }
  const id = workspace.nextViewId();
  const hash = workspace.nextHash();
  const user = workspace.triggerUsers.get(triggerId);
  const opened: OpenedView = {
    id,
    hash,
    view: renderView(workspace, id, hash, view),
    trigger_id: triggerId,
    ...(user === undefined ? {} : { user }),
    ...(externalId === undefined ? {} : { external_id: externalId }),
  };
  workspace.views.push(opened);
  workspace.changed();
  return opened;
}

function viewsUpdate(workspace: Workspace, args: Args): Reply {
  const viewId = stringArg(args, "view_id");
  const externalId = stringArg(args, "external_id");
  if (viewId === undefined && externalId === undefined) throw missingArgument("view_id");
  const index = workspace.views.findIndex((opened) =>
    viewId !== undefined ? opened.id === viewId : opened.external_id === externalId,
  );
  const existing = workspace.views[index];
  if (existing === undefined) throw new SlackRefusal("not_found");
  // The hash guards against overwriting a newer version someone else wrote in the meantime.
  const hash = stringArg(args, "hash");
  if (hash !== undefined && hash !== existing.hash) throw new SlackRefusal("hash_conflict");
  const view = readModal(args);
  const nextHash = workspace.nextHash();
  const rendered = { ...renderView(workspace, existing.id, nextHash, view), root_view_id: existing.view.root_view_id };
  workspace.views[index] = { ...existing, hash: nextHash, view: rendered };
  workspace.changed();
  return { ok: true, view: rendered };
}

/**
 * Replaces a person's Home tab. Slack refuses a view over the Home tab's limits (invalid_arguments),
 * over 250 kB (view_too_large), an unknown user, and a `hash` that is not the tab's current one.
 */
function viewsPublish(workspace: Workspace, args: Args): Reply {
  const user = requireString(args, "user_id");
  const view = args.view;
  if (view === undefined) throw missingArgument("view");
  if (!isRecord(view)) throw explainedRefusal("invalid_arguments", { pointer: "/view", problem: "must be an object" });
  if (!workspace.users.has(user)) throw explainedRefusal("invalid_arguments", { pointer: "/user_id", problem: "invalid user_id" });
  const violation = findHomeViolation(view);
  if (violation !== undefined) throw explainedRefusal("invalid_arguments", violation);
  if (JSON.stringify(view).length > MAX_VIEW_BYTES) throw new SlackRefusal("view_too_large");
  const index = workspace.homes.findIndex((home) => home.user === user);
  const existing = workspace.homes[index];
  const hash = stringArg(args, "hash");
  if (hash !== undefined && existing !== undefined && hash !== existing.hash) throw new SlackRefusal("hash_conflict");
  const id = existing?.id ?? workspace.nextViewId();
  const nextHash = workspace.nextHash();
  const rendered = { ...renderView(workspace, id, nextHash, view), type: "home", private_metadata: view.private_metadata ?? "", callback_id: view.callback_id ?? "" };
  const published: PublishedHome = { user, id, hash: nextHash, view: rendered };
  if (existing === undefined) workspace.homes.push(published);
  else workspace.homes[index] = published;
  workspace.changed();
  return { ok: true, view: rendered };
}

function chatPostMessage(workspace: Workspace, args: Args): Reply {
  const requested = stringArg(args, "channel");
  const channel = postableChannelId(workspace, requested);
  const content = readMessageContent(args);
  const threadTs = stringArg(args, "thread_ts");
  const message: PostedMessage = {
    kind: "message",
    channel,
    ...content,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ts: workspace.nextTs(),
  };
  if (requested !== undefined && isUserId(requested)) rememberIm(workspace, requested);
  workspace.messages.push(message);
  workspace.changed();
  return { ok: true, channel, ts: message.ts, message: renderMessage(workspace, message) };
}

function chatPostEphemeral(workspace: Workspace, args: Args): Reply {
  const channel = postableChannelId(workspace, stringArg(args, "channel"));
  const user = requireString(args, "user");
  const content = readMessageContent(args);
  const threadTs = stringArg(args, "thread_ts");
  const message: PostedMessage = {
    kind: "ephemeral",
    channel,
    user,
    ...content,
    ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    ts: workspace.nextTs(),
  };
  workspace.messages.push(message);
  workspace.changed();
  return { ok: true, message_ts: message.ts };
}

function chatUpdate(workspace: Workspace, args: Args): Reply {
  const channel = visibleChannelId(workspace, stringArg(args, "channel"));
  const ts = requireString(args, "ts");
  // Ephemeral messages cannot be edited through chat.update (only through their response_url).
  const index = workspace.messages.findIndex((m) => m.kind === "message" && m.channel === channel && m.ts === ts);
  const existing = workspace.messages[index];
  if (existing === undefined) throw new SlackRefusal("message_not_found");
  const updated: PostedMessage = { ...existing, ...readMessageContent(args) };
  workspace.messages[index] = updated;
  workspace.changed();
  return { ok: true, channel, ts, text: updated.text, message: renderMessage(workspace, updated) };
}

function chatGetPermalink(workspace: Workspace, args: Args): Reply {
  const channel = visibleChannelId(workspace, stringArg(args, "channel"));
  const messageTs = requireString(args, "message_ts");
  const known = workspace.messages.find((m) => m.channel === channel && m.ts === messageTs);
  const thread = known?.thread_ts === undefined ? "" : `?thread_ts=${known.thread_ts}&cid=${channel}`;
  const permalink = `https://${SLACK_SEED.teamDomain}.slack.com/archives/${channel}/p${messageTs.replace(".", "")}${thread}`;
  return { ok: true, channel, permalink };
}

function usersInfo(workspace: Workspace, args: Args): Reply {
  const user = workspace.users.get(stringArg(args, "user") ?? "");
  if (user === undefined) throw new SlackRefusal("user_not_found");
  return { ok: true, user: renderUser(workspace, user) };
}

function conversationsInfo(workspace: Workspace, args: Args): Reply {
  const channel = workspace.channels.get(visibleChannelId(workspace, stringArg(args, "channel")));
  if (channel === undefined) throw new SlackRefusal("channel_not_found");
  return { ok: true, channel: renderChannel(channel) };
}

function conversationsOpen(workspace: Workspace, args: Args): Reply {
  const reopened = stringArg(args, "channel");
  if (reopened !== undefined) return conversationsInfo(workspace, args);
  const users = readUserList(args.users);
  const first = users[0];
  if (first === undefined) throw new SlackRefusal("users_list_not_supplied");
  if (users.length === 1) {
    const alreadyOpen = workspace.channels.has(imChannelIdFor(first));
    const channel = rememberIm(workspace, first);
    workspace.changed();
    return { ok: true, ...(alreadyOpen ? { no_op: true, already_open: true } : {}), channel: { id: channel.id } };
  }
  const id = `G${users.map((user) => user.slice(1)).sort().join("")}`;
  const name = `mpdm-${users.join("--")}-1`;
  workspace.channels.set(id, { id, name, isMember: true, isPrivate: true, isIm: false });
  workspace.changed();
  return { ok: true, channel: { id } };
}

function readUserList(users: unknown): string[] {
  if (typeof users === "string") return users.split(",").map((user) => user.trim()).filter((user) => user !== "");
  if (isList(users)) return users.filter((user): user is string => typeof user === "string");
  return [];
}

function conversationsJoin(workspace: Workspace, args: Args): Reply {
  const channel = workspace.channels.get(visibleChannelId(workspace, stringArg(args, "channel")));
  if (channel === undefined) throw new SlackRefusal("channel_not_found");
  if (channel.isPrivate || channel.isIm) throw new SlackRefusal("method_not_supported_for_channel_type");
  const joined: Channel = { ...channel, isMember: true };
  workspace.channels.set(joined.id, joined);
  workspace.changed();
  return { ok: true, channel: renderChannel(joined) };
}

const HANDLERS = new Map<string, Handler>([
  ["auth.test", authTest],
  ["views.open", viewsOpen],
  ["views.update", viewsUpdate],
  ["views.push", viewsPush],
  ["views.publish", viewsPublish],
  ["chat.postMessage", chatPostMessage],
  ["chat.postEphemeral", chatPostEphemeral],
  ["chat.update", chatUpdate],
  ["chat.getPermalink", chatGetPermalink],
  ["users.info", usersInfo],
  ["conversations.info", conversationsInfo],
  ["conversations.open", conversationsOpen],
  ["conversations.join", conversationsJoin],
]);

// ---------------------------------------------------------------------------------------------
// HTTP: decoding requests, faults, answers
// ---------------------------------------------------------------------------------------------

interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function jsonAnswer(body: Reply, status = 200, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(body) };
}

function textAnswer(status: number, body: string): HttpAnswer {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

/** What a scripted fault answers instead of the method; undefined when the method should still answer. */
function faultAnswer(fault: SlackFault): HttpAnswer | undefined {
  switch (fault.kind) {
    case "error":
      return jsonAnswer({ ok: false, error: fault.error, ...fault.extra });
    case "rate_limited":
      return jsonAnswer({ ok: false, error: "ratelimited" }, 429, fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) });
    case "http":
      return textAnswer(fault.status, STATUS_CODES[fault.status] ?? "Error");
    case "redirect":
      return { status: fault.status ?? 302, headers: { location: fault.location }, body: "" };
    case "delay":
    case "hang":
    case "drop":
      return undefined;
  }
}

/** Fields Slack takes as free text: never JSON-decoded even when they look like JSON. */
const TEXT_FIELDS = new Set(["text", "markdown_text", "thread_ts", "ts", "message_ts"]);

/** The client JSON-encodes object and array arguments into the form; decode them back for assertions. */
function decodeFormValue(name: string, value: string): unknown {
  if (TEXT_FIELDS.has(name) || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // Left as sent, so the method can refuse it as Slack would (e.g. invalid_blocks_format).
  }
}

interface DecodedCall {
  args: Args;
  token: string | undefined;
}

/** Arguments come from the query string and a form or JSON body; the token from `Authorization` or the form. */
function decodeCall(request: IncomingMessage, url: URL, body: string): DecodedCall {
  const args: Args = {};
  for (const [name, value] of url.searchParams) args[name] = decodeFormValue(name, value);
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.includes("application/json")) {
    const parsed = parseJson(body);
    if (isRecord(parsed)) Object.assign(args, parsed);
  } else {
    for (const [name, value] of new URLSearchParams(body)) args[name] = decodeFormValue(name, value);
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const formToken = typeof args.token === "string" && args.token !== "" ? args.token : undefined;
  delete args.token;
  return { args, token: bearer ?? formToken };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function writeAnswer(response: ServerResponse, answer: HttpAnswer): void {
  // The client may have given up (timeout) while the answer waited; nothing is left to write to.
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(answer.status, answer.headers).end(answer.body);
}

function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("Slack emulator has no TCP address"));
      else resolve(address.port);
    });
  });
}

/** Faults queued per method, first in first out; a fault with `remaining: Infinity` never runs out. */
class FaultQueue {
  readonly #queues = new Map<string, { fault: SlackFault; remaining: number }[]>();

  add(method: string, fault: SlackFault, times: number): void {
    const queue = this.#queues.get(method) ?? [];
    queue.push({ fault, remaining: times });
    this.#queues.set(method, queue);
  }

  /** The fault for this call, preferring one scripted for the method over one scripted for "*". */
  take(method: string): SlackFault | undefined {
    return this.#takeFrom(method) ?? this.#takeFrom("*");
  }

  clear(): void {
    this.#queues.clear();
  }

  #takeFrom(key: string): SlackFault | undefined {
    const queue = this.#queues.get(key);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }
}

const API_PATH = "/api/";
const RESPONSE_URL_PATH = "/actions/";

class LoopbackSlackEmulator implements SlackEmulator {
  readonly apiUrl: string;
  readonly origin: string;
  readonly calls: SlackCall[] = [];
  readonly responses: { url: string; body: Record<string, unknown>; at: number }[] = [];
  latencyMs = 0;
  readonly #server: Server;
  readonly #workspace: Workspace;
  readonly #token: string | undefined;
  readonly #faults = new FaultQueue();
  /** Method -> until when (ms, the emulator's clock) it answers 429. */
  readonly #limits = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #responseUrls = new Set<string>();
  readonly #hung = new Set<IncomingMessage["socket"]>();
  #mintedCount = 0;

  constructor(server: Server, origin: string, workspace: Workspace, token: string | undefined) {
    this.#server = server;
    this.origin = origin;
    this.apiUrl = `${origin}${API_PATH}`;
    this.#workspace = workspace;
    this.#token = token;
    server.on("request", (request: IncomingMessage, response: ServerResponse) => void this.#serve(request, response));
  }

  get messages(): PostedMessage[] {
    return this.#workspace.messages;
  }

  get views(): OpenedView[] {
    return this.#workspace.views;
  }

  get homes(): PublishedHome[] {
    return this.#workspace.homes;
  }

  homeView(user: string): PublishedHome | undefined {
    return this.#workspace.homes.find((home) => home.user === user);
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  fail(method: string, fault: SlackFault, { times = 1 }: { times?: number } = {}): void {
    if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
      throw new RangeError(`fail(): times must be a positive integer or Infinity, got ${times}`);
    }
    this.#faults.add(method, fault, times);
  }

  postUserMessage(input: { channel: string; author: string; text: string; thread_ts?: string }): PostedMessage {
    if (!this.#workspace.channels.has(input.channel)) throw new Error(`postUserMessage(): no channel ${input.channel}`);
    const message: PostedMessage = {
      kind: "message",
      channel: input.channel,
      author: input.author,
      text: input.text,
      blocks: undefined,
      ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
      ts: this.#workspace.nextTs(),
    };
    this.#workspace.messages.push(message);
    this.#workspace.changed();
    return message;
  }

  clearFaults(): void {
    this.#faults.clear();
    this.#limits.clear();
  }

  rateLimit(method: string, seconds: number): void {
    this.#limits.set(method, this.#workspace.settings.now() + seconds * 1000);
  }

  /** The rate limit's refusal for a call to `method` now, if it is still limited. */
  #limited(method: string): SlackFault | undefined {
    const until = this.#limits.get(method);
    const left = until === undefined ? 0 : until - this.#workspace.settings.now();
    if (left <= 0) return undefined;
    return { kind: "rate_limited", retryAfterSeconds: Math.ceil(left / 1000) };
  }

  addUser(user: EmulatedUserInput): void {
    const name = user.name ?? user.id.toLowerCase();
    this.#workspace.seedUser({
      id: user.id,
      name,
      realName: user.realName ?? name,
      ...(user.email === undefined ? {} : { email: user.email }),
      isBot: user.isBot ?? false,
    });
  }

  addChannel(channel: EmulatedChannelInput): void {
    this.#workspace.seedChannel({
      id: channel.id,
      name: channel.name ?? channel.id.toLowerCase(),
      isMember: channel.isMember ?? true,
      isPrivate: channel.isPrivate ?? channel.id.startsWith("G"),
      isIm: channel.isIm ?? channel.id.startsWith("D"),
    });
  }

  triggerId(user?: string): string {
    const issuedAt = this.#workspace.settings.now();
    const triggerId = `${Math.floor(issuedAt / 1000)}.${++this.#mintedCount}.${randomBytes(8).toString("hex")}`;
    this.#workspace.triggersIssuedAt.set(triggerId, issuedAt);
    if (user !== undefined) this.#workspace.triggerUsers.set(triggerId, user);
    return triggerId;
  }

  responseUrl(): string {
    const path = `${RESPONSE_URL_PATH}${this.#workspace.settings.teamId}/${++this.#mintedCount}/${randomBytes(8).toString("hex")}`;
    this.#responseUrls.add(path);
    return `${this.origin}${path}`;
  }

  hangingConnections(): number {
    return this.#hung.size;
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.latencyMs = 0;
    this.#faults.clear();
    this.#limits.clear();
    this.#workspace.forget();
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    // Hung requests hold their sockets open; cut them so close() returns.
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.#server.close((error) => (error === undefined ? resolve() : reject(error))),
    );
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? "/", this.origin);
      const body = await readBody(request);
      if (url.pathname.startsWith(API_PATH)) await this.#serveApiCall(request, response, url, body);
      else if (this.#responseUrls.has(url.pathname)) await this.#serveResponseUrl(request, response, url, body);
      else writeAnswer(response, jsonAnswer({ ok: false, error: "not_found" }, 404));
    } catch (error) {
      // An emulator bug should fail the test loudly, not hang it: answer 500 with the reason.
      writeAnswer(response, textAnswer(500, `Slack emulator error: ${error instanceof Error ? error.stack : String(error)}`));
    }
  }

  async #serveApiCall(request: IncomingMessage, response: ServerResponse, url: URL, body: string): Promise<void> {
    const method = decodeURIComponent(url.pathname.slice(API_PATH.length));
    const { args, token } = decodeCall(request, url, body);
    this.calls.push({ method, args, token, at: this.#workspace.settings.now() });
    await this.#answer(request, response, this.#limited(method) ?? this.#faults.take(method), () => this.#dispatch(method, args, token));
  }

  /** Runs the method: unknown methods first (Slack answers them without auth), then the token, then the handler. */
  #dispatch(method: string, args: Args, token: string | undefined): HttpAnswer {
    const scopes = { "x-oauth-scopes": this.#workspace.settings.scopes.join(",") };
    const handler = HANDLERS.get(method);
    if (handler === undefined) return jsonAnswer({ ok: false, error: "unknown_method", req_method: method });
    if (token === undefined) return jsonAnswer({ ok: false, error: "not_authed" });
    if (this.#token !== undefined && token !== this.#token) return jsonAnswer({ ok: false, error: "invalid_auth" });
    try {
      return jsonAnswer(handler(this.#workspace, args), 200, scopes);
    } catch (error) {
      if (!(error instanceof SlackRefusal)) throw error;
      return jsonAnswer({ ok: false, error: error.error, ...error.extra }, 200, scopes);
    }
  }

  async #serveResponseUrl(request: IncomingMessage, response: ServerResponse, url: URL, body: string): Promise<void> {
    await this.#answer(request, response, this.#limited("response_url") ?? this.#faults.take("response_url"), () => {
      const parsed = parseJson(body);
      if (!isRecord(parsed)) return textAnswer(400, "invalid_payload");
      this.responses.push({ url: url.href, body: parsed, at: this.#workspace.settings.now() });
      return jsonAnswer({ ok: true });
    });
  }

  /**
   * Applies the fault, then answers after latency. The work happens on arrival and only the answer waits,
   * so a client that times out on a slow answer has still posted: the duplicate-on-retry case Slack bots hit.
   */
  async #answer(
    request: IncomingMessage,
    response: ServerResponse,
    fault: SlackFault | undefined,
    work: () => HttpAnswer,
  ): Promise<void> {
    if (fault?.kind === "hang") {
      // The socket stays open until the client closes it (an abort) or close().
      const socket = request.socket;
      if (!socket.destroyed) {
        this.#hung.add(socket);
        socket.once("close", () => this.#hung.delete(socket));
      }
      return;
    }
    if (fault?.kind === "drop") {
      request.socket.resetAndDestroy(); // A TCP RST: the client sees ECONNRESET, as on a dropped connection.
      return;
    }
    if (fault?.kind === "http" && fault.commitFirst) work();
    const answer = (fault === undefined ? undefined : faultAnswer(fault)) ?? work();
    await this.#sleep(this.latencyMs + (fault?.kind === "delay" ? fault.ms : 0));
    writeAnswer(response, answer);
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}
