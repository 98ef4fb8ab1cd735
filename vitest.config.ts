import { defineConfig } from "vitest/config";

/**
 * Three projects, so each can run alone: `npm test -- --project unit` (pure code and the emulators'
 * own tests: seconds), `--project integration` (the real handlers against loopback emulators and
 * Blobs), `--project e2e` (the real netlify dev and the sandbox). `npm test` runs all three.
 */
const SLOW = ["test/integration/**", "test/e2e/**", "test/cli/scripts.test.ts"];

export default defineConfig({
  test: {
    // Most files wait on loopback servers and subprocesses rather than compute: more files at once
    // than cores. (The default on a two-core machine is a single worker.)
    maxWorkers: 4,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: SLOW } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts", "test/cli/scripts.test.ts"] } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
    ],
  },
});
