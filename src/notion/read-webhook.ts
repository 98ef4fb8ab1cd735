import { readPostBody } from "../read-body.js";
import { readHandshake } from "./webhook-payloads.js";
import { verifyNotionSignature, type NotionVerifyFailure } from "./verify-webhook.js";

/** A Notion event is a few hundred bytes of ids; anything far bigger is not Notion's. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export type NotionReadOutcome =
  /** Notion's first request to a new subscription: unsigned, carrying the token that will sign the rest. */
  | { ok: true; kind: "handshake"; token: string }
  /** A body whose signature holds: only now may it be parsed. */
  | { ok: true; kind: "signed"; body: string }
  | { ok: false; response: Response; reason: NotionVerifyFailure | "method_not_allowed" | "body_too_large" | "not_configured" };

/**
 * Turns a request to /notion/webhooks into a handshake, a verified body, or the response that refuses
 * it. `secret` is NOTION_WEBHOOK_SECRET, undefined until the set-up is finished.
 */
export async function readNotionRequest(request: Request, options: { secret: string | undefined; maxBodyBytes?: number }): Promise<NotionReadOutcome> {
  // 1. Read the raw body once: the signature covers these exact bytes.
  const read = await readPostBody(request, options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES);
  if (!read.ok) return read;
  const { bytes, body } = read;

  const signature = request.headers.get("x-notion-signature");
  if (signature === null) {
    // The handshake is the one request Notion does not sign; it carries nothing but the token.
    const token = readHandshake(body);
    if (token !== undefined) return { ok: true, kind: "handshake", token };
    return { ok: false, reason: "missing_signature", response: unauthorized() };
  }
  // Without the secret nothing can be verified: Notion is asked to try again later (503), and the
  // handler's log line says how to finish the set-up.
  if (options.secret === undefined) return { ok: false, reason: "not_configured", response: new Response("Not configured", { status: 503 }) };

  // 2. Verify the signature, before anything of the body is parsed.
  const verified = verifyNotionSignature({ secret: options.secret, body: bytes, signature });
  if (!verified.ok) return { ok: false, reason: verified.reason, response: unauthorized() };
  return { ok: true, kind: "signed", body };
}

/** The body says nothing about why, so a prober learns nothing from it. */
export function unauthorized(): Response {
  return new Response("Unauthorized", { status: 401 });
}
