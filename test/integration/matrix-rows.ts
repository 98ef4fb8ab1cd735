/**
 * What the platforms' fault matrices share (teams-, mattermost-fault-matrix.test.ts): every row run in
 * the file's beforeAll, several at once, each on its own emulators and handler; a row that throws is
 * kept as its Error, for its own test to report; and any unhandled rejection on the way, for the
 * matrix's last test.
 */
import { afterAll, beforeAll } from "vitest";

/** Rows, each [route, fault, …]; what runRow observed of each, by `${route} ${fault}`, once beforeAll is done. */
export function runMatrixRows<Route extends string, Fault extends string, Observation>(
  rows: readonly (readonly [Route, Fault, ...unknown[]])[],
  runRow: (route: Route, fault: Fault) => Promise<Observation>,
  options: { parallel: number },
): { results: Map<string, Observation | Error>; unhandled: unknown[] } {
  const results = new Map<string, Observation | Error>();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: options.parallel }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          const [route, fault] = row;
          results.set(`${route} ${fault}`, await runRow(route, fault).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
        }
      }),
    );
  }, 300_000);
  afterAll(() => void process.off("unhandledRejection", onUnhandled));
  return { results, unhandled };
}
