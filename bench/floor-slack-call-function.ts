/**
 * The floor for a function that must call Slack before answering, as /task must (views.open): the
 * floor function plus one Web API call with the global fetch. Its cost over the floor is Node
 * setting up its HTTP client for the first call, which no such function can avoid either.
 */
export default async (request: Request): Promise<Response> => {
  await request.text();
  const answer = await fetch(`${process.env.SLACK_API_URL}auth.test`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.SLACK_BOT_TOKEN}` },
  });
  const { ok } = (await answer.json()) as { ok: boolean };
  return new Response("", { status: ok ? 200 : 502 });
};
