/**
 * Slack reads `<...>` as links and mentions (`<!channel>`, `<@U123>`, `<https://x|y>`) and `&` as
 * the start of an entity; escaping these three is Slack's documented rule for untrusted text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A link whose label is user text: the label is escaped and `|` cannot end it early. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E");
  return `<${safeUrl}|${escapeMrkdwn(label).replaceAll("|", "¦")}>`;
}

/** Cuts text to a limit on a character boundary, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}
