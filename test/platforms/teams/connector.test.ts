import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTeamsEmulator, TEAMS_SEED, type TeamsEmulator } from "../../../dev/teams-emulator.js";
import { createTeamsConnector, createTokenClient, isAllowedServiceUrl, TeamsApiError, TOKEN_REFRESH_MARGIN_MS } from "../../../src/platforms/teams/connector.js";

describe("isAllowedServiceUrl", () => {
  it("allows Microsoft's documented hosts over https only", () => {
    expect(isAllowedServiceUrl("https://smba.trafficmanager.net/emea/")).toBe(true);
    expect(isAllowedServiceUrl("https://smba.trafficmanager.net/teams/")).toBe(true);
    expect(isAllowedServiceUrl("https://webchat.botframework.com/")).toBe(true);
    expect(isAllowedServiceUrl("http://smba.trafficmanager.net/emea/")).toBe(false);
    expect(isAllowedServiceUrl("https://smba.trafficmanager.net:8443/emea/")).toBe(false);
  });

  it("refuses look-alikes, credentials in the URL, and what is not a URL", () => {
    for (const url of ["https://smba.trafficmanager.net.evil.example/", "https://evilbotframework.com/", "https://evil.example/smba.trafficmanager.net/", "https://user:pw@smba.trafficmanager.net/", "not a url", "https://botframework.com.evil.example/"]) {
      expect(isAllowedServiceUrl(url), url).toBe(false);
    }
  });

  it("allows an origin in TEAMS_SERVICE_URL_ALLOW, exactly", () => {
    expect(isAllowedServiceUrl("http://127.0.0.1:4010/", ["http://127.0.0.1:4010"])).toBe(true);
    expect(isAllowedServiceUrl("http://127.0.0.1:4011/", ["http://127.0.0.1:4010"])).toBe(false);
  });
});

describe("the token client and the connector, against the emulator", () => {
  let teams: TeamsEmulator;
  beforeAll(async () => (teams = await startTeamsEmulator()));
  afterAll(() => teams.close());

  it("asks once for a client-credentials token and keeps it until shortly before it expires", async () => {
    let clock = 1_780_000_000_000;
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: () => clock });
    const before = teams.calls.filter((call) => call.route === "token").length;
    const [a, b] = await Promise.all([tokens.token(), tokens.token()]);
    expect(a).toBe(b);
    clock += 3599_000 - TOKEN_REFRESH_MARGIN_MS - 1;
    expect(await tokens.token()).toBe(a);
    clock += 1;
    expect(await tokens.token()).not.toBe(a);
    expect(teams.calls.filter((call) => call.route === "token").length - before).toBe(2);
  });

  it("rejects a wrong password with the token route's error", async () => {
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: "wrong", now: Date.now });
    await expect(tokens.token()).rejects.toMatchObject({ route: "token", status: 401 });
  });

  it("sends, replies, updates and creates a 1:1 conversation with the token", async () => {
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: Date.now });
    const connector = createTeamsConnector({ tokens, allowOrigins: [teams.origin] });
    const to = { serviceUrl: teams.serviceUrl, conversationId: TEAMS_SEED.channel };
    const sent = await connector.sendToConversation(to, { type: "message", text: "hello" });
    // Teams threads by the conversation id (`;messageid=<root>`), as the Bot Framework SDKs reply.
    const replied = await connector.replyToActivity({ ...to, conversationId: `${TEAMS_SEED.channel};messageid=${sent.id}` }, sent.id, { type: "message", text: "in the thread" });
    const unthreaded = await connector.replyToActivity(to, sent.id, { type: "message", text: "a new post, as Teams makes it" });
    await connector.updateActivity(to, sent.id, { type: "message", text: "hello again" });
    const chat = await connector.createConversation(teams.serviceUrl, { botId: `28:${TEAMS_SEED.appId}`, userId: TEAMS_SEED.alice.id, tenantId: TEAMS_SEED.tenantId });
    expect(chat.id).toMatch(/^a:/);
    expect(teams.activities.find((entry) => entry.id === sent.id)).toMatchObject({ updated: true, activity: { text: "hello again" } });
    expect(teams.activities.find((entry) => entry.id === replied.id)).toMatchObject({ conversationId: TEAMS_SEED.channel, replyTo: sent.id, activity: { replyToId: sent.id } });
    expect(teams.activities.find((entry) => entry.id === unthreaded.id)?.replyTo).toBeUndefined();
    expect(teams.calls.find((call) => call.route === "create_conversation")?.body).toMatchObject({ members: [{ id: TEAMS_SEED.alice.id }], tenantId: TEAMS_SEED.tenantId, channelData: { tenant: { id: TEAMS_SEED.tenantId } } });
  });

  it("never calls a serviceUrl the rule does not allow, not even for a token", async () => {
    const seen: string[] = [];
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: Date.now, fetch: (url, init) => (seen.push(String(url)), fetch(url, init)) });
    const connector = createTeamsConnector({ tokens, fetch: (url, init) => (seen.push(String(url)), fetch(url, init)) });
    const error = await connector.sendToConversation({ serviceUrl: teams.serviceUrl, conversationId: "x" }, { type: "message", text: "hi" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TeamsApiError);
    expect(error).toMatchObject({ status: "not_allowed" });
    expect(seen).toEqual([]);
  });

  it("aborts a call at its deadline", async () => {
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: Date.now });
    const connector = createTeamsConnector({ tokens, allowOrigins: [teams.origin], timeoutMs: 200 });
    teams.fail("send_to_conversation", { kind: "hang" });
    await expect(connector.sendToConversation({ serviceUrl: teams.serviceUrl, conversationId: "x" }, { type: "message", text: "hi" })).rejects.toMatchObject({ status: "timeout" });
    await expect(connector.sendToConversation({ serviceUrl: teams.serviceUrl, conversationId: "x" }, { type: "message", text: "hi" }, { deadline: { remainingMs: () => 0 } })).rejects.toMatchObject({ status: "timeout" });
  });

  it("meets Teams' 413 MessageSizeTooBig for a message past 100 KB counted in UTF-16 (50,000 ASCII characters are 100 KB to Teams)", async () => {
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: Date.now });
    const connector = createTeamsConnector({ tokens, allowOrigins: [teams.origin] });
    const to = { serviceUrl: teams.serviceUrl, conversationId: TEAMS_SEED.channel };
    await expect(connector.sendToConversation(to, { type: "message", text: "x".repeat(52_000) })).rejects.toMatchObject({ status: 413, code: "MessageSizeTooBig" });
    expect(await connector.sendToConversation(to, { type: "message", text: "x".repeat(50_000) })).toHaveProperty("id");
  });

  it("reads the connector's error code and a 429's Retry-After", async () => {
    const tokens = createTokenClient({ tokenUrl: teams.tokenUrl, appId: TEAMS_SEED.appId, password: TEAMS_SEED.appPassword, now: Date.now });
    const connector = createTeamsConnector({ tokens, allowOrigins: [teams.origin] });
    teams.fail("send_to_conversation", { kind: "http", status: 429, code: "TooManyRequests", retryAfterSeconds: 2 });
    await expect(connector.sendToConversation({ serviceUrl: teams.serviceUrl, conversationId: "x" }, { type: "message", text: "hi" })).rejects.toMatchObject({ status: 429, code: "TooManyRequests", retryAfterMs: 2000 });
  });
});
