/**
 * `npm run doctor`'s Teams checks against the Teams emulator and the loopback Blobs server: the token
 * in the tenant (Entra ID's refusals each named, with the fix), the Bot Framework's keys, and the
 * review channel's conversation reference; only when a Teams variable is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBlobsEmulator, type BlobsEmulator } from "../../dev/blobs-server.js";
import { startNotionEmulator, taskBoardSchema } from "../../dev/notion-emulator.js";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../../dev/teams-emulator.js";
import { runDoctor } from "../../src/cli/doctor.js";
import { checkTeams, isTeamsConfigured } from "../../src/cli/doctor-teams.js";
import { createReport, MARKS } from "../../src/cli/report.js";
import { createConversationReferences } from "../../src/platforms/teams/references.js";
import { createBlobsStore } from "../../src/store/store.js";

let teams: TeamsEmulator;
let blobs: BlobsEmulator;

beforeAll(async () => {
  [teams, blobs] = await Promise.all([startTeamsEmulator(), startBlobsEmulator()]);
  // The bot heard from the channel once (conversationUpdate): its reference is kept.
  await createConversationReferences(createBlobsStore({ connection: blobs.connection, timeoutMs: 5_000 })).remember(TEAMS_SEED.channel, { serviceUrl: teams.serviceUrl, tenantId: TEAMS_SEED.tenantId, conversationType: "channel" });
});
afterAll(() => Promise.all([teams.close(), blobs.close()]));

function teamsEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    TEAMS_APP_ID: TEAMS_SEED.appId,
    TEAMS_APP_PASSWORD: TEAMS_SEED.appPassword,
    TEAMS_TENANT_ID: TEAMS_SEED.tenantId,
    TEAMS_TOKEN_URL: teams.tenantTokenUrl(),
    TEAMS_OPENID_URL: teams.openIdUrl,
    TEAMS_REVIEW_CONVERSATION_ID: TEAMS_SEED.channel,
    ...overrides,
  };
}

async function check(env: Record<string, string | undefined>, withStore = true): Promise<{ lines: string[]; text: string; failures: number }> {
  let text = "";
  const report = createReport({ write: (chunk: string) => (text += chunk) });
  await checkTeams(report, env, { timeoutMs: 5_000, ...(withStore ? { blobs: blobs.connection } : {}) });
  return { lines: text.split("\n").map((line) => line.trim()).filter(Boolean), text, failures: report.failures };
}

describe("doctor's Teams checks", () => {
  it("are run only when a Teams variable is set", () => {
    expect(isTeamsConfigured({})).toBe(false);
    expect(isTeamsConfigured({ TEAMS_APP_ID: " " })).toBe(false);
    expect(isTeamsConfigured({ TEAMS_TENANT_ID: TEAMS_SEED.tenantId })).toBe(true);
  });

  it("npm run doctor prints the Teams section when a Teams variable is set, and none otherwise", async () => {
    let text = "";
    await runDoctor({ env: teamsEnv(), out: { write: (chunk: string) => (text += chunk) }, timeoutMs: 5_000, blobs: blobs.connection, envFile: ".env" });
    expect(text).toContain(`\nTeams\n  ${MARKS.ok} the client credentials yield a connector token`);
    let without = "";
    await runDoctor({ env: {}, out: { write: (chunk: string) => (without += chunk) }, timeoutMs: 5_000, envFile: ".env" });
    expect(without).not.toMatch(/^Teams$/m);
  });

  it("with only Teams' variables and Notion's, serves Teams alone: Slack's are not missing", async () => {
    const notion = await startNotionEmulator({ token: "ntn_doctor_token_abcdef123456" });
    try {
      const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
      let text = "";
      const code = await runDoctor({
        env: { ...teamsEnv(), NOTION_TOKEN: "ntn_doctor_token_abcdef123456", NOTION_DATABASE_ID: board.databaseId, NOTION_API_URL: notion.url },
        out: { write: (chunk: string) => (text += chunk) },
        timeoutMs: 5_000,
        blobs: blobs.connection,
        envFile: ".env",
      });
      expect(text).toContain(`${MARKS.skip} Slack not checked: no Slack variable is set, so the bot serves Teams alone`);
      expect(text).not.toContain("SLACK_SIGNING_SECRET");
      expect(text).not.toContain(MARKS.fail);
      expect(code).toBe(0);
    } finally {
      await notion.close();
    }
  });

  it("pass with the right credentials, the emulator's keys and a kept reference for the review channel", async () => {
    const { lines, failures, text } = await check(teamsEnv());
    expect(failures).toBe(0);
    expect(lines).toEqual([
      "Teams",
      `${MARKS.ok} the client credentials yield a connector token in the tenant ${TEAMS_SEED.tenantId}`,
      `${MARKS.ok} the Bot Framework's OpenID configuration and its 1 key answer: activities can be verified`,
      `${MARKS.ok} the bot keeps a reference for TEAMS_REVIEW_CONVERSATION_ID: the weekly review can post there`,
    ]);
    expect(text).not.toContain(TEAMS_SEED.appPassword);
  });

  it("a wrong tenant: Entra ID's AADSTS90002 says so, and the fix names where the tenant id is", async () => {
    const other = "00000000-0000-4000-8000-0000000bad00";
    const { lines, failures } = await check(teamsEnv({ TEAMS_TENANT_ID: other, TEAMS_TOKEN_URL: teams.tenantTokenUrl(other) }));
    expect(failures).toBe(1);
    expect(lines[1]).toBe(`${MARKS.fail} Entra ID knows no tenant ${other} (400 invalid_request AADSTS90002) — fix: set TEAMS_TENANT_ID to Azure portal -> your Azure Bot -> Configuration -> App Tenant ID (Microsoft Entra ID -> Overview -> Tenant ID), then run npm run doctor again`);
  });

  it("an app id the tenant does not have, and a wrong secret, each named without printing the secret", async () => {
    const stranger = "00000000-0000-4000-8000-00000000dead";
    const app = await check(teamsEnv({ TEAMS_APP_ID: stranger }));
    expect(app.lines[1]).toMatch(new RegExp(`^${MARKS.fail} the tenant ${TEAMS_SEED.tenantId} has no application ${stranger} \\(400 unauthorized_client AADSTS700016\\) — fix: TEAMS_TENANT_ID must be the bot's own tenant`));
    const secret = await check(teamsEnv({ TEAMS_APP_PASSWORD: "a-wrong-secret-0123456789" }));
    expect(secret.lines[1]).toBe(`${MARKS.fail} Entra ID refused TEAMS_APP_PASSWORD (401 invalid_client AADSTS7000215) — fix: make a new one: Azure portal -> your Azure Bot -> Configuration -> Manage Password -> New client secret (its Value), copy its Value (not its Secret ID), then run npm run doctor again`);
    expect(secret.text).not.toContain("a-wrong-secret-0123456789");
  });

  it("a token endpoint or key endpoint that does not answer is said, with the variable to check", async () => {
    teams.fail("token", { kind: "http", status: 503 });
    teams.fail("keys", { kind: "http", status: 500 });
    const { lines, failures } = await check(teamsEnv());
    expect(failures).toBe(2);
    expect(lines[1]).toBe(`${MARKS.fail} the token endpoint did not answer (503) — fix: wait a minute, then run npm run doctor again`);
    expect(lines[2]).toBe(`${MARKS.fail} the Bot Framework's keys did not answer with an RSA key (500) — fix: check the network connection and TEAMS_OPENID_URL, then run npm run doctor again`);
  });

  it("no reference kept for the review conversation: says to add the bot to that team", async () => {
    const { lines, failures } = await check(teamsEnv({ TEAMS_REVIEW_CONVERSATION_ID: "19:elsewhere@thread.v2" }));
    expect(failures).toBe(1);
    expect(lines[3]).toMatch(new RegExp(`^${MARKS.fail} the bot has not heard from TEAMS_REVIEW_CONVERSATION_ID 19:elsewhere@thread.v2 yet, so it cannot post the weekly review there — fix: add the bot to that channel's team`));
    // Without a store to read, the reference is skipped, never guessed.
    expect((await check(teamsEnv(), false)).lines[3]).toMatch(new RegExp(`^${MARKS.skip} the review channel's reference not checked: set NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN`));
  });

  it("a team channel the bot never heard from, in its tenant: posted to at the tenant's serviceUrl (Teams names a team by its General channel only), so a warning that the bot must be in that team", async () => {
    const { lines, failures } = await check(teamsEnv({ TEAMS_REVIEW_CONVERSATION_ID: "19:design@thread.tacv2" }));
    expect(failures).toBe(0);
    expect(lines[3]).toMatch(new RegExp(`^${MARKS.warn} the bot has not heard from TEAMS_REVIEW_CONVERSATION_ID 19:design@thread.tacv2 itself: it posts the weekly review there at its tenant's serviceUrl`));
  });

  it("a missing variable of the three is named with where to find it, and the token is not tried", async () => {
    const { lines } = await check(teamsEnv({ TEAMS_APP_PASSWORD: undefined }));
    expect(lines[1]).toMatch(new RegExp(`^${MARKS.fail} TEAMS_APP_PASSWORD is not set .* — fix: set it: Azure portal -> your Azure Bot -> Configuration -> Manage Password`));
    expect(lines[2]).toBe(`${MARKS.skip} the token not checked: it needs the app id, its client secret and the tenant`);
  });
});
