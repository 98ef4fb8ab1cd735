/**
 * Hostile activities for POST /teams/messages, as fast-check arbitraries: bodies shaped like the Bot
 * Framework's (dev/teams-harness.ts) with any field broken, missing, of the wrong type or swapped for
 * hostile text (`<at>`, `{{…}}`, markdown and HTML in every text field, unicode edge cases), forged
 * serviceUrls, another tenant, bodies past the 1 MB limit, JSON nested deeper than any parser should
 * follow, broken JSON; the ways a token can be wrong; and what every answer must be. Shared by the
 * fuzz test (test/integration/teams-fuzz.test.ts) and `npm run hostile -- --teams` (bench/hostile.ts).
 *
 * Bodies hold a placeholder for the emulator's serviceUrl (SERVICE_URL), which withServiceUrl
 * puts in, and a canary in what a person types (TYPED_CANARY), which no log line may hold.
 */
import fc from "fast-check";
import { MAX_BODY_BYTES } from "../src/handlers/teams-messages.js";
import { parseJsonText } from "../src/json-text.js";
import { hostileText, INHERITED } from "./hostile-payloads.js";
import { isRecord } from "./is-record.js";
import { TEAMS_SEED, type TeamsEmulator } from "./teams-emulator.js";
import { connectorClaims, signJwt, teamsKeyPair } from "./teams-signed.js";

export const SERVICE_URL = "__SERVICE_URL__";
/** Put in every field a person types (a message, a form's inputs, a quoted message, a button's value): it must never reach a log. */
export const TYPED_CANARY = "typed-canary-5f3a";

/**
 * serviceUrls the bot must never call (the outbound rule, connector.ts): lookalikes of Microsoft's
 * hosts, the cloud's metadata service, loopback in odd spellings, credentials in the URL, not http.
 */
export const FORGED_SERVICE_URLS = [
  "https://evil.example/",
  "https://smba.trafficmanager.net.evil.example/amer/",
  "https://smba.trafficmanager.net@evil.example/amer/",
  "https://user:pass@smba.trafficmanager.net/amer/",
  "https://evilbotframework.com/",
  "http://smba.trafficmanager.net/amer/",
  "https://smba.trafficmanager.net:8443/amer/",
  "http://169.254.169.254/latest/meta-data/",
  "http://0x7f000001/",
  "javascript:alert(1)",
  "",
];

const wrongType: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, 1e308, true, [], {}, [null], { id: null }));
/** A field: mostly what Teams sends, sometimes hostile text, the wrong type, or absent (undefined drops it from the JSON). */
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: fc.constant(undefined) });

