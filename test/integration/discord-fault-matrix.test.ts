/**
 * The fault matrix for Discord (fault-matrix.test.ts holds Slack's and Notion's): every REST route
 * the Discord adapter calls, under every way a call fails (refused with Discord's JSON error, 429,
 * 500, 503, no answer until the timeout, connection dropped), and the store on the interaction's
 * road. Every row: the interaction is acknowledged as its route said, the failure reaches the route
 * as the port's ChatError with the defined code and the log says so, a token past its time is
 * answered by DM instead, and nothing is left unhandled.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BlobsFault } from "../../dev/blobs-server.js";
import { DISCORD_SEED, type DiscordFault } from "../../dev/discord-emulator.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { DISCORD_PAYLOADS } from "../../dev/discord-signed.js";
import { FAULTED_TIMEOUT_MS } from "../../dev/harness.js";
import type { Card } from "../../src/chat/card.js";
import type { IntentRoutes } from "../../src/routes.js";

const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0, 0);
const card = (text: string): Card => ({ summary: [text], blocks: [{ kind: "text", text: [text] }] });

/** One flow per REST route, each making that call in its deferred work (`/task <name>`). */
const routes: IntentRoutes = {
  ask_for_task: undefined,
  subcommand: {
    edit_original: async (_intent, ctx) => {
      await ctx.reply.closeForm();
      ctx.defer("tell", () => ctx.reply.tellPrivately(card("Saved.")));
    },
    follow_up: async (_intent, ctx) => {
      await ctx.reply.tellPrivately(card("First."));
      ctx.defer("tell again", () => ctx.reply.tellPrivately(card("Second.")));
    },
    create_message: async (intent, ctx) => {
      await ctx.reply.closeForm();
      ctx.defer("post", async () => void (await ctx.chat.post(intent.place!, card("Announced."))));
    },
    edit_message: async (intent, ctx) => {
      await ctx.reply.closeForm();
      ctx.defer("update", () => ctx.chat.update({ ...intent.place!, message: posted }, card("Redrawn.")));
    },
    create_dm: async (intent, ctx) => {
      await ctx.reply.closeForm();
      ctx.defer("dm", async () => void (await ctx.chat.tellPrivately(intent.person, card("Your task moved."))));
    },
    get_user: async (intent, ctx) => {
      await ctx.reply.closeForm();
      ctx.defer("name", async () => void (await ctx.chat.displayNameOf(intent.person)));
    },
  },
  message_shortcut: {},
  button: { echo: async (intent, ctx) => ctx.reply.tellPrivately(card(`Got ${intent.value?.length ?? 0}.`)) },
  submit_form: {},
};
type Route = "edit_original" | "follow_up" | "create_message" | "edit_message" | "create_dm" | "get_user";
let posted = "";

/**
 * A realistic refusal per route, and what the port calls it; a token's refusal means it is past its
 * time: a DM stands in. Unknown Webhook is refused on every try (`times`): once, just after the first
 * response, it is tried again (reply.ts: Discord may not have taken the response yet).
 */
const REFUSALS: Record<Route, { code: number; status: number; chat: string; times?: number }> = {
  edit_original: { code: 50027, status: 401, chat: "dm" },
  follow_up: { code: 10015, status: 404, chat: "dm", times: 5 },
  create_message: { code: 50013, status: 403, chat: "forbidden" },
  edit_message: { code: 10008, status: 404, chat: "not_found" },
  create_dm: { code: 50007, status: 403, chat: "cannot_message_user" },
  get_user: { code: 10013, status: 404, chat: "not_found" },
};
const FAULTS = ["refused", "rate_limited", "server_error_500", "unavailable_503", "no_answer", "connection_dropped"] as const;
type FaultName = (typeof FAULTS)[number];

function faultOf(route: Route, name: FaultName): DiscordFault {
  switch (name) {
    case "refused": {
      const { code, status } = REFUSALS[route];
      return { kind: "error", code, status };
    }
    case "rate_limited":
      return { kind: "rate_limited", retryAfterSeconds: 2.5 };
    case "server_error_500":
      return { kind: "http", status: 500 };
    case "unavailable_503":
      return { kind: "http", status: 503 };
    case "no_answer":
      return { kind: "hang" };
    case "connection_dropped":
      return { kind: "drop" };
  }
}

