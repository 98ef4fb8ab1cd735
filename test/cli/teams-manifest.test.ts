/**
 * `npm run teams:manifest`: the Teams app package it writes (manifest.json's fields, the icons' sizes,
 * the zip's entries at the top level, as Teams requires), read back with dev/zip.ts; each refusal one line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { TEAMS_SEED } from "../../dev/teams-emulator.js";
import { readZip } from "../../dev/zip.js";
import { colorIcon, MANIFEST_VERSION, outlineIcon, runTeamsManifest } from "../../src/cli/teams-manifest.js";
import { MARKS } from "../../src/cli/report.js";

const dir = mkdtempSync(join(tmpdir(), "teams-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string | undefined> = { TEAMS_APP_ID: TEAMS_SEED.appId }): Promise<{ code: number; text: string }> {
  let text = "";
  const code = await runTeamsManifest({ argv, env, out: { write: (chunk: string) => (text += chunk) } });
  return { code, text };
}

/** Width and height from a PNG's IHDR, and its color type (6: RGBA). */
function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString("latin1", 12, 16)).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

/** Each distinct RGBA pixel of an 8-bit RGBA PNG written with filter 0 on every row (as writePng writes). */
function pixels(png: Buffer): Set<string> {
  const { width, height } = pngSize(png);
  const idat = png.indexOf("IDAT", 0, "latin1");
  const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const seen = new Set<string>();
  for (let y = 0; y < height; y++) {
    expect(rows[y * (1 + width * 4)]).toBe(0);
    for (let x = 0; x < width; x++) seen.add([...rows.subarray(y * (1 + width * 4) + 1 + x * 4, y * (1 + width * 4) + 5 + x * 4)].join(","));
  }
  return seen;
}

describe("the icons", () => {
  it("the outline icon is white on transparent only, as Teams requires; the color icon is opaque", () => {
    expect(pixels(outlineIcon())).toEqual(new Set(["255,255,255,255", "0,0,0,0"]));
    expect([...pixels(colorIcon())].every((pixel) => pixel.endsWith(",255"))).toBe(true);
  });
});

describe("npm run teams:manifest", () => {
  it("writes a zip of manifest.json, color.png (192x192) and outline.png (32x32) at its top level", async () => {
    const out = join(dir, "app.zip");
    const { code, text } = await run(["--site", "https://chatops-example.netlify.app/", "--out", out]);
    expect(code).toBe(0);
    expect(text).toContain(`${MARKS.ok} wrote ${out}`);
    expect(text).toContain("https://chatops-example.netlify.app/teams/messages");
    const entries = readZip(out);
    expect(entries.map((entry) => entry.name)).toEqual(["manifest.json", "color.png", "outline.png"]);
    const [, color, outline] = entries;
    expect(pngSize(color!.read())).toEqual({ width: 192, height: 192, colorType: 6 });
    expect(pngSize(outline!.read())).toEqual({ width: 32, height: 32, colorType: 6 });
  });

  it("manifest.json: the current schema, the bot in three scopes with its task commands, the two message actions, the site's domain", async () => {
    const out = join(dir, "fields.zip");
    expect((await run(["--site", "https://chatops-example.netlify.app", "--out", out])).code).toBe(0);
    const manifest = JSON.parse(readZip(out)[0]!.read().toString("utf8")) as Record<string, any>;
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    // Microsoft's schema reference names 1.30 current (August 2026).
    expect(MANIFEST_VERSION).toBe("1.30");
    expect(manifest.version).toBe("1.0.0");
    expect(manifest.id).toBe(TEAMS_SEED.appId);
    expect(manifest.icons).toEqual({ color: "color.png", outline: "outline.png" });
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0].botId).toBe(TEAMS_SEED.appId);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.bots[0].commandLists[0].commands.map((command: { title: string }) => command.title)).toEqual(["task", "task list", "task review", "task help"]);
    expect(manifest.composeExtensions).toEqual([
      {
        botId: TEAMS_SEED.appId,
        commands: [
          expect.objectContaining({ id: "remindProcess", type: "action", context: ["message"], fetchTask: true }),
          expect.objectContaining({ id: "createTask", type: "action", context: ["message"], fetchTask: true }),
        ],
      },
    ]);
    expect(manifest.validDomains).toEqual(["chatops-example.netlify.app"]);
    expect(manifest.developer.websiteUrl).toBe("https://chatops-example.netlify.app");
    // Teams' limits: a short name of 30 characters, a short description of 80, command titles of 32.
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    for (const command of [...manifest.bots[0].commandLists[0].commands, ...manifest.composeExtensions[0].commands]) expect(command.title.length).toBeLessThanOrEqual(32);
  });

  it("takes the site from Netlify's URL when --site is not given", async () => {
    const out = join(dir, "url.zip");
    expect((await run(["--out", out], { TEAMS_APP_ID: TEAMS_SEED.appId, URL: "https://from-netlify.netlify.app" })).code).toBe(0);
    expect(JSON.parse(readZip(out)[0]!.read().toString("utf8")).validDomains).toEqual(["from-netlify.netlify.app"]);
    expect((await run(["--site", "https://a.netlify.app", "--out", out, "--version", "1.0.7"])).code).toBe(0);
    expect(JSON.parse(readZip(out)[0]!.read().toString("utf8")).version).toBe("1.0.7");
  });

  it("refuses a missing app id, a malformed one, no site and a site that is not https, each with its fix", async () => {
    const missing = await run(["--site", "https://a.netlify.app", "--out", join(dir, "x.zip")], {});
    expect(missing.code).toBe(1);
    expect(missing.text).toContain(`${MARKS.fail} TEAMS_APP_ID is not set — fix: set it in .env`);
    expect((await run(["--site", "https://a.netlify.app"], { TEAMS_APP_ID: "not-a-guid" })).text).toContain("TEAMS_APP_ID is not a GUID");
    expect((await run([])).text).toContain("no site to point Teams at — fix: name it: npm run teams:manifest -- --site https://YOUR-SITE.netlify.app");
    const http = await run(["--site", "http://a.netlify.app"]);
    expect(http.code).toBe(1);
    expect(http.text).toContain("--site http://a.netlify.app is not an https URL");
    expect((await run(["--site", "https://a.netlify.app", "--version", "2"])).text).toContain("--version 2 is not three numbers (x.y.z)");
    expect((await run(["--nope"])).code).toBe(2);
  });
});
