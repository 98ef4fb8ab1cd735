/**
 * What a variable's value must look like: the rules env.ts's table gives each variable, each a
 * builder (a rule is built only for a variable that is set) with the message a person reads, which
 * never quotes the value.
 */
import * as z from "zod/mini";
import { dashedNotionId } from "./notion/ids.js";

/** A Slack conversation id: C… (a channel), G… (a private one, as older workspaces name it), D… (a DM). */
export const slackChannelId = () => z.string().check(z.regex(/^[CGD][A-Z0-9]{2,}$/, "must be a channel id such as C0123ABCD"));

/** A Discord id: a snowflake, a 64-bit integer as decimal text. */
export const snowflakeId = (example: string) => z.string().check(z.regex(/^\d{17,20}$/, `must be a Discord id (a snowflake such as ${example}): turn on Developer Mode, then right-click -> Copy ID`));

/**
 * An API base URL for an emulator or a proxy: https, or http only to this machine (an emulator on
 * loopback), so a typo cannot send the bot's token in clear over a network; no trailing slash, as
 * the clients append `/channels/...` to it.
 */
export const apiBaseUrl = (example = "https://discord.com/api/v10") => z.string().check(
  z.refine((value) => URL.canParse(value) && ["https:", "http:"].includes(new URL(value).protocol), "must be an http(s) URL"),
  z.refine((value) => !URL.canParse(value) || new URL(value).protocol === "https:" || LOOPBACK_HOSTS.has(new URL(value).hostname), "must be https (http only for 127.0.0.1, localhost or [::1])"),
  z.refine((value) => !value.endsWith("/"), `must not end with a slash (e.g. ${example})`),
);

/** A Mattermost id: 26 lowercase letters and digits (users, channels, posts, tokens alike). */
export const mattermostId = (what: string) => z.string().check(z.regex(/^[a-z0-9]{26}$/, `must be a Mattermost ${what}: 26 lowercase letters and digits`));
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A Microsoft Entra id (an app's client id, a tenant): a GUID, as the Azure portal shows it. */
export const guid = (what: string) => z.string().check(z.regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, `must be ${what}, a GUID such as 00000000-0000-0000-0000-000000000000`));

/** An endpoint's full URL (the OpenID configuration, the token endpoint): https, or http only to this machine (an emulator). */
export const endpointUrl = () => z.string().check(
  z.refine((value) => URL.canParse(value) && (new URL(value).protocol === "https:" || (new URL(value).protocol === "http:" && LOOPBACK_HOSTS.has(new URL(value).hostname))), "must be an https URL (http only for 127.0.0.1, localhost or [::1])"),
);

/** Origins, comma-separated (a URL's path is dropped): https, or http only to this machine. */
export const originList = () => z.pipe(
  z.string(),
  z.transform((value, ctx) => {
    const origins: string[] = [];
    for (const part of value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0)) {
      const url = URL.canParse(part) ? new URL(part) : undefined;
      if (url === undefined || !(url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)))) {
        ctx.issues.push({ code: "custom", input: value, message: "must be https origins, comma-separated (http only for 127.0.0.1, localhost or [::1])" });
        return z.NEVER;
      }
      origins.push(url.origin);
    }
    return origins;
  }),
);

/** Ids, comma-separated, blanks dropped (checked one by one by a rule piped after it where their form is known). */
export const idList = () => z.pipe(
  z.string(),
  z.transform((value) => value.split(",").map((part) => part.trim()).filter((part) => part.length > 0)),
);

/** A yes: 1, true, yes or on in any case; anything else is no. */
export const flag = () => z.pipe(
  z.string(),
  z.transform((value) => ["1", "true", "yes", "on"].includes(value.trim().toLowerCase())),
);

/** A Notion id (dashed or not) or a Notion URL that contains one, normalised to a dashed UUID. */
export const notionIdSchema = () => z.pipe(
  z.string(),
  z.transform((value, ctx) => {
    const id = extractNotionId(value);
    if (id === undefined) {
      ctx.issues.push({ code: "custom", input: value, message: "must be a Notion id or a Notion URL that contains one" });
      return z.NEVER;
    }
    return id;
  }),
);

/** The 32 hex digits of a Notion id, from a bare id (dashed or not) or a Notion URL, as a dashed UUID. */
export function extractNotionId(value: string): string | undefined {
  const trimmed = value.trim();
  let candidate = trimmed;
  if (/^https?:\/\//i.test(trimmed)) {
    if (!URL.canParse(trimmed)) return undefined;
    const url = new URL(trimmed);
    // A page opened as a peek has its id in ?p=; otherwise the id ends the last path segment
    // ("Task-Board-<id>"), and ?v= names a view, not the database.
    candidate = url.searchParams.get("p") ?? url.pathname.split("/").filter(Boolean).at(-1) ?? "";
  }
  const compact = candidate.replaceAll("-", "");
  const hex = compact.match(/[0-9a-f]{32}$/i)?.[0];
  if (hex === undefined || (candidate === trimmed && compact.length !== 32)) return undefined;
  return dashedNotionId(hex);
}

/** Whether `value` is an IANA time zone this Node knows (Intl accepts it). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
