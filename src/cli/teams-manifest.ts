/**
 * `npm run teams:manifest [-- --site https://YOUR-SITE.netlify.app] [--out chatops-teams.zip] [--version 1.0.1]`: writes
 * the Teams app package, to upload in the Teams admin center (or Teams -> Apps -> Manage your apps ->
 * Upload an app, to sideload it): manifest.json, a 192x192 color icon and a 32x32 outline icon, zipped
 * at the top level as Teams requires. The icons and the zip are written with node:zlib: no asset
 * files and no dependency for a CLI that writes three entries.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { crc32, deflateRawSync, deflateSync } from "node:zlib";
import type { EnvSource } from "../env.js";
import { createReport, type Output } from "./report.js";
import { runIfMain } from "./script.js";

export interface TeamsManifestOptions {
  /** The arguments after `--`: `--site <url>`, `--out <file>`, `--version <x.y.z>`. */
  argv: readonly string[];
  env: EnvSource;
  out: Output;
}

const USAGE = "usage: npm run teams:manifest [-- --site https://YOUR-SITE.netlify.app] [--out chatops-teams.zip] [--version 1.0.1]";

/** The flags teams:manifest reads, as parseArgs takes them (the docs' commands are checked against it). */
export const TEAMS_MANIFEST_FLAGS = { site: { type: "string" }, out: { type: "string" }, version: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

/**
 * The schema Microsoft documents as current (learn.microsoft.com/microsoft-365/extensibility/schema,
 * "What's new in manifest version 1.30", August 2026). Nothing this manifest uses changed since 1.13;
 * Teams takes every earlier version, but a package on the current one is the one its tools validate.
 */
export const MANIFEST_VERSION = "1.30";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The manifest for the bot `appId` (a GUID) served at `siteUrl` (https): the bot in personal, team and
 * group chats with its `task` command list, and the two message actions (the message shortcuts);
 * validDomains holds the site's host; `version` (x.y.z) must rise for Teams to update an installed app.
 * Teams shows a command list as hints: it has no slash commands.
 */
export function buildTeamsManifest(appId: string, siteUrl: string, version = "1.0.0"): Record<string, unknown> {
  const site = new URL(siteUrl);
  const scopes = ["personal", "team", "groupChat"];
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version,
    // The app's id may be any GUID; the bot's own keeps one id to look for in Teams' admin center.
    id: appId,
    developer: { name: "chatops", websiteUrl: site.origin, privacyUrl: site.origin, termsOfUseUrl: site.origin },
    name: { short: "chatops", full: "chatops: requests to tasks on the Notion board" },
    description: {
      short: "Turns requests into tasks on the team's Notion board.",
      full: "Message the bot `task Fix login` to put a request on the team's Notion board, `task list` for what is open, `task review` for the week; on a message, More actions -> Create task or Remind of process.",
    },
    icons: { color: "color.png", outline: "outline.png" },
    accentColor: "#4F52B2",
    bots: [
      {
        botId: appId,
        scopes,
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [
          {
            scopes,
            commands: [
              { title: "task", description: "Put a request on the board: task Fix login" },
              { title: "task list", description: "The open tasks you asked for" },
              { title: "task review", description: "This week's review" },
              { title: "task help", description: "What the bot can do" },
            ],
          },
        ],
      },
    ],
    composeExtensions: [
      {
        botId: appId,
        commands: [
          { id: "remindProcess", type: "action", title: "Remind of process", description: "Kindly remind the author to file this as a task", context: ["message"], fetchTask: true },
          { id: "createTask", type: "action", title: "Create task", description: "Turn this message into a task on the Notion board", context: ["message"], fetchTask: true },
        ],
      },
    ],
    permissions: ["identity", "messageTeamMembers"],
    validDomains: [site.host],
  };
}