/** Markup Teams, Adaptive Cards or a renderer would act on: mentions, templating, markdown, HTML. */
const MARKUP = ["<at>Everyone</at>", "<at id=\"0\">General</at>", "{{DATE(2026-12-06T10:00:00Z)}}", "${$root.secret}", "**bold** [link](https://evil.example)", "![x](https://evil.example/x.png)", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;at&gt;", "\u202eevil", "@General"];
/** What a person types: hostile text with markup around it, and the canary, so a log that keeps it is caught. */
const typed: fc.Arbitrary<string> = fc.tuple(fc.constantFrom(...MARKUP, ""), hostileText).map(([markup, text]) => `${markup}${text} ${TYPED_CANARY}`);

const serviceUrl = fc.oneof({ weight: 6, arbitrary: fc.constant(SERVICE_URL) }, { weight: 1, arbitrary: fc.constantFrom(...FORGED_SERVICE_URLS) });
const account = fc.record({ id: field(fc.constantFrom(TEAMS_SEED.alice.id, TEAMS_SEED.bob.id, `28:${TEAMS_SEED.appId}`, ...INHERITED)), name: field(fc.oneof(typed, hostileText)), aadObjectId: field(fc.constantFrom(TEAMS_SEED.alice.aadObjectId, "not-a-guid")) });
const tenant = fc.constantFrom(TEAMS_SEED.tenantId, TEAMS_SEED.tenantId, TEAMS_SEED.tenantId, "00000000-0000-4000-8000-0000000a0the", "");
const conversation = fc.record({
  id: field(fc.constantFrom(TEAMS_SEED.personal, TEAMS_SEED.channel, `${TEAMS_SEED.channel};messageid=1700000000001`, "__proto__", "19:x@thread.tacv2/../../v3")),
  conversationType: field(fc.constantFrom("personal", "channel", "groupChat")),
  tenantId: field(tenant),
});
const text = fc.oneof(
  fc.tuple(fc.constantFrom("task ", "<at>chatops</at> task ", "task list ", "task help ", "TASK ", "task\u00a0"), typed).map(([head, tail]) => head + tail),
  fc.constantFrom("task help", "task list", "task review", "task __proto__", "task constructor"),
  typed,
);
const formData = fc.dictionary(fc.constantFrom("chatops.form", "chatops.context", "chatops.open", "msteams", "title", "description", "priority", "due", "__proto__", "constructor"), fc.oneof(typed, wrongType), { maxKeys: 6 });
const messagePayload = fc.record({
  id: field(fc.constantFrom("1700000000777", "")),
  replyToId: field(fc.constant("1700000000700")),
  body: field(fc.record({ contentType: field(fc.constantFrom("html", "text")), content: field(typed) })),
  from: field(fc.record({ user: field(fc.record({ id: field(fc.constantFrom(TEAMS_SEED.bob.aadObjectId, "x")), displayName: field(typed) })) })),
  linkToMessage: field(fc.constantFrom("https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/1700000000777", "https://evil.example/l/message", "javascript:alert(1)")),
});
const value = fc.record({
  commandId: field(fc.constantFrom("remindProcess", "createTask", ...INHERITED)),
  commandContext: field(fc.constantFrom("message", "compose")),
  messagePayload: field(messagePayload),
  action: field(fc.record({ type: field(fc.constantFrom("Action.Execute", "Action.Submit")), verb: field(fc.constantFrom("task_status_start", "task_status_done", "create_task_from_reminder", ...INHERITED)), data: field(fc.record({ value: field(typed) })) })),
  data: field(formData),
});

/** An activity of any type from Teams, its fields broken at random. */
const activity = fc.record({
  type: field(fc.constantFrom("message", "invoke", "invoke", "conversationUpdate", "messageReaction", "typing")),
  id: field(fc.oneof(fc.constantFrom("1700000000123", "f:1"), fc.string({ minLength: 1, maxLength: 20 }))),
  timestamp: field(fc.constant("2026-12-06T10:00:00.000Z")),
  serviceUrl: field(serviceUrl),
  channelId: field(fc.constantFrom("msteams", "msteams", "webchat", "emulator")),
  from: field(account),
  recipient: field(account),
  conversation: field(conversation),
  channelData: field(fc.record({ tenant: field(fc.record({ id: field(tenant) })) })),
  text: field(text),
  textFormat: field(fc.constantFrom("plain", "markdown", "xml")),
  replyToId: field(fc.constantFrom("1700000000555", "")),
  name: field(fc.constantFrom("task/fetch", "task/submit", "composeExtension/fetchTask", "composeExtension/submitAction", "adaptiveCard/action", "composeExtension/query", ...INHERITED)),
  value: field(value),
  entities: field(fc.array(fc.record({ type: field(fc.constantFrom("mention", "clientInfo")), mentioned: field(fc.record({ id: field(fc.constantFrom(`28:${TEAMS_SEED.appId}`, TEAMS_SEED.alice.id)) })), text: field(typed) }), { maxLength: 3 })),
});

/** JSON nested `depth` deep (arrays or objects): a parser that recurses must not fall over. */
const deep = fc.tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.boolean()).map(([depth, arrays]) => (arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"value":'.repeat(depth)}null${"}".repeat(depth)}`));

export interface HostileActivity {
  /** The body to send, with SERVICE_URL where the emulator's serviceUrl goes. */
  body: string;
  /** The serviceUrl the body names (SERVICE_URL for the emulator's), which a valid token is issued for; undefined when it names none. */
  serviceUrl: string | undefined;
  /** The activity's type and, for an invoke, its name, as the body says (unknown when it is not an object). */
  type: unknown;
}

/** Hostile activities: mostly Teams' shapes broken, sometimes cut short, past the size limit, deeply nested, or not JSON at all. */
export const hostileTeamsActivities: fc.Arbitrary<HostileActivity> = fc.oneof(
  { weight: 12, arbitrary: activity.map((record) => ({ body: JSON.stringify(record), serviceUrl: typeof record.serviceUrl === "string" ? record.serviceUrl : undefined, type: record.type })) },
  { weight: 1, arbitrary: fc.tuple(activity, fc.nat()).map(([record, cut]) => { const body = JSON.stringify(record); return { body: body.slice(0, cut % Math.max(1, body.length)), serviceUrl: typeof record.serviceUrl === "string" ? record.serviceUrl : undefined, type: undefined }; }) },
  // Past the 1 MB the handler reads: refused unread.
  { weight: 1, arbitrary: activity.map((record) => ({ body: JSON.stringify({ ...record, text: `task ${"x".repeat(MAX_BODY_BYTES)}` }), serviceUrl: typeof record.serviceUrl === "string" ? record.serviceUrl : undefined, type: record.type })) },
  // Deep JSON, as the body and as a field's value.
  { weight: 1, arbitrary: fc.tuple(activity, deep).map(([record, nested]) => ({ body: JSON.stringify({ ...record, value: "__DEEP__" }).replace('"__DEEP__"', nested), serviceUrl: typeof record.serviceUrl === "string" ? record.serviceUrl : undefined, type: record.type })) },
  { weight: 1, arbitrary: fc.oneof(hostileText, deep, fc.constantFrom("{", "[]", "null", '{"type":"message"}', '{"type":"invoke","name":"task/fetch"}')).map((body) => ({ body, serviceUrl: undefined, type: undefined })) },
);

/**
 * The body with the emulator's serviceUrl in place of the placeholder, and the serviceUrl a token is
 * issued for: the body's, as the bot reads it (a lone surrogate mended), as the Bot Connector would sign it.
 */
export function withServiceUrl(hostile: HostileActivity, emulatorServiceUrl: string): { body: string; serviceUrl: string | undefined } {
  const body = hostile.body.replaceAll(SERVICE_URL, emulatorServiceUrl);
  if (hostile.serviceUrl === undefined) return { body, serviceUrl: undefined };
  const read = parseJsonText(body);
  return { body, serviceUrl: isRecord(read) && typeof read["serviceUrl"] === "string" ? read["serviceUrl"] : hostile.serviceUrl.replaceAll(SERVICE_URL, emulatorServiceUrl) };
}

/** Ways an activity's token is wrong: none, another key, expired, for another bot or issuer, signed for another serviceUrl, `alg: none`, not a JWT. */
export const TOKEN_TAMPERINGS = ["none", "other-key", "expired", "other-audience", "other-issuer", "other-service-url", "alg-none", "garbage"] as const;
export type TokenTampering = (typeof TOKEN_TAMPERINGS)[number];

const stranger = teamsKeyPair("stranger-key");

/** The Authorization header for `serviceUrl` broken as `how` says; null for none. */
export function tamperedAuthorization(teams: Pick<TeamsEmulator, "authorization" | "pair">, serviceUrl: string, how: TokenTampering, nowMs: number): string | null {
  switch (how) {
    case "none":
      return null;
    case "other-key":
      return `Bearer ${signJwt(connectorClaims(TEAMS_SEED.appId, serviceUrl, nowMs), { kid: teams.pair.kid, privateKey: stranger.privateKey })}`;
    case "expired":
      return teams.authorization({ serviceUrl, claims: { exp: Math.floor(nowMs / 1000) - 3_600 } });
    case "other-audience":
      return teams.authorization({ serviceUrl, claims: { aud: "00000000-0000-4000-8000-000000000bad" } });
    case "other-issuer":
      return teams.authorization({ serviceUrl, claims: { iss: "https://sts.windows.net/evil/" } });
    case "other-service-url":
      return teams.authorization({ serviceUrl: "https://smba.trafficmanager.net/emea/" });
    case "alg-none": {
      const part = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64url");
      return `Bearer ${part({ alg: "none", typ: "JWT", kid: teams.pair.kid })}.${part(connectorClaims(TEAMS_SEED.appId, serviceUrl, nowMs))}.`;
    }
    case "garbage":
      return `Bearer ${"A".repeat(40)}.${"B".repeat(40)}.${"C".repeat(40)}`;
  }
}

/** The channels the emulator's key is endorsed for (dev/teams-signed.ts). */
const ENDORSED: readonly string[] = ["msteams", "emulator"];

/** The body's channelId as the bot reads it: none when it cannot read the body (too deep for its surrogate-mending reviver, say). */
function channelIdOf(body: string): string | undefined {
  const json = parseJsonText(body);
  return isRecord(json) && typeof json["channelId"] === "string" && typeof json["serviceUrl"] === "string" ? json["channelId"] : undefined;
}

/**
 * What is wrong with the answer to a verified hostile activity, if anything: a status other than 200,
 * 400 (unreadable), 413 (too large) or a bare 401 for a channel the key is not endorsed for; an invoke answered 200 with an empty body (Teams shows "Unable
 * to reach app" and sends it again) or with what is not JSON; a dialog of a type Teams does not know.
 */
export function teamsAnswerProblem(sent: { body: string; type: unknown }, answer: { status: number; text: string }): string | undefined {
  const tooLarge = Buffer.byteLength(sent.body) > MAX_BODY_BYTES;
  if (tooLarge) return answer.status === 413 ? undefined : `answered ${answer.status} to a body past the limit`;
  // A token is good only for the channels its key is endorsed for (the emulator's: msteams, emulator),
  // and for the serviceUrl the body names: a body the bot cannot read names neither.
  if (answer.status === 401 && !ENDORSED.includes(channelIdOf(sent.body) ?? "")) return answer.text === "Unauthorized" ? undefined : "a refusal with more than a bare 401";
  if (![200, 400].includes(answer.status)) return `answered ${answer.status} to a verified activity`;
  if (answer.status !== 200 || sent.type !== "invoke") return undefined;
  if (answer.text === "") return "an invoke answered with an empty body";
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return `an invoke answered with what is not JSON: ${answer.text.slice(0, 100)}`;
  }
  if (!isRecord(json)) return "an invoke answered with what is not an object";
  const task = json["task"];
  if (task !== undefined && !(isRecord(task) && (task["type"] === "continue" || task["type"] === "message"))) return `a dialog answer Teams does not know: ${JSON.stringify(task).slice(0, 100)}`;
  return undefined;
}
