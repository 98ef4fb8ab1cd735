/**
 * Doctor's Teams checks, when a Teams variable is set: the client credentials yield a connector token
 * at TEAMS_TOKEN_URL (Entra ID's error code says which of the tenant, the app id and the secret is
 * wrong), the Bot Framework's OpenID configuration and its keys answer (what every activity is
 * verified with), and a conversation reference is kept for TEAMS_REVIEW_CONVERSATION_ID (the bot
 * can post there only once it has heard from it). Each failure is one line with its fix.
 */
import type { EnvSource } from "../env.js";
import { BOT_FRAMEWORK_SCOPE } from "../platforms/teams/connector.js";
import { CONVERSATION_PREFIX, TEAMS_CHANNEL_ID, TENANT_PREFIX, type ConversationReference } from "../platforms/teams/references.js";
import { BOT_FRAMEWORK_OPENID_URL } from "../platforms/teams/verify-activity.js";
import { defaultTokenUrl } from "../platforms/teams/wiring.js";
import type { BlobsConnection } from "../store/store.js";
import { AGAIN, DEFAULT_TIMEOUT_MS, type CallOptions } from "./doctor-transport.js";
import { storeFor } from "./doctor-webhooks.js";
import type { Report } from "./report.js";

/** The variables that turn Teams on: doctor checks Teams when any of them is set. */
export const TEAMS_REQUIRED = ["TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"] as const;

/** Whether a Teams variable is set. */
export function isTeamsConfigured(source: EnvSource): boolean {
  return [...TEAMS_REQUIRED, "TEAMS_REVIEW_CONVERSATION_ID"].some((name) => source[name]?.trim());
}

export interface TeamsCheckOptions extends CallOptions {
  /** The store, for tests (a loopback Blobs server); otherwise NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN from the environment. */
  blobs?: BlobsConnection | undefined;
}

const WHERE = {
  TEAMS_APP_ID: "Azure portal -> your Azure Bot -> Configuration -> Microsoft App ID",
  TEAMS_APP_PASSWORD: "Azure portal -> your Azure Bot -> Configuration -> Manage Password -> New client secret (its Value)",
  TEAMS_TENANT_ID: "Azure portal -> your Azure Bot -> Configuration -> App Tenant ID",
} as const;

/** Runs the Teams section; the variables' forms are the Environment section's (env.ts reads them). */
export async function checkTeams(report: Report, source: EnvSource, options: TeamsCheckOptions): Promise<void> {
  report.section("Teams");
  const [appId, password, tenantId] = TEAMS_REQUIRED.map((name) => source[name]?.trim() || undefined);
  const missing = TEAMS_REQUIRED.filter((name) => !source[name]?.trim());
  for (const name of missing) report.fail(`${name} is not set (Teams needs all three of ${TEAMS_REQUIRED.join(", ")})`, `set it: ${WHERE[name]}`);
  if (appId !== undefined && password !== undefined && tenantId !== undefined) {
    await checkToken(report, { appId, password, tenantId, tokenUrl: source.TEAMS_TOKEN_URL?.trim() || defaultTokenUrl(tenantId), custom: Boolean(source.TEAMS_TOKEN_URL?.trim()) }, options);
  } else report.skip("the token not checked: it needs the app id, its client secret and the tenant");
  await checkKeys(report, source.TEAMS_OPENID_URL?.trim() || BOT_FRAMEWORK_OPENID_URL, options);
  const review = source.TEAMS_REVIEW_CONVERSATION_ID?.trim();
  if (review) await checkReviewReference(report, review, source, options);
}

/** Client credentials at the token endpoint; Entra ID's AADSTS codes name what is wrong. */
async function checkToken(report: Report, input: { appId: string; password: string; tenantId: string; tokenUrl: string; custom: boolean }, options: TeamsCheckOptions): Promise<void> {
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: input.appId, client_secret: input.password, scope: BOT_FRAMEWORK_SCOPE });
  let status: number;
  let answer: { access_token?: unknown; error?: unknown; error_codes?: unknown };
  try {
    const response = await (options.fetch ?? fetch)(input.tokenUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    status = response.status;
    answer = (await response.json().catch(() => ({}))) as typeof answer;
  } catch (error) {
    report.fail(`could not reach the token endpoint (${error instanceof Error ? error.name : "error"})`, `check the network connection${input.custom ? " and TEAMS_TOKEN_URL" : ""}, ${AGAIN}`);
    return;
  }
  if (status === 200 && typeof answer.access_token === "string") {
    report.ok(`the client credentials yield a connector token in the tenant ${input.tenantId}`);
    return;
  }
  // Only the codes and the error's name are printed: Entra ID's description repeats the ids, never the secret, but says no more than the code.
  const codes = Array.isArray(answer.error_codes) ? answer.error_codes.filter((code): code is number => typeof code === "number") : [];
  const what = `${status}${typeof answer.error === "string" ? ` ${answer.error}` : ""}${codes.length > 0 ? ` AADSTS${codes.join(",")}` : ""}`;
  if (codes.includes(90002) || codes.includes(900023)) {
    report.fail(`Entra ID knows no tenant ${input.tenantId} (${what})`, `set TEAMS_TENANT_ID to ${WHERE.TEAMS_TENANT_ID} (Microsoft Entra ID -> Overview -> Tenant ID), ${AGAIN}`);
  } else if (codes.includes(700016)) {
    report.fail(`the tenant ${input.tenantId} has no application ${input.appId} (${what})`, `TEAMS_TENANT_ID must be the bot's own tenant (a single-tenant bot): ${WHERE.TEAMS_TENANT_ID}; and TEAMS_APP_ID its ${WHERE.TEAMS_APP_ID.replace(/^.*-> /, "")}, ${AGAIN}`);
  } else if (codes.includes(7000215) || codes.includes(7000222) || answer.error === "invalid_client") {
    report.fail(`Entra ID refused TEAMS_APP_PASSWORD (${what}${codes.includes(7000222) ? ": the secret expired" : ""})`, `make a new one: ${WHERE.TEAMS_APP_PASSWORD}, copy its Value (not its Secret ID), ${AGAIN}`);
  } else if (status === 429 || status >= 500) {
    report.fail(`the token endpoint did not answer (${what})`, `wait a minute, ${AGAIN}`);
  } else {
    report.fail(`the token endpoint refused the client credentials (${what})`, `check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID against the Azure Bot's Configuration${input.custom ? ", and TEAMS_TOKEN_URL" : ""}, ${AGAIN}`);
  }
}

