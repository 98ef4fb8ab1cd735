/**
 * Doctor's checks of Notion's webhook set-up (README: "Notion webhooks"): the secret is set, the
 * deployed endpoint answers, and whether a handshake's token is waiting in the store. Without the
 * webhooks the requester still hears back, from the hourly sync: so a missing piece is a warning.
 */
import { getStore } from "@netlify/blobs";
import type { Env, EnvSource } from "../env.js";
import { FINISH_SETUP, READ_TOKEN_COMMAND, VERIFICATION_TOKEN_KEY, type PendingToken } from "../features/notion-setup/verification-token.js";
import { createBlobsStore, STORE_NAME, type BlobsConnection, type Store } from "../store/store.js";
import type { Report } from "./report.js";

export interface WebhookCheckOptions {
  /** The deployed site, from `--site`: its /notion/webhooks is probed. */
  siteUrl?: string | undefined;
  /** The store, for tests (a loopback Blobs server); otherwise NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN from the environment. */
  blobs?: BlobsConnection | undefined;
  fetch?: typeof fetch;
  timeoutMs: number;
}

const SUBSCRIBE = "create the webhook subscription in the Notion integration's settings (README: Notion webhooks), then " + FINISH_SETUP;

/** Runs the three checks, each skipped (never guessed) when what it needs is not at hand. */
export async function checkNotionWebhooks(report: Report, env: Env, source: EnvSource, options: WebhookCheckOptions): Promise<void> {
  report.section("Notion webhooks (the requester hears back as soon as a task moves)");
  const secretSet = env.NOTION_WEBHOOK_SECRET !== undefined;
  if (secretSet) report.ok("NOTION_WEBHOOK_SECRET is set (only a signed event from Notion can prove it right)");
  else if (env.problems.NOTION_WEBHOOK_SECRET === undefined) {
    report.warn("NOTION_WEBHOOK_SECRET is not set: Notion's events are refused, and requesters hear back only from the hourly sync", SUBSCRIBE);
  }
  await checkEndpoint(report, options);
  await checkPendingToken(report, source, secretSet, options);
}

async function checkEndpoint(report: Report, options: WebhookCheckOptions): Promise<void> {
  if (!options.siteUrl) {
    report.skip("the endpoint not checked: pass --site https://YOUR-SITE.netlify.app to probe /notion/webhooks");
    return;
  }
  const url = `${options.siteUrl.replace(/\/+$/, "")}/notion/webhooks`;
  let status: number;
  try {
    // Unsigned and not a handshake: a deployed, configured receiver refuses it, and does nothing.
    const response = await (options.fetch ?? fetch)(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", signal: AbortSignal.timeout(options.timeoutMs) });
    await response.text().catch(() => undefined);
    status = response.status;
  } catch (error) {
    report.fail(`could not reach ${url} (${error instanceof Error ? error.name : "error"})`, "check the site's domain, and that the site is deployed");
    return;
  }
  if (status === 401) report.ok(`${url} answers, and refuses an unsigned request (401) as it should`);
  else if (status === 503) report.warn(`${url} answers 503: the function is not configured`, "set the variables in Netlify (npm run doctor lists them) and redeploy; the function's log names what is missing");
  else report.fail(`${url} answered ${status}`, "deploy this version of the bot (the function notion-webhooks serves /notion/webhooks), then run npm run doctor again");
}

async function checkPendingToken(report: Report, source: EnvSource, secretSet: boolean, options: WebhookCheckOptions): Promise<void> {
  const store = storeFor(source, options);
  if (!store) {
    report.skip(`the store not checked: set NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN to let doctor look, or run ${READ_TOKEN_COMMAND}`);
    return;
  }
  let pending: PendingToken | undefined;
  try {
    pending = (await store.read<PendingToken>(VERIFICATION_TOKEN_KEY))?.value;
  } catch (error) {
    report.warn(`could not read the store (${error instanceof Error && "code" in error ? String(error.code) : "error"})`, `run ${READ_TOKEN_COMMAND} yourself`);
    return;
  }
  const since = pending?.received_at ? ` (since ${pending.received_at})` : "";
  if (pending && !secretSet) report.warn(`a verification token from Notion's handshake is waiting in the store${since}`, FINISH_SETUP);
  else if (pending) report.ok(`the store still holds the handshake's token${since}; once events arrive, npx netlify blobs:delete ${STORE_NAME} ${VERIFICATION_TOKEN_KEY}`);
  else if (!secretSet) report.warn("no handshake has reached the bot yet: the store holds no verification token", SUBSCRIBE);
  else report.ok("no verification token is waiting in the store");
}

/** The site's store: the test's loopback server, or Netlify's API with a personal access token; undefined without either. */
export function storeFor(source: EnvSource, options: Pick<WebhookCheckOptions, "blobs"> & { timeoutMs?: number | undefined }): Store | Pick<Store, "read"> | undefined {
  if (options.blobs) return createBlobsStore({ connection: options.blobs, timeoutMs: options.timeoutMs });
  const siteID = source["NETLIFY_SITE_ID"]?.trim();
  const token = source["NETLIFY_AUTH_TOKEN"]?.trim();
  if (!siteID || !token) return undefined;
  const blobs = getStore({ name: STORE_NAME, siteID, token });
  return {
    read: async <T>(key: string) => {
      const found = await blobs.getWithMetadata(key, { type: "json" });
      return found ? { value: found.data as T, etag: found.etag ?? "" } : undefined;
    },
  };
}
