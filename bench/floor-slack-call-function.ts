/**
 * The floor for a function that must check Slack's signature and call Slack before answering, as
 * /task must (views.open): the floor function plus the signature's HMAC with node:crypto and one Web
 * API call with the global fetch. Its cost over the floor is loading node:crypto and Node setting up
 * its HTTP client for the first call, which no such function can avoid either.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export default async (request: Request): Promise<Response> => {
  const body = await request.text();
  // Slack's v0 signature over "v0:<timestamp>:<body>", compared in constant time.
  const expected = Buffer.from(`v0=${createHmac("sha256", process.env.SLACK_SIGNING_SECRET ?? "").update(`v0:${request.headers.get("x-slack-request-timestamp")}:${body}`).digest("hex")}`);
  const given = Buffer.from(request.headers.get("x-slack-signature") ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return new Response("", { status: 401 });
  const answer = await fetch(`${process.env.SLACK_API_URL}auth.test`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.SLACK_BOT_TOKEN}` },
  });
  const { ok } = (await answer.json()) as { ok: boolean };
  return new Response("", { status: ok ? 200 : 502 });
};
