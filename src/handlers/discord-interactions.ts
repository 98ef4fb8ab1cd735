/**
 * The handler behind POST /discord/interactions (netlify/functions/discord-interactions.ts): every
 * Discord interaction (the `/task` command, the message commands, buttons, modal submissions), routed
 * by intent through the port's table (routes.ts: intentRoutes) and answered through the Discord Reply.
 */
import type { KeyObject } from "node:crypto";
import type { Intent } from "../chat/intent.js";
import type { InteractionContext } from "../features/context.js";
import { describeError, type LogFields } from "../log.js";
import { readContext } from "../platforms/discord/custom-id.js";
import { noPings } from "../platforms/discord/markdown.js";
import { readParked } from "../platforms/discord/parking.js";
import type { ParsedInteraction } from "../platforms/discord/parse-interaction.js";
import { readDiscordInteraction } from "../platforms/discord/read-interaction.js";
import { formToReopen, REOPEN_FORM_ACTION } from "../platforms/discord/refused-form.js";
import { createDiscordReply, type DiscordReply } from "../platforms/discord/reply.js";
import { CallbackType, MessageFlags } from "../platforms/discord/rest.js";
import { discordPublicKey, MAX_TIMESTAMP_SKEW_SECONDS } from "../platforms/discord/verify-interaction.js";
import { intentRoute, intentRoutes, type IntentRoutes } from "../routes.js";
import { createRuntime, REQUIRED_VARIABLES, type RuntimeOptions } from "../runtime.js";
import { DISCORD_WIRING } from "../platforms/discord/wiring.js";
import { serve, type Handler } from "../serve.js";
import { answerRoute, cardOf, FAILED } from "./answer-route.js";
import { describeIntent, typedTextIn } from "./intent-log.js";
import { AFTER_RESPONSE_LEASE_MS, completeClaim } from "../store/claims.js";

/**
 * The intents claimed by interaction id before routing: what a button or a message command does
 * (move a task, post a reminder) happens once however often it arrives. The others are not: a
 * command only reads or opens a form, and a form's save is claimed by the form's instance (the
 * interaction that opened it), which catches a resend as well as a replay. Claiming every
 * interaction put the store, and loading its client, on every cold answer: 83 ms over
 * slack-commands' in one loaded run, against within 3 ms without (docs/performance.md).
 */
const CLAIMED_KINDS: ReadonlySet<Intent["kind"]> = new Set(["button", "message_shortcut"]);
const NOT_CLAIMED = { kind: "not_claimed" } as const;

export interface DiscordInteractionsOptions extends RuntimeOptions {
  /** The port's routing table; tests pass their own routes. */
  routes?: IntentRoutes;
}

