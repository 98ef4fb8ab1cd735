import { LogLevel, type Logger } from "@slack/web-api";

/** The client logs Slack's `[ERROR]` explanations and failed requests; tests assert them instead. */
export const quietSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
