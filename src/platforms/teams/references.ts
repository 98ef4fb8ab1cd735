/**
 * Conversation references: what the bot needs to speak in a Teams conversation later without being
 * asked (proactive messaging): the conversation's serviceUrl and its tenant. Each verified activity
 * names them (the serviceUrl checked against its token's claim); the bot keeps the newest in the
 * store under `teams/conversations/<id>`, and per tenant under `teams/tenants/<id>` (where a 1:1
 * chat with someone in that tenant is created). Written once per instance per conversation.
 */
import type { Store } from "../../store/store.js";

export const CONVERSATION_PREFIX = "teams/conversations/";
export const TENANT_PREFIX = "teams/tenants/";
/** A team channel's id (`19:…@thread.tacv2`, or `@thread.skype` for older teams); group chats are `@thread.v2`. */
export const TEAMS_CHANNEL_ID = /^19:[^;\s]+@thread\.(?:tacv2|skype)$/;

/** Where the bot can reach a conversation. */
export interface ConversationReference {
  serviceUrl: string;
  tenantId: string;
  /** "personal", "groupChat" or "channel", as Teams says. */
  conversationType: string | undefined;
}

/** Reads and keeps references; reads go through a per-instance cache. */
export interface ConversationReferences {
  /** Keeps `reference` for `conversationId` (and its tenant) unless this instance kept the same already; rejects with StoreError. */
  remember(conversationId: string, reference: ConversationReference, options?: { deadline?: { remainingMs(): number } | undefined }): Promise<void>;
  /** The reference kept for a conversation, or undefined; rejects with StoreError. */
  conversation(conversationId: string): Promise<ConversationReference | undefined>;
  /** The serviceUrl last seen for a tenant (a 1:1 chat's), or undefined; rejects with StoreError. */
  tenant(tenantId: string): Promise<{ serviceUrl: string } | undefined>;
}

/** Store keys hold any character but `/` safely: a conversation id's (`19:…@thread.tacv2;messageid=…`) is encoded. */
const keyOf = (prefix: string, id: string) => `${prefix}${encodeURIComponent(id)}`;

export function createConversationReferences(store: Store): ConversationReferences {
  const known = new Map<string, string>();
  return {
    async remember(conversationId, reference, options = {}) {
      const serialized = JSON.stringify(reference);
      if (known.get(conversationId) === serialized) return;
      await Promise.all([
        store.write(keyOf(CONVERSATION_PREFIX, conversationId), reference, {}, { deadline: options.deadline }),
        store.write(keyOf(TENANT_PREFIX, reference.tenantId), { serviceUrl: reference.serviceUrl }, {}, { deadline: options.deadline }),
      ]);
      known.set(conversationId, serialized);
    },
    async conversation(conversationId) {
      const cached = known.get(conversationId);
      if (cached !== undefined) return JSON.parse(cached) as ConversationReference;
      const entry = await store.read<ConversationReference>(keyOf(CONVERSATION_PREFIX, conversationId));
      const value = entry?.value;
      return typeof value?.serviceUrl === "string" && typeof value.tenantId === "string" ? value : undefined;
    },
    async tenant(tenantId) {
      const entry = await store.read<{ serviceUrl: string }>(keyOf(TENANT_PREFIX, tenantId));
      return typeof entry?.value.serviceUrl === "string" ? { serviceUrl: entry.value.serviceUrl } : undefined;
    },
  };
}
