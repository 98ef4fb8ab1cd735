/** Signature verification throughput: Slack's v0 HMAC check on a typical slash command body. */
import { TEST_SIGNING_SECRET } from "../dev/signed-request.js";
import { slashCommandBody } from "../dev/slack-payloads.js";
import { signSlackRequest, verifySlackSignature } from "../src/platforms/slack/verify-request.js";
import { summarize, type Summary } from "./stats.js";

export interface SignatureResult {
  bodyBytes: number;
  opsPerRun: number;
  /** Verifications per second, one figure per run. */
  opsPerSecond: Summary;
}

export function measureSignature(options: { runs: number; opsPerRun: number }): SignatureResult {
  const body = slashCommandBody({ text: "Update the onboarding checklist for the new support hires" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = signSlackRequest(TEST_SIGNING_SECRET, timestamp, body);
  const input = { signingSecret: TEST_SIGNING_SECRET, body, signature, timestamp, nowMs: Date.now() };
  // Warm the JIT before timing.
  for (let i = 0; i < 2_000; i++) verifySlackSignature(input);
  const rates: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    let verified = 0;
    const started = performance.now();
    for (let i = 0; i < options.opsPerRun; i++) if (verifySlackSignature(input).ok) verified++;
    const elapsed = performance.now() - started;
    if (verified !== options.opsPerRun) throw new Error("a valid signature failed verification");
    rates.push((options.opsPerRun / elapsed) * 1000);
  }
  return { bodyBytes: Buffer.byteLength(body), opsPerRun: options.opsPerRun, opsPerSecond: summarize(rates) };
}
