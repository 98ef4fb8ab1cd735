/**
 * The Mattermost emulator's scripted faults, where a test needs more than a status: a call held
 * until the test releases it (carried out then, whether or not the bot still waits), one never
 * answered, and a 429 with the headers Mattermost's rate limiter sends (Retry-After and
 * X-Ratelimit-Reset, in seconds).
 */
import { afterEach, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator } from "../../dev/mattermost-emulator.js";

let mattermost: MattermostEmulator;
afterEach(async () => mattermost?.close());

function post(message: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${mattermost.url}/api/v4/posts`, { method: "POST", headers: { authorization: `Bearer ${MATTERMOST_SEED.botToken}`, "content-type": "application/json" }, body: JSON.stringify({ channel_id: MATTERMOST_SEED.townSquare, message }), ...(signal ? { signal } : {}) });
}

describe("a held call", () => {
  it("is carried out only when released, and answers a sender still waiting", async () => {
    mattermost = await startMattermostEmulator();
    mattermost.fail("create_post", { kind: "hold" });
    const answer = post("late");
    await expect.poll(() => mattermost.callsTo("create_post").length).toBe(1);
    expect(mattermost.posts).toEqual([]);
    expect(await mattermost.releaseHeld()).toBe(1);
    expect((await answer).status).toBe(201);
    expect(mattermost.posts.map((entry) => entry.message)).toEqual(["late"]);
  });

  it("lands when released after its sender gave up: the post the bot thought lost is there once", async () => {
    mattermost = await startMattermostEmulator();
    mattermost.fail("*", { kind: "hold" });
    const abort = new AbortController();
    const answer = post("given up on", abort.signal);
    await expect.poll(() => mattermost.calls.length).toBe(1);
    abort.abort();
    await expect(answer).rejects.toThrow();
    expect(await mattermost.releaseHeld()).toBe(1);
    expect(mattermost.posts.map((entry) => entry.message)).toEqual(["given up on"]);
    expect(await mattermost.releaseHeld()).toBe(0);
  });

  it("a hang is never carried out", async () => {
    mattermost = await startMattermostEmulator();
    mattermost.fail("create_post", { kind: "hang" });
    await expect(post("never", AbortSignal.timeout(200))).rejects.toThrow();
    expect(await mattermost.releaseHeld()).toBe(0);
    expect(mattermost.posts).toEqual([]);
  });
});

describe("a rate-limited call", () => {
  it("answers 429 with Mattermost's AppError and its wait in Retry-After and X-Ratelimit-Reset, and carries nothing out", async () => {
    mattermost = await startMattermostEmulator();
    mattermost.fail("create_post", { kind: "rate_limited", retryAfterSeconds: 7 });
    const answer = await post("too many");
    expect(answer.status).toBe(429);
    expect([answer.headers.get("retry-after"), answer.headers.get("x-ratelimit-reset"), answer.headers.get("x-ratelimit-remaining")]).toEqual(["7", "7", "0"]);
    expect(await answer.json()).toMatchObject({ id: "api.context.rate_limit.app_error", status_code: 429 });
    expect(mattermost.posts).toEqual([]);
  });
});