/** Writes the package; returns the exit code: 0 when written, 2 for bad arguments, 1 for a missing or malformed app id or site. */
export async function runTeamsManifest(options: TeamsManifestOptions): Promise<number> {
  const report = createReport(options.out);
  let values: { site?: string | undefined; out?: string | undefined; version?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: [...options.argv], options: TEAMS_MANIFEST_FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    report.line(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    report.line(USAGE);
    return 0;
  }
  const appId = options.env.TEAMS_APP_ID?.trim();
  // Netlify sets URL on a deploy; locally the site is named with --site.
  const site = values.site?.trim() || options.env.URL?.trim();
  let failed = false;
  if (!appId || !GUID.test(appId)) {
    report.fail(appId ? "TEAMS_APP_ID is not a GUID" : "TEAMS_APP_ID is not set", "set it in .env: Azure portal -> your Azure Bot -> Configuration -> Microsoft App ID");
    failed = true;
  }
  const siteUrl = site ? httpsUrl(site) : undefined;
  if (siteUrl === undefined) {
    report.fail(site ? `--site ${site} is not an https URL` : "no site to point Teams at", `name it: npm run teams:manifest -- --site https://YOUR-SITE.netlify.app`);
    failed = true;
  }
  const version = values.version?.trim() || "1.0.0";
  // The manifest schema's own pattern for version: three numbers.
  if (!/^\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(version)) {
    report.fail(`--version ${version} is not three numbers (x.y.z)`, "give one higher than the package uploaded last, e.g. --version 1.0.1");
    failed = true;
  }
  if (failed || !appId || siteUrl === undefined) return 1;
  const manifest = buildTeamsManifest(appId, siteUrl, version);
  const zip = writeZip([
    { name: "manifest.json", data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
    { name: "color.png", data: colorIcon() },
    { name: "outline.png", data: outlineIcon() },
  ]);
  const file = values.out?.trim() || "chatops-teams.zip";
  writeFileSync(file, zip);
  report.ok(`wrote ${file} (${zip.length} bytes): manifest.json ${MANIFEST_VERSION} (version ${version}) for the bot ${appId} at ${new URL(siteUrl).host}, color.png, outline.png`);
  report.line("Upload it: Teams admin center -> Teams apps -> Manage apps -> Upload new app (or, to try it, Teams -> Apps -> Manage your apps -> Upload an app).");
  report.line(`The bot's messaging endpoint must be ${new URL("/teams/messages", siteUrl).href} (Azure Bot -> Configuration).`);
  return 0;
}

function httpsUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Teams' color icon: 192x192, full color (here the accent with a white check). */
export function colorIcon(): Buffer {
  return writePng(192, 192, (x, y) => (onCheck(x / 192, y / 192) ? [255, 255, 255, 255] : [0x4f, 0x52, 0xb2, 255]));
}

/** Teams' outline icon: 32x32, white on a transparent background (Teams refuses other colors). */
export function outlineIcon(): Buffer {
  return writePng(32, 32, (x, y) => (onCheck((x + 0.5) / 32, (y + 0.5) / 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

/** A check mark across the unit square: two strokes, 0.09 wide. */
function onCheck(u: number, v: number): boolean {
  const near = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(0, Math.min(1, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
    return Math.hypot(u - (ax + t * (bx - ax)), v - (ay + t * (by - ay))) < 0.09;
  };
  return near(0.22, 0.52, 0.42, 0.72) || near(0.42, 0.72, 0.8, 0.3);
}

/** An 8-bit RGBA PNG (PNG spec: signature, IHDR, one zlib IDAT of filter-0 rows, IEND). */
export function writePng(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number, number]): Buffer {
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 4);
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(rows, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A zip of deflated entries at the top level (APPNOTE 4.3: local headers, central directory, end record; no zip64). */
export function writeZip(entries: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00 in DOS time: a fixed date keeps the package byte-for-byte the same for the same input.
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

await runIfMain(import.meta.url, ({ env, out, argv }) => runTeamsManifest({ env, out, argv }));
