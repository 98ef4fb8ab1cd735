/**
 * netlify.toml says only what is true: the folders the build script writes and netlify dev serves,
 * the Node line .nvmrc names, and the variables the functions require in the Deploy button's form.
 * (What netlify build makes of it is test/e2e/netlify-build.test.ts.)
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { FUNCTIONS_BUILT, FUNCTIONS_SOURCE } from "../src/cli/build-functions.js";
import { REQUIRED } from "../src/cli/doctor-environment.js";

// Netlify's own TOML parser, as netlify-cli (a devDependency) resolves it through @netlify/config.
const { parse } = createRequire(createRequire(import.meta.url).resolve("netlify-cli/package.json"))("smol-toml") as { parse(text: string): unknown };

interface NetlifyToml {
  build: { command: string; publish: string; environment: Record<string, string> };
  functions: { directory: string; node_bundler: string };
  dev: { functions: string };
  context: { dev: { functions: { node_bundler: string } } };
  template: { environment: Record<string, string> };
}
const toml = parse(readFileSync(new URL("../netlify.toml", import.meta.url), "utf8")) as NetlifyToml;

describe("netlify.toml", () => {
  it("has Netlify package the bundles npm run build writes, as they are, and netlify dev serve the sources", () => {
    expect(toml.build.command).toBe("npm run typecheck && npm run build");
    expect(toml.functions).toEqual({ directory: FUNCTIONS_BUILT, node_bundler: "none" });
    expect(toml.dev.functions).toBe(FUNCTIONS_SOURCE);
    expect(toml.context.dev.functions.node_bundler).toBe("nft");
  });

  it("pins the Node line .nvmrc names", () => {
    expect(toml.build.environment.NODE_VERSION).toBe(readFileSync(new URL("../.nvmrc", import.meta.url), "utf8").trim());
  });

  it("asks the Deploy button's form for exactly the variables doctor requires, each with where to find it", () => {
    expect(Object.keys(toml.template.environment).sort()).toEqual([...REQUIRED].sort());
    for (const [name, hint] of Object.entries(toml.template.environment)) expect(hint.length, name).toBeGreaterThan(20);
  });
});
