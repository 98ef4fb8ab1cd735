import { readPostBody } from "../../read-body.js";
import { verifySlackSignature, type VerifyFailure } from "./verify-request.js";

/**
 * Slack's largest bodies are view submissions and message shortcuts carrying a long message;
 * both stay far below this. Anything bigger is refused before it is read into memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Why a request was refused before anything in it was trusted, and the response that says so. */
export type Refusal = { ok: false; response: Response; reason: VerifyFailure | "method_not_allowed" | "body_too_large" | "ssl_check" };

/** `body`: the body decoded as UTF-8, to parse; the signature was checked over its bytes as received. */
export type ReadOutcome = { ok: true; body: string; form: URLSearchParams } | Refusal;

export interface ReadOptions {
  signingSecret: string;
  nowMs: number;
  maxBodyBytes?: number;
}

/**
 * Steps 1 and 2 for any Slack request, whatever its body's format (a form for commands and
 * interactivity, JSON for the Events API): the raw body, verified, or the response that refuses it.
 * `beforeVerifying` may answer a request that carries no work before the signature is checked.
 */
export async function readVerifiedBody(request: Request, options: ReadOptions, beforeVerifying?: (body: string) => Refusal | undefined): Promise<{ ok: true; body: string } | Refusal> {
  // 1. Read the raw body once: the signature covers these exact bytes.
  const read = await readPostBody(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
  if (!read.ok) return read;
  const { bytes, body } = read;
  const early = beforeVerifying?.(body);
  if (early) return early;

  // 2. Verify the signature.
  const verified = verifySlackSignature({
    signingSecret: options.signingSecret,
    body: bytes,
    signature: request.headers.get("x-slack-signature"),
    timestamp: request.headers.get("x-slack-request-timestamp"),
    nowMs: options.nowMs,
  });
  // The body says nothing about why, so a prober learns nothing from it.
  if (!verified.ok) return refuse(verified.reason, new Response("Unauthorized", { status: 401 }));
  return { ok: true, body };
}

/** Turns an incoming form request (a command, an interaction) into a verified form, or the response that refuses it. */
export async function readSlackRequest(request: Request, options: ReadOptions): Promise<ReadOutcome> {
  let form = new URLSearchParams();
  const read = await readVerifiedBody(request, options, (body) => {
    form = new URLSearchParams(body);
    // Slack's certificate check carries no work and may arrive unsigned: answer it before verifying.
    return form.get("ssl_check") === "1" ? refuse("ssl_check", new Response(null, { status: 200 })) : undefined;
  });
  if (!read.ok) return read;
  return { ok: true, body: read.body, form };
}

function refuse(reason: Refusal["reason"], response: Response): Refusal {
  return { ok: false, reason, response };
}
