/**
 * Teams' parts for a runtime (runtime.ts), when Teams' variables are set: the token client and the
 * connector behind the outbound rule, the conversation references and the port's ChatApi. A function passes this to createRuntime only when it may answer or post on Teams (its own
 * endpoint, the schedules, Notion's webhooks), so the Slack and Discord functions carry none of it.
 */
import type { ChatApi } from "../../chat/chat-api.js";
import type { Store } from "../../store/store.js";
import { createTeamsChatApi } from "./chat-api.js";
import { createTeamsConnector, createTokenClient, isAllowedServiceUrl, type TeamsConnector } from "./connector.js";
import { createConversationReferences, type ConversationReferences } from "./references.js";

/** Teams' variables, as env.ts read them. */
export interface TeamsVariables {
  TEAMS_APP_ID: string;
  TEAMS_APP_PASSWORD: string;
  TEAMS_TENANT_ID: string;
  TEAMS_OPENID_URL?: string | undefined;
  TEAMS_TOKEN_URL?: string | undefined;
  TEAMS_SERVICE_URL_ALLOW?: readonly string[] | undefined;
}

/** Teams' parts, when Teams is on. */
export interface TeamsLoaded {
  connector: TeamsConnector;
  chat: ChatApi;
  /**
   * TEAMS_OPENID_URL, when set: the Teams function builds its signing keys from it (verify-activity.ts),
   * so the schedules and Notion's webhooks, which only post, carry none of the verification.
   */
  openIdUrl: string | undefined;
  references: ConversationReferences;
  appId: string;
  tenantId: string;
  /** The outbound rule with TEAMS_SERVICE_URL_ALLOW: whether the bot may call this serviceUrl. */
  isAllowed(serviceUrl: string): boolean;
}

/** The token endpoint of a single-tenant bot (TEAMS_TOKEN_URL's default): Azure no longer creates multi-tenant bots. */
export function defaultTokenUrl(tenantId: string): string {
  return `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
}

/** Builds Teams' parts over the runtime's fetch, store and clock; `timeoutMs` per call (TEAMS_TIMEOUT_MS by default). */
export function wireTeams(env: TeamsVariables, io: { store: Store; now: () => number; fetch?: typeof fetch | undefined; timeoutMs?: number | undefined }): TeamsLoaded {
  const allowOrigins = env.TEAMS_SERVICE_URL_ALLOW ?? [];
  const fetchOption = io.fetch ? { fetch: io.fetch } : {};
  const timeoutOption = io.timeoutMs ? { timeoutMs: io.timeoutMs } : {};
  const tokens = createTokenClient({ tokenUrl: env.TEAMS_TOKEN_URL ?? defaultTokenUrl(env.TEAMS_TENANT_ID), appId: env.TEAMS_APP_ID, password: env.TEAMS_APP_PASSWORD, now: io.now, ...fetchOption, ...timeoutOption });
  const connector = createTeamsConnector({ tokens, allowOrigins, ...fetchOption, ...timeoutOption });
  const references = createConversationReferences(io.store);
  return {
    connector,
    chat: createTeamsChatApi({ connector, references, appId: env.TEAMS_APP_ID, tenantId: env.TEAMS_TENANT_ID }),
    openIdUrl: env.TEAMS_OPENID_URL,
    references,
    appId: env.TEAMS_APP_ID,
    tenantId: env.TEAMS_TENANT_ID,
    isAllowed: (url) => isAllowedServiceUrl(url, allowOrigins),
  };
}

/** What a function that serves Teams passes to createRuntime. */
export const TEAMS_WIRING = { teams: wireTeams } as const;
