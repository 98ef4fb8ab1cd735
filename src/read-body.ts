/** Reading a request's raw body once, with a bound: every signed endpoint (Slack's, Notion's) starts here. */

/** A POST body as received: its bytes (what both services sign) and a UTF-8 decoded copy to parse. */
export type PostBody =
  | { ok: true; bytes: Buffer; body: string }
  | { ok: false; reason: "method_not_allowed" | "body_too_large"; response: Response };

/**
 * Step 1 for every signed endpoint: refuses a method other than POST (405) and a body over
 * `maxBytes`, declared or streamed (413), before anything in it is trusted; else reads it once.
 */
export async function readPostBody(request: Request, maxBytes: number): Promise<PostBody> {
  if (request.method !== "POST") {
    return { ok: false, reason: "method_not_allowed", response: new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } }) };
  }
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) return tooLarge();
  const bytes = await readBodyUpTo(request, maxBytes);
  if (bytes === undefined) return tooLarge();
  // Parsed from a decoded copy; the bytes themselves are what gets verified.
  return { ok: true, bytes, body: bytes.toString("utf8") };
}

/**
 * The body's bytes exactly as received (both services sign bytes, not decoded text), or undefined
 * once they pass `maxBytes` (a chunked body has no length header).
 */
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

function tooLarge(): PostBody {
  return { ok: false, reason: "body_too_large", response: new Response("Payload Too Large", { status: 413 }) };
}