/** The OpenID configuration names a jwks_uri, and that answers RSA keys: what every activity's JWT is verified with. */
async function checkKeys(report: Report, openIdUrl: string, options: TeamsCheckOptions): Promise<void> {
  const fix = `check the network connection${openIdUrl === BOT_FRAMEWORK_OPENID_URL ? "" : " and TEAMS_OPENID_URL"}, ${AGAIN}`;
  const configuration = await getJson(openIdUrl, options);
  const jwksUri = typeof configuration.json?.jwks_uri === "string" ? configuration.json.jwks_uri : undefined;
  if (jwksUri === undefined) {
    report.fail(`the Bot Framework's OpenID configuration did not answer with a jwks_uri (${configuration.what})`, fix);
    return;
  }
  const keys = await getJson(jwksUri, options);
  const rsa = Array.isArray(keys.json?.keys) ? (keys.json.keys as { kty?: unknown }[]).filter((key) => key?.kty === "RSA").length : 0;
  if (rsa === 0) report.fail(`the Bot Framework's keys did not answer with an RSA key (${keys.what})`, fix);
  else report.ok(`the Bot Framework's OpenID configuration and its ${rsa} key${rsa === 1 ? "" : "s"} answer: activities can be verified`);
}

async function getJson(url: string, options: TeamsCheckOptions): Promise<{ json: Record<string, unknown> | undefined; what: string }> {
  try {
    const response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
    const json = (await response.json().catch(() => undefined)) as unknown;
    return { json: typeof json === "object" && json !== null ? (json as Record<string, unknown>) : undefined, what: String(response.status) };
  } catch (error) {
    return { json: undefined, what: error instanceof Error ? error.name : "error" };
  }
}

/** The weekly review posts through the reference the bot kept when it was added to that channel's team (conversationUpdate). */
async function checkReviewReference(report: Report, conversationId: string, source: EnvSource, options: TeamsCheckOptions): Promise<void> {
  const store = storeFor(source, options);
  if (!store) {
    report.skip("the review channel's reference not checked: set NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN to let doctor read the store");
    return;
  }
  let found: boolean;
  try {
    // references.ts's key: the conversation id encoded.
    const entry = await store.read<ConversationReference>(`${CONVERSATION_PREFIX}${encodeURIComponent(conversationId)}`);
    found = typeof entry?.value?.serviceUrl === "string";
  } catch (error) {
    report.warn(`could not read the store (${error instanceof Error && "code" in error ? String(error.code) : "error"})`, AGAIN);
    return;
  }
  if (found) return report.ok(`the bot keeps a reference for TEAMS_REVIEW_CONVERSATION_ID: the weekly review can post there`);
  // A team channel is reached at its tenant's serviceUrl (chat-api.ts): Teams tells the bot of a team through its General channel only.
  const tenantId = source.TEAMS_TENANT_ID?.trim();
  const tenant = TEAMS_CHANNEL_ID.test(conversationId) && tenantId ? await store.read<{ serviceUrl?: unknown }>(`${TENANT_PREFIX}${encodeURIComponent(tenantId)}`).catch(() => undefined) : undefined;
  if (typeof tenant?.value?.serviceUrl === "string") report.warn(`the bot has not heard from TEAMS_REVIEW_CONVERSATION_ID ${conversationId} itself: it posts the weekly review there at its tenant's serviceUrl, which Teams takes only if the bot is in that channel's team`, "add the bot to that channel's team if it is not (the team -> Manage team -> Apps)");
  else report.fail(`the bot has not heard from TEAMS_REVIEW_CONVERSATION_ID ${conversationId} yet, so it cannot post the weekly review there`, `add the bot to that channel's team (the team -> Manage team -> Apps, or the channel's + -> the app), or mention it there once; ${AGAIN}`);
}
