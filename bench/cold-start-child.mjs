// Runs in a fresh `node` (no tsx, no loaders): imports one bundled function, answers one request,
// reports timings from Node's time origin, and exits at once. Plain JavaScript on purpose, so the
// child pays for nothing the function itself does not load.
const started = performance.now();
const input = JSON.parse(process.env.BENCH_COLD_INPUT ?? "{}");
const { default: handle } = await import(input.bundleUrl);
const imported = performance.now();
const request = new Request(input.request.url, { method: "POST", headers: input.request.headers, body: input.request.body });
const response = await handle(request, { waitUntil() {}, requestId: "bench-cold-start" });
const body = await response.text();
const answered = performance.now();
// The function logs JSON lines to stdout too: the marker finds the bench's line among them.
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ timeOrigin: performance.timeOrigin, started, imported, answered, status: response.status, body: body.slice(0, 300) })}\n`);
process.exit(0);
