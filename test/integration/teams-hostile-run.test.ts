/**
 * `npm run hostile -- --teams N` as npm starts it: Teams' phases only, a small N, the exit code and
 * the table. The property itself is test/integration/teams-fuzz.test.ts; this holds the flag and
 * the run's wiring (a Teams emulator beside the others, its calls counted, its heap sampled).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("npm run hostile -- --teams", () => {
  it("runs only Teams' two phases and passes", async () => {
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ["--expose-gc", "--import", "tsx", "bench/hostile.ts", "--teams", "16", "--concurrency", "4"], { cwd: ROOT, timeout: 100_000 }, (error, out) => resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout: out }));
    });
    expect(stdout).toContain("all checks passed");
    expect(code).toBe(0);
    expect(stdout).toMatch(/\| Teams: signed hostile activities +\| +16 \| +0 \| +0 \| +0 \| +0 \|/);
    expect(stdout).toMatch(/\| Teams: unsigned or wrongly signed +\| +4 \|/);
    expect(stdout).not.toContain("soak");
    expect(stdout).toMatch(/Teams: heap after GC/);
  }, 120_000);
});
