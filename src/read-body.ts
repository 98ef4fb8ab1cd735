/** Reading a request's raw body once, with a bound: every signed endpoint (Slack's, Notion's) starts here. */

/** The body as text, or undefined once it passes `maxBytes` (a chunked body has no length header). */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<string | undefined> {
  if (request.body === null) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
