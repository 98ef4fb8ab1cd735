/**
 * The build command's own rules: the Node it refuses, and the command a project copy runs.
 * (What it packages, through the real netlify build, is test/e2e/netlify-build.test.ts.)
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundlingCommand } from "../../dev/netlify-build.js";
import { wrongContextForBuild, wrongNodeForBuild } from "../../src/cli/build-functions.js";

describe("wrongNodeForBuild", () => {
  it("lets a build on the pinned major line go on, whatever its minor", () => {
    expect(wrongNodeForBuild({ NODE_VERSION: "22" }, "22.23.3")).toBeUndefined();
    expect(wrongNodeForBuild({ NODE_VERSION: "22.13.0" }, "22.9.0")).toBeUndefined();
    expect(wrongNodeForBuild({ NODE_VERSION: "v22" }, "22.1.0")).toBeUndefined();
  });

  it("refuses another major line, naming both, since Netlify would run the functions on the building one", () => {
    expect(wrongNodeForBuild({ NODE_VERSION: "22" }, "24.1.0")).toMatch(/^This build runs on Node 24\.1\.0.*pins Node 22\.\nBuild and deploy with Node 22 /);
    expect(wrongNodeForBuild({ NODE_VERSION: "22" }, "20.20.2")).toContain("Node 20.20.2");
  });

  it("has nothing to check where no NODE_VERSION is set (npm run build by hand)", () => {
    expect(wrongNodeForBuild({}, "20.0.0")).toBeUndefined();
    expect(wrongNodeForBuild({ NODE_VERSION: " " }, "20.0.0")).toBeUndefined();
  });
});

describe("bundlingCommand", () => {
  it("is netlify.toml's build command without its type check", () => {
    expect(bundlingCommand(readFileSync(new URL("../../netlify.toml", import.meta.url), "utf8"))).toBe("npm run build");
  });

  it("refuses a build command that does not end with the bundling step", () => {
    expect(() => bundlingCommand('[build]\n  command = "npm run typecheck"\n')).toThrow(/does not end with "npm run build"/);
    expect(() => bundlingCommand("[build]\n")).toThrow(/none/);
  });
});

describe("wrongContextForBuild", () => {
  it("refuses the dev context (netlify deploy's default), naming the deploy command that works", () => {
    expect(wrongContextForBuild({ CONTEXT: "dev" })).toContain("npx netlify deploy --prod --context production");
  });

  it("lets Netlify's own contexts and a build by hand go on", () => {
    for (const CONTEXT of ["production", "deploy-preview", "branch-deploy", undefined]) expect(wrongContextForBuild({ CONTEXT })).toBeUndefined();
  });
});
