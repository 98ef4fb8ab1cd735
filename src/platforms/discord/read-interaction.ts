/**
 * Steps 1 to 3 of every Discord request: read the raw body once, verify it, parse it. A PING (what
 * Discord sends when the Interactions Endpoint URL is saved, signed) is answered here with
 * `{"type":1}`: it carries no work. Every verification failure is the same bare 401, which is
 * all Discord's bad-signature probes may ever see.
 */
import type { KeyObject } from "node:crypto";
import { readPostBody } from "../../read-body.js";
import { parseDiscordInteraction, type ParsedInteraction } from "./parse-interaction.js";
import { verifyDiscordSignature, type DiscordVerifyFailure } from "./verify-interaction.js";

/** Discord's interactions are small (a message command's resolved message is the largest); anything bigger is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;

export type DiscordReadOutcome =
  | { kind: "refused"; reason: DiscordVerifyFailure | "method_not_allowed" | "body_too_large" | "invalid"; response: Response; problem?: string }
  | { kind: "pong"; response: Response }
  | { kind: "interaction"; parsed: Exclude<ParsedInteraction, { kind: "ping" } | { kind: "invalid" }> };

export interface DiscordReadOptions {
  publicKey: KeyObject;
  nowMs: number;
  /** The routing table's `/task` words (`list`, `review`, `help`). */
  subcommands: ReadonlySet<string>;
  maxBodyBytes?: number;
}

/** A verified, parsed interaction, or the response that ends the request here (401, 405, 413, 400, or PONG). */
export async function readDiscordInteraction(request: Request, options: DiscordReadOptions): Promise<DiscordReadOutcome> {
  // 1. Read the raw body once: the signature covers these exact bytes.
  const read = await readPostBody(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
  if (!read.ok) return { kind: "refused", reason: read.reason, response: read.response };
  // 2. Verify the signature; the 401 says nothing about why.
  const verified = verifyDiscordSignature({
    publicKey: options.publicKey,
    body: read.bytes,
    signature: request.headers.get("x-signature-ed25519"),
    timestamp: request.headers.get("x-signature-timestamp"),
    nowMs: options.nowMs,
  });
  if (!verified.ok) return { kind: "refused", reason: verified.reason, response: new Response("Unauthorized", { status: 401 }) };
  // 3. Parse into the port's intents.
  const parsed = parseDiscordInteraction(read.body, options.subcommands);
  if (parsed.kind === "ping") return { kind: "pong", response: Response.json({ type: 1 }) };
  if (parsed.kind === "invalid") return { kind: "refused", reason: "invalid", problem: parsed.problem, response: new Response("Bad Request", { status: 400 }) };
  return { kind: "interaction", parsed };
}
