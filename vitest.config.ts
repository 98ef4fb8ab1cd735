import { statfsSync } from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The suite's scratch folders (each harness's Blobs entries, the project copies netlify dev serves,
 * sandbox state) go to memory where the machine has a roomy tmpfs: a second of the suite's CPU here
 * was the file system's. Only when TMPDIR is not set, and only with 1 GiB free (Docker's is 64 MiB).
 */
function memoryTmpdir(): string | undefined {
  try {
    const { bavail, bsize } = statfsSync("/dev/shm");
    return bavail * bsize >= 2 ** 30 ? "/dev/shm" : undefined;
  } catch {
    return undefined;
  }
}
const inMemory = process.env.TMPDIR ? undefined : memoryTmpdir();
if (inMemory) process.env.TMPDIR = inMemory;

/**
 * After the end-to-end files, the files that wait longest (the fault matrix on its timeouts, the
 * sandbox flows on the CLI's quiet time), longest first.
 */
const LONGEST = ["fault-matrix.test.ts", "sandbox-flows.test.ts"];

/**
 * The slowest files first: the end-to-end ones wait on netlify dev starting and on its fresh worker
 * per request, and the rest of the suite fits around them; last, they would set the wall time alone.
 */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => (file.project.name === "e2e" ? 0 : LONGEST.findIndex((name) => file.moduleId.endsWith(name)) + 1 || LONGEST.length + 1);
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Three projects, so each can run alone: `npm test -- --project unit` (pure code and the emulators'
 * own tests: seconds), `--project integration` (the real handlers against loopback emulators and
 * Blobs), `--project e2e` (the real netlify dev and the sandbox). `npm test` runs all three.
 */
const SLOW = ["test/integration/**", "test/e2e/**", "test/cli/scripts.test.ts", "test/cli/sandbox-flows.test.ts", "test/browser/**"];

export default defineConfig({
  test: {
    // Most files wait on loopback servers and subprocesses rather than compute: more files at once
    // than cores. (The default on a two-core machine is a single worker.)
    maxWorkers: 4,
    pool: "threads",
    sequence: { sequencer: SlowestFirst },
    // Bounds for a test that hangs, not for how fast one passes: a busy two-core machine took 12 s
    // for an e2e flow that takes 3 s quiet, and 10 s for a fuzz test.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what the code under test does on its own time (a request reaching an
    // emulator, a late write landing): 1 s by default, which a busy two-core machine can outlast.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/**/*.test.ts"], exclude: SLOW, isolate: false } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts", "test/cli/scripts.test.ts", "test/cli/sandbox-flows.test.ts", "test/browser/**/*.test.ts"], isolate: false } },
      { extends: true, test: { name: "e2e", include: ["test/e2e/**/*.test.ts"] } },
    ],
  },
});
