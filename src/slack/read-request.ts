import { verifySlackSignature, type VerifyFailure } from "./verify-request.js";

/**
 * Slack's largest bodies are view submissions and message shortcuts carrying a long message;
 * both stay far below this. Anything bigger is refused before it is read into memory.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

export type ReadOutcome =
  /** `body`: the bytes as received, which the signature covers; `form`: the same, parsed as UTF-8. */
  | { ok: true; body: Uint8Array; form: URLSearchParams }
  | { ok: false; response: Response; reason: VerifyFailure | "method_not_allowed" | "body_too_large" | "ssl_check" };

export interface ReadOptions {
  signingSecret: string;
  nowMs: number;
  maxBodyBytes?: number;
}

/** Turns an incoming request into a verified form, or the response that refuses it. */
export async function readSlackRequest(request: Request, options: ReadOptions): Promise<ReadOutcome> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (request.method !== "POST") {
    return refuse("method_not_allowed", new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } }));
  }
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > maxBodyBytes) return refuse("body_too_large", tooLarge());

  // 1. Read the raw body once: the signature covers these exact bytes.
  const body = await readBodyUpTo(request, maxBodyBytes);
  if (body === undefined) return refuse("body_too_large", tooLarge());
  // Parsed from a decoded copy; the bytes themselves are what gets verified.
  const form = new URLSearchParams(body.toString("utf8"));

  // Slack's certificate check carries no work and may arrive unsigned: answer it before verifying.
  if (form.get("ssl_check") === "1") return refuse("ssl_check", new Response(null, { status: 200 }));

  // 2. Verify the signature.
  const verified = verifySlackSignature({
    signingSecret: options.signingSecret,
    body,
    signature: request.headers.get("x-slack-signature"),
    timestamp: request.headers.get("x-slack-request-timestamp"),
    nowMs: options.nowMs,
  });
  // The body says nothing about why, so a prober learns nothing from it.
  if (!verified.ok) return refuse(verified.reason, new Response("Unauthorized", { status: 401 }));
  return { ok: true, body, form };
}

function refuse(reason: Exclude<ReadOutcome, { ok: true }>["reason"], response: Response): ReadOutcome {
  return { ok: false, reason, response };
}

function tooLarge(): Response {
  return new Response("Payload Too Large", { status: 413 });
}

/** The body's bytes, or undefined once they pass the limit (a chunked body has no length header). */
async function readBodyUpTo(request: Request, maxBytes: number): Promise<Buffer | undefined> {
  if (request.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