/** POST /discord/interactions: Discord sends every interaction here, signed with Ed25519. */
export function createDiscordInteractionsHandler(options: DiscordInteractionsOptions = {}): Handler {
  const runtime = createRuntime(options, REQUIRED_VARIABLES.discord, DISCORD_WIRING);
  const routes = options.routes ?? intentRoutes;
  const subcommands: ReadonlySet<string> = new Set(Object.keys(routes.subcommand));
  // DISCORD_PUBLIC_KEY as a key, imported once, on the first request (the function requires it).
  let publicKey: KeyObject | undefined;
  return serve(runtime, { kind: "interaction", failed: () => privately(FAILED) }, async (request, scope) => {
    const { line, typed } = scope;
    const discord = scope.load().discord!;
    // 1. Read the raw body once, 2. verify the signature (any failure a bare 401), 3. parse; a PING is answered here.
    publicKey ??= discordPublicKey(discord.publicKeyHex!);
    const read = await readDiscordInteraction(request, { publicKey, nowMs: runtime.now(), subcommands });
    if (read.kind === "refused") {
      Object.assign(line, { outcome: read.reason, ...(read.problem ? { problem: read.problem } : {}) });
      return read.response;
    }
    if (read.kind === "pong") {
      line.kind = "ping";
      return read.response;
    }
    const { parsed } = read;
    if (parsed.kind === "other") {
      Object.assign(line, { outcome: "ignored", callback_id: parsed.what });
      // An autocomplete is answered with choices (type 8), never a message: none, since no option of ours asks for them.
      return parsed.what === "autocomplete" ? Response.json({ type: 8, data: { choices: [] } }) : privately(NOT_OFFERED);
    }
    // The token answers the interaction for 15 minutes: it never reaches a log.
    const typedText = typedTextIn(parsed.intent);
    typed.push(parsed.interaction.token, ...typedText);
    describeIntent(line, parsed.intent);
    line.text_length = typedText.reduce((sum, text) => sum + text.length, 0);
    const ctx = scope.context();
    // 4. Validate: only the servers the bot was set up for (a DM has no server, so it is refused too).
    const allowed = discord.allowedGuildIds;
    if (allowed !== undefined && !allowed.includes(parsed.intent.person.workspace)) {
      Object.assign(line, { outcome: "team_not_allowed", workspaces: parsed.intent.person.workspace });
      return privately(OUTSIDER);
    }
    // 5. Claim once by the interaction's id, where a delivery seen again (a replay within the signature's window) could repeat what it did.
    const claim = CLAIMED_KINDS.has(parsed.intent.kind)
      ? await ctx.claims.claim(`discord-interaction:${parsed.interaction.id}`, {
          now: runtime.now(),
          leaseMs: AFTER_RESPONSE_LEASE_MS,
          horizonMs: 2 * MAX_TIMESTAMP_SKEW_SECONDS * 1000,
          deadline: ctx.deadline,
        })
      : NOT_CLAIMED;
    if (claim.kind === "done" || claim.kind === "pending") {
      line.outcome = "duplicate";
      return Response.json(parsed.intent.kind === "button" ? { type: CallbackType.DeferredUpdateMessage } : { type: CallbackType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    }
    if (claim.kind === "unavailable") ctx.log.warn("store.unavailable", { claim: "discord-interaction", outcome: "degraded", ...describeError(claim.error) });
    const chat = ctx.chats.discord!;
    const reply = createDiscordReply(parsed.interaction, parsed.intent, { rest: discord.rest, chat, store: ctx.store, now: runtime.now, sleep: ctx.sleep, arrivedAt: ctx.deadline.at - runtime.ackDeadlineMs, deadline: ctx.deadline });
    const interaction: InteractionContext = { ...ctx, chat, reply };
    // 6. Route: a parked value read back first; the "Fix it" of a refused form is the adapter's own.
    const work = routeInteraction(parsed, interaction, reply, routes, scope);
    await answerRoute(work, reply, ctx, line, {
      label: "finish interaction",
      done: async () => {
        if (claim.kind === "won" || claim.kind === "unavailable") await completeClaim(claim, {}, ctx.log, "discord-interaction");
      },
    });
    return reply.response();
  });
}

/** Reads a parked value back, handles what the adapter owns, and runs the intent's route; rejects with what the route rejects with. */
async function routeInteraction(
  parsed: Extract<ParsedInteraction, { kind: "intent" | "parked" }>,
  ctx: InteractionContext,
  reply: DiscordReply,
  routes: IntentRoutes,
  { line, typed }: { line: LogFields; typed: string[] },
): Promise<void> {
  let intent = parsed.intent;
  if (parsed.kind === "parked") {
    // Within the store's own timeout, not the acknowledgement's: a store still answering at the
    // deadline gets the deferred answer (5, or 6 for a button) and the route goes on once it has
    // answered; bounded by the deadline, a slow store (netlify dev's on a busy machine) lost a
    // submission to "Something went wrong". A read that fails once the deadline passed is said the
    // same, by the adapter (through the token after the answer); before it, answerRoute says it.
    const value = await readParked(ctx.store, parsed.key).catch(async (error: unknown) => {
      if (reply.answered || ctx.deadline.remainingMs() <= 0) await reply.tellPrivately(cardOf(FAILED)).catch(() => undefined);
      throw error;
    });
    if (value === undefined) {
      line.outcome = "parked_value_gone";
      return reply.tellPrivately(cardOf(GONE));
    }
    // A parked value may quote a message (a reminder's excerpt): masked like typed text.
    typed.push(value);
    intent = intent.kind === "button" ? { ...intent, value } : intent.kind === "submit_form" ? { ...intent, context: readContext(value), instance: readContext(value).o ?? intent.instance } : intent;
  }
  if (intent.kind === "button" && intent.action === REOPEN_FORM_ACTION) {
    const form = intent.value === undefined ? undefined : formToReopen(intent.value);
    if (form === undefined) {
      line.outcome = "parked_value_gone";
      return reply.tellPrivately(cardOf(GONE));
    }
    await reply.openForm(form);
    return;
  }
  const route = intentRoute(intent, routes);
  if (route === undefined) {
    line.outcome = "unknown_callback";
    return reply.tellPrivately(cardOf(NOT_HANDLED));
  }
  await route(ctx);
}


/** An ephemeral answer (type 4, flags 64) that pings nobody. */
function privately(text: string): Response {
  return Response.json({ type: CallbackType.ChannelMessageWithSource, data: { content: text, flags: MessageFlags.Ephemeral, allowed_mentions: noPings() } });
}

const OUTSIDER = "Sorry, this bot only works in the servers it was set up for, so it can't take this from you.";
const NOT_HANDLED = "This isn't handled by the bot any more.";
const NOT_OFFERED = "That isn't something this bot does. Try /task.";
const GONE = "That button has expired. Please start again with /task.";
