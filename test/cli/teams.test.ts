/**
 * Teams in the sandbox, and `npm run teams` against it (its Teams emulator, control server and
 * sandbox file), with the functions served in process: the bot is added to each conversation at
 * start through the real function, and each act reaches the real /teams/messages signed as the Bot
 * Connector signs it. Refusals come before anything is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandboxControlClient } from "../../src/cli/sandbox-control.js";
import { startInProcessSandbox, type InProcessSandbox } from "./in-process-sandbox.js";

let sandbox: InProcessSandbox;

beforeAll(async () => {
  sandbox = await startInProcessSandbox("teams-cli", { startWithinMs: 60_000 });
}, 90_000);
afterAll(() => sandbox.stop());

const control = () => createSandboxControlClient(sandbox.file.controlUrl);

describe("the sandbox serves Teams", () => {
  it("starts its emulator, gives the functions every Teams variable, records what a CLI needs, adds the bot everywhere, and says so", async () => {
    const { file } = sandbox;
    const origin = file.teams.serviceUrl.replace(/\/$/, "");
    expect(file.env).toMatchObject({ TEAMS_APP_ID: file.teams.appId, TEAMS_TENANT_ID: file.teams.tenantId, TEAMS_OPENID_URL: `${origin}/openid`, TEAMS_SERVICE_URL_ALLOW: origin, TEAMS_REVIEW_CONVERSATION_ID: "19:general@thread.tacv2" });
    expect(file.env["TEAMS_APP_PASSWORD"]).not.toBe("");
    expect(file.teams.messagesUrl).toBe(`${file.functionsUrl}/teams/messages`);
    expect(file.teams.privateKey).toContain("BEGIN PRIVATE KEY");
    expect(file.teams.conversations.map((c) => c.name)).toEqual(["General", "alice", "bob"]);
    expect(sandbox.output()).toContain(`Teams       ${origin}`);
    expect(sandbox.output()).toContain("✓ Teams added the bot to the team's channel and each 1:1 chat, signed with the emulator's key");
    const state = await control().teams.state();
    expect(state.botId).toBe(`28:${file.teams.appId}`);
    expect(state.messages).toEqual([]);
  });
});
