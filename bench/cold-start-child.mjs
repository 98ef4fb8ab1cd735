// Runs in a fresh `node` (no tsx, no loaders) as Netlify's runtime does on AWS Lambda: imports the
// packaged function's entry (___netlify-entry-point.mjs, whose `handler` is Netlify's bootstrap; it
// imports the function's own module on the first request), invokes it with one request as a Lambda
// event, reports timings from Node's time origin when the answer has been streamed, and exits at once.
// Plain JavaScript on purpose, so the child pays for nothing the function itself does not load.
import { Writable } from "node:stream";

const started = performance.now();
const input = JSON.parse(process.env.BENCH_COLD_INPUT ?? "{}");
// Lambda's response streaming, which the bootstrap writes through: the least of it.
let prelude;
globalThis.awslambda = {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: {
    from(stream, metadata) {
      prelude = metadata;
      return stream;
    },
  },
};
const { handler } = await import(input.entryUrl);
const imported = performance.now();
const chunks = [];
const stream = new Writable({
  write(chunk, _encoding, done) {
    chunks.push(Buffer.from(chunk));
    done();
  },
});
const streamed = new Promise((resolve) => stream.once("finish", resolve));
// The fields of Netlify's event the bootstrap reads to build the Request; the store comes from
// NETLIFY_BLOBS_CONTEXT in the environment, as the parent sets it.
const event = { rawUrl: input.request.url, httpMethod: "POST", headers: input.request.headers, body: input.request.body, isBase64Encoded: false, flags: {} };
const context = { awsRequestId: "bench-cold-start", getRemainingTimeInMillis: () => 30_000, callbackWaitsForEmptyEventLoop: true, clientContext: {} };
handler(event, stream, context).catch((error) => {
  process.stderr.write(`the handler failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
await streamed;
const answered = performance.now();
const body = Buffer.concat(chunks).toString("utf8");
// The function logs JSON lines to stdout too: the marker finds the bench's line among them.
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ timeOrigin: performance.timeOrigin, started, imported, answered, status: prelude?.statusCode ?? 0, body: body.slice(0, 300) })}\n`);
process.exit(0);