/** The ChatError code the route's work fails with, or "dm" when the answer went by DM instead. */
function expected(route: Route, name: FaultName): string {
  const refused = REFUSALS[route].chat;
  return { refused, rate_limited: "rate_limited", server_error_500: "http_error", unavailable_503: "http_error", no_answer: "timeout", connection_dropped: "network_error" }[name];
}

let h: DiscordHarness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startDiscordHarness({ routes, now: () => NOW_MS, discordNow: () => NOW_MS, discordTimeoutMs: FAULTED_TIMEOUT_MS, storeTimeoutMs: FAULTED_TIMEOUT_MS });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h.close();
});
beforeEach(() => {
  h.discord.reset();
  h.blobs.clearFaults();
  h.logs.length = 0;
  unhandled.length = 0;
});

const lines = () => h.logs.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("every Discord route under every fault", () => {
  const rows = (Object.keys(REFUSALS) as Route[]).flatMap((route) => FAULTS.map((fault): readonly [Route, FaultName] => [route, fault]));

  it.each(rows)("%s, %s", async (route, fault) => {
    posted = h.discord.postUserMessage({ authorId: DISCORD_SEED.botUserId, content: "Status: to do" }).id;
    h.discord.fail(route, faultOf(route, fault), { times: fault === "refused" ? (REFUSALS[route].times ?? 1) : 1 });
    const interaction = h.discord.issueInteraction({ type: 2 });
    const answer = await h.send(DISCORD_PAYLOADS.taskCommand(interaction, route));
    await h.settle();
    // Acknowledged as the route said, whatever the later call met.
    expect(answer.json?.type).toBe(route === "follow_up" ? 4 : 5);
    expect(answer.refused).toBeUndefined();
    const failed = lines().filter((line) => line["event"] === "deferred.failed");
    const outcome = expected(route, fault);
    if (outcome === "dm") {
      // The token is past its time: the person is told by DM, and nothing failed.
      expect(failed).toEqual([]);
      expect(h.discord.callsTo("create_dm")).toHaveLength(1);
      expect(h.discord.messages.at(-1)).toMatchObject({ interaction_token: undefined, content: route === "follow_up" ? "Second." : "Saved." });
    } else {
      expect(failed).toMatchObject([{ error_code: outcome, kind: "subcommand", callback_id: `task ${route}`, team: DISCORD_SEED.guildId }]);
    }
    expect(unhandled).toEqual([]);
  });
});

describe("the store on the interaction's road", () => {
  /** A connection dropped before any answer is sent again by the HTTP client (an idempotent PUT or GET), so it is no failure here. */
  const STORE_FAULTS: [string, BlobsFault][] = [
    ["unavailable_503", { kind: "status", status: 503 }],
    ["no_answer", { kind: "hang" }],
  ];

  it.each(STORE_FAULTS)("the claim's write, %s: the interaction is still answered, once, and the log says the store was unavailable", async (_name, fault) => {
    h.blobs.fail(fault, { method: "PUT" });
    const press = h.discord.issueInteraction({ type: 3 });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, "echo;;short", { id: "1500000000000000009" }));
    await h.settle();
    expect(answer.json).toMatchObject({ type: 4, data: { content: "Got 5.", flags: 64 } });
    expect(answer.refused).toBeUndefined();
    expect(lines().filter((line) => line["event"] === "store.unavailable")).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it.each(STORE_FAULTS)("a parked value's read, %s: the person is told something went wrong, and the line says what", async (_name, fault) => {
    h.blobs.fail(fault, { method: "GET" });
    const press = h.discord.issueInteraction({ type: 3 });
    const answer = await h.send(DISCORD_PAYLOADS.buttonPress(press, "echo;;~AAAAAAAAAAAAAAAAAAAAAA", { id: "1500000000000000009" }));
    await h.settle();
    expect(answer.json).toMatchObject({ type: 4, data: { content: "Something went wrong on my side. Please try again in a moment.", flags: 64 } });
    expect(lines().find((line) => line["event"] === "request")).toMatchObject({ outcome: "error", error_code: expect.stringMatching(/^(unavailable|timeout)$/) });
    expect(unhandled).toEqual([]);
  });
});
