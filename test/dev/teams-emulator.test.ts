/**
 * The Teams emulator's scripted faults, where a test needs more than a status: a call held until the
 * test releases it (carried out then, whether or not the bot still waits), and one never answered.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../../dev/teams-emulator.js";

let teams: TeamsEmulator;
afterEach(async () => teams?.close());

async function token(): Promise<string> {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: TEAMS_SEED.appId, client_secret: TEAMS_SEED.appPassword, scope: "https://api.botframework.com/.default" });
  const response = await fetch(teams.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  return ((await response.json()) as { access_token: string }).access_token;
}

function send(bearer: string, text: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${teams.origin}/v3/conversations/${encodeURIComponent(TEAMS_SEED.personal)}/activities`, { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: JSON.stringify({ type: "message", text }), ...(signal ? { signal } : {}) });
}

describe("a held call", () => {
  it("is carried out only when released, and answers a sender still waiting", async () => {
    teams = await startTeamsEmulator();
    const bearer = await token();
    teams.fail("send_to_conversation", { kind: "hold" });
    const answer = send(bearer, "late");
    await expect.poll(() => teams.calls.filter((call) => call.route === "send_to_conversation").length).toBe(1);
    expect(teams.activities).toEqual([]);
    expect(await teams.releaseHeld()).toBe(1);
    expect((await answer).status).toBe(201);
    expect(teams.activities.map((entry) => entry.activity.text)).toEqual(["late"]);
  });

  it("lands when released after its sender gave up: the message the bot thought lost is there once", async () => {
    teams = await startTeamsEmulator();
    const bearer = await token();
    teams.fail("*", { kind: "hold" });
    const abort = new AbortController();
    const answer = send(bearer, "given up on", abort.signal);
    await expect.poll(() => teams.calls.length).toBe(2);
    abort.abort();
    await expect(answer).rejects.toThrow();
    expect(await teams.releaseHeld()).toBe(1);
    expect(teams.activities.map((entry) => entry.activity.text)).toEqual(["given up on"]);
    expect(await teams.releaseHeld()).toBe(0);
  });

  it("a hang is never carried out", async () => {
    teams = await startTeamsEmulator();
    const bearer = await token();
    teams.fail("send_to_conversation", { kind: "hang" });
    await expect(send(bearer, "never", AbortSignal.timeout(200))).rejects.toThrow();
    expect(await teams.releaseHeld()).toBe(0);
    expect(teams.activities).toEqual([]);
  });
});
