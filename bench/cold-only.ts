/**
 * `npm run bench -- --cold-start` (bench/run.ts hands over here): only the packaging and the cold
 * starts, for trying a change to a function's size or imports in a couple of minutes. Prints each
 * function's median time to answer and its median over the floor that checks Slack's signature and
 * calls Slack once, in the same round (the target row of the full bench).
 */
import { fileURLToPath } from "node:url";
import { FLOOR, FLOOR_SLACK_CALL, measureColdStart } from "./cold-start.js";
import { packageFunctions } from "./packaged.js";

/** Packages the functions with the two floors beside them and measures `rounds` cold starts of each; writes one line a function. */
export async function measureColdOnly(options: { rounds: number; outDir: string; write: (line: string) => void }): Promise<void> {
  const packaged = await packageFunctions(options.outDir, {
    [FLOOR]: fileURLToPath(new URL("./floor-function.ts", import.meta.url)),
    [FLOOR_SLACK_CALL]: fileURLToPath(new URL("./floor-slack-call-function.ts", import.meta.url)),
  });
  const result = await measureColdStart(packaged, options.rounds);
  const floor = result.functions[FLOOR_SLACK_CALL]?.totalSamples ?? [];
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
  for (const [name, fn] of Object.entries(result.functions)) {
    const over = fn.totalSamples.map((total, round) => total - (floor[round] ?? NaN));
    options.write(`cold: ${name} answer_ms=${median(fn.totalSamples).toFixed(1)} over_floor_slack_call_ms=${median(over).toFixed(1)} rounds=${fn.totalSamples.length}\n`);
  }
  // #24's promise, counted on the Teams emulator: at most one of each per cold instance.
  const keys = result.teamsKeyFetches;
  if (keys) options.write(`cold: teams-messages key_fetches_per_cold_instance openid=${keys.openid} jwks=${keys.keys} instances=${keys.instances}\n`);
}
