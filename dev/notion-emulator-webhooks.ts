/**
 * The Notion emulator's integration webhooks: the subscription's handshake (unsigned, carrying the
 * verification token) and signed events (`X-Notion-Signature: sha256=<HMAC of the body keyed with
 * the token>`), shaped as Notion's 2025-09-03 events are. Delivery is at least once, as Notion's is,
 * and tests can make it worse on purpose: deliver again (Notion's redelivery: same id, next
 * attempt), replay the exact bytes (which Notion never does), hold events and release them out of
 * order, or merged as Notion merges changes made close together. Every delivery and its answer is
 * kept in `deliveries`.
 */
import { randomUUID } from "node:crypto";
import { signNotionBody } from "../src/notion/verify-webhook.js";

export interface NotionWebhookOptions {
  /** Where events go, e.g. netlify dev's `/notion/webhooks`. */
  url: string;
  /** The subscription's verification token: sent in the handshake, and the key every event is signed with. */
  token: string;
  /** The event types the subscription selected (Notion's settings): page.properties_updated by default. */
  eventTypes?: readonly string[];
}

export interface WebhookAuthor {
  id: string;
  type: "person" | "bot" | "agent";
}

export interface WebhookDelivery {
  /** The event as sent (undefined for the handshake). */
  event: Record<string, unknown> | undefined;
  body: string;
  /** The X-Notion-Signature sent; undefined for the handshake. */
  signature: string | undefined;
  /** The receiver's answer; undefined until it came, or when the request failed (`error`). */
  status: number | undefined;
  error?: string;
}

export interface WebhookEventInput {
  type: string;
  authors: WebhookAuthor[];
  entity: { id: string; type: string };
  data: Record<string, unknown>;
}

export const DEFAULT_EVENT_TYPES: readonly string[] = ["page.properties_updated"];

/** Sends what the emulator's subscription would; does nothing while no subscription is configured. */
export class NotionWebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  /** While true, events wait in `held` (built when they happened) instead of being sent (see release). */
  hold = false;
  readonly held: Record<string, unknown>[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptionId = randomUUID();
  private readonly integrationId = randomUUID();

  constructor(
    private options: NotionWebhookOptions | undefined,
    private readonly context: { now: () => number; workspaceId: string },
  ) {}

  configure(options: NotionWebhookOptions | undefined): void {
    this.options = options;
  }

  get configured(): NotionWebhookOptions | undefined {
    return this.options;
  }

  /** The one unsigned request: `{ "verification_token": … }`. */
  sendHandshake(): Promise<WebhookDelivery> {
    const options = this.require();
    return this.post(undefined, JSON.stringify({ verification_token: options.token }), undefined);
  }

  /** Sends an event if the subscription selected its type (or holds it); resolves when answered. */
  emit(input: WebhookEventInput): Promise<WebhookDelivery | undefined> {
    const options = this.options;
    if (!options || !(options.eventTypes ?? DEFAULT_EVENT_TYPES).includes(input.type)) return Promise.resolve(undefined);
    const event = this.build(input, 1);
    if (this.hold) {
      this.held.push(event);
      return Promise.resolve(undefined);
    }
    return this.deliver(event);
  }

  /**
   * Sends the held events, oldest first or (for out-of-order tests) newest first; `aggregated` sends
   * them as Notion does changes made close together: one event per page and type, whose `authors`
   * list every author once and whose `updated_properties` hold every property changed.
   */
  async release(order: "in_order" | "reversed" | "aggregated" = "in_order"): Promise<WebhookDelivery[]> {
    this.hold = false;
    let events = this.held.splice(0);
    if (order === "reversed") events.reverse();
    if (order === "aggregated") events = aggregate(events);
    const sent: WebhookDelivery[] = [];
    for (const event of events) sent.push(await this.deliver(event));
    return sent;
  }

  /** Notion's redelivery of an event: the same id, the next attempt number, signed anew. */
  redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    if (!delivery.event) throw new Error("the handshake is not redelivered as an event");
    const attempt = typeof delivery.event["attempt_number"] === "number" ? delivery.event["attempt_number"] : 1;
    return this.deliver({ ...delivery.event, attempt_number: attempt + 1 });
  }

  /** The same bytes and signature again: a captured request replayed (Notion never does this). */
  replay(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    return this.post(delivery.event, delivery.body, delivery.signature);
  }

  /** Signs and sends any event body (a test's own: stale, forged fields, another page). */
  deliver(event: Record<string, unknown>, options: { signWith?: string } = {}): Promise<WebhookDelivery> {
    const body = JSON.stringify(event);
    return this.post(event, body, signNotionBody(options.signWith ?? this.require().token, body));
  }

  /** How many deliveries are under way (sent, not yet answered). */
  underWay(): number {
    return this.inFlight.size;
  }

  /** Waits until every delivery under way has its answer. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** An event as Notion shapes it (BaseWebhookPayload). */
  build(input: WebhookEventInput, attempt: number): Record<string, unknown> {
    return {
      id: randomUUID(),
      timestamp: new Date(this.context.now()).toISOString(),
      workspace_id: this.context.workspaceId,
      workspace_name: "Emulated workspace",
      subscription_id: this.subscriptionId,
      integration_id: this.integrationId,
      type: input.type,
      authors: input.authors,
      attempt_number: attempt,
      api_version: "2025-09-03",
      entity: input.entity,
      data: input.data,
    };
  }

  private require(): NotionWebhookOptions {
    if (!this.options) throw new Error("no webhook subscription: start the emulator with `webhooks` or call configureWebhooks()");
    return this.options;
  }

  private post(event: Record<string, unknown> | undefined, body: string, signature: string | undefined): Promise<WebhookDelivery> {
    const delivery: WebhookDelivery = { event, body, signature, status: undefined };
    this.deliveries.push(delivery);
    const sending = (async () => {
      try {
        const response = await fetch(this.require().url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "notion-api", ...(signature ? { "x-notion-signature": signature } : {}) },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        await response.text().catch(() => undefined);
        delivery.status = response.status;
      } catch (error) {
        delivery.error = error instanceof Error ? error.message : String(error);
      }
      return delivery;
    })();
    this.inFlight.add(sending);
    void sending.finally(() => this.inFlight.delete(sending));
    return sending;
  }
}

/** Notion's aggregation of close changes: the held events of each page and type merged into the first, timed as the last. */
function aggregate(events: Record<string, unknown>[]): Record<string, unknown>[] {
  const merged = new Map<string, Record<string, unknown>>();
  for (const event of events) {
    const entity = event["entity"] as { id: string };
    const key = `${String(event["type"])}:${entity.id}`;
    const first = merged.get(key);
    if (!first) {
      merged.set(key, { ...event });
      continue;
    }
    const authors = [...(first["authors"] as WebhookAuthor[])];
    for (const author of event["authors"] as WebhookAuthor[]) if (!authors.some((known) => known.id === author.id)) authors.push(author);
    const data = first["data"] as Record<string, unknown>;
    const properties = [...new Set([...((data["updated_properties"] as string[] | undefined) ?? []), ...(((event["data"] as Record<string, unknown>)["updated_properties"] as string[] | undefined) ?? [])])];
    merged.set(key, { ...first, timestamp: event["timestamp"], authors, data: { ...data, ...(properties.length > 0 ? { updated_properties: properties } : {}) } });
  }
  return [...merged.values()];
}
