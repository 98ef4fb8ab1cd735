/**
 * What a fresh clone promises a newcomer: `npm install`, `npm start` and `npm test` do what the README
 * says, on the Node versions package.json and .nvmrc name.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { DEFAULT_PORTS } from "../src/cli/sandbox-flags.js";
import { isSupportedNode, unsupportedNodeNotice } from "../src/cli/script.js";
import { section } from "./markdown.js";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; scripts: Record<string, string> };
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

// npm's own range logic, as netlify-cli (a devDependency, which depends on semver) resolves it.
const semver = createRequire(createRequire(import.meta.url).resolve("netlify-cli/package.json"))("semver") as {
  Range: new (range: string) => { test(version: string): boolean };
};

/** Every locked package's Node range, as npm checks it on install (EBADENGINE); each parsed once (hundreds of packages share a few ranges). */
const parsedRanges = new Map<string, { test(version: string): boolean }>();
/** A range npm cannot parse admits nothing, as semver.satisfies answers. */
function parseRange(range: string): { test(version: string): boolean } {
  try {
    return new semver.Range(range);
  } catch {
    return { test: () => false };
  }
}
const parsed = (range: string) => parsedRanges.get(range) ?? parsedRanges.set(range, parseRange(range)).get(range)!;
const lockedRanges = Object.entries(lock.packages).flatMap(([path, entry]) => {
  const node = entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
  return path !== "" && node ? [{ name: path.replace(/^.*node_modules\//, ""), range: node, admits: (version: string) => parsed(node).test(version) }] : [];
});

/** Node releases to try: every major from 18 to 30, each minor up to 40. */
const versions = Array.from({ length: 13 }, (_, i) => 18 + i).flatMap((major) => Array.from({ length: 41 }, (_, minor) => `${major}.${minor}.0`));

describe("package.json", () => {
  it("engines.node admits exactly the Node versions every locked package admits, so npm install never warns EBADENGINE on a supported Node", () => {
    const wrong = versions.filter((version) => parsed(pkg.engines.node).test(version) !== lockedRanges.every(({ admits }) => admits(version)));
    const refusing = (version: string) => lockedRanges.filter(({ admits }) => !admits(version)).map(({ name, range }) => `${name} (${range})`);
    expect(wrong.map((version) => `${version}: ${refusing(version).join(", ") || "every package admits it"}`)).toEqual([]);
  });

  it("the CLIs' own Node check admits exactly the versions engines.node admits", () => {
    expect(versions.filter((version) => isSupportedNode(version) !== parsed(pkg.engines.node).test(version))).toEqual([]);
    expect(unsupportedNodeNotice("20.20.2")).toMatch(/^Node 20\.20\.2 is not one this project supports/);
    expect(unsupportedNodeNotice("22.23.3")).toBeUndefined();
  });

  it("npm start runs the sandbox, and npm test the whole suite", () => {
    expect(pkg.scripts.start).toBe(pkg.scripts.sandbox);
    expect(pkg.scripts.sandbox).toBe("tsx src/cli/sandbox.ts");
    expect(pkg.scripts.test).toBe("vitest run");
  });
});

describe(".nvmrc", () => {
  it("names a Node line whose newest release engines.node admits, so `nvm install` gets a supported Node", () => {
    const line = read(".nvmrc").trim();
    expect(line).toMatch(/^\d+$/);
    expect(parsed(pkg.engines.node).test(`${line}.99.0`)).toBe(true);
  });
});

describe("the README", () => {
  it("Quick start: its first block is npm install then npm start, with no Node manager; npm run slack in another terminal, npm test", () => {
    const quickStart = section("README.md", "Quick start");
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(quickStart)?.[1] ?? "";
    expect(firstBlock.split("\n").map((line) => line.split(/\s*#/)[0]!.trim()).filter(Boolean)).toEqual(["npm install", "npm start"]);
    expect(quickStart).toContain('npm run slack -- /task "Fix login"');
    expect(quickStart).toMatch(/^# terminal 2/m);
    // The test command on its own line, with how long it takes.
    expect(quickStart).toMatch(/^npm test +# .*about \d+ (minutes?|seconds)/m);
  });

  it("Quick start: says in one line what Node 20 users will see", () => {
    expect(section("README.md", "Quick start")).toMatch(/On Node 20, `npm install`\s+prints 43 `EBADENGINE` warnings/);
  });
});

describe("docs/sandbox.md", () => {
  it("names every port the sandbox uses", () => {
    const sandbox = section("docs/sandbox.md", "Try it offline: the sandbox");
    for (const port of Object.values(DEFAULT_PORTS)) expect(sandbox).toContain(String(port));
  });
});
