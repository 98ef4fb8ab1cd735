/** Reading a request's raw body once, with a bound: every signed endpoint (Slack's, Notion's) starts here. */

/**
 * The body's bytes exactly as received (both services sign bytes, not decoded text), or undefined
 * once they pass `maxBytes` (a chunked body has no length header).
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Buffer | undefined> {
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
