/**
 * Slack reads `<...>` as links and mentions (`<!channel>`, `<@U123>`, `<https://x|y>`) and `&` as
 * the start of an entity; escaping these three is Slack's documented rule for untrusted text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * A linked title as mrkdwn: `<url|title>`, escaped. Slack's link syntax has no escape for `|` (the
 * first one ends the URL, and a label cannot hold one either), so a title with a `|` is shown as it
 * was typed, in bold, beside an "Open" link: never altered, and never able to inject a link or mention.
 */
export function linkedTitle(url: string, title: string, options: { bold?: boolean; open?: string } = {}): string {
  const safeUrl = url.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E");
  const bold = (text: string) => (options.bold ? `*${text}*` : text);
  if (!title.includes("|")) return bold(`<${safeUrl}|${escapeMrkdwn(title)}>`);
  return `${bold(escapeMrkdwn(title))} (<${safeUrl}|${options.open ?? "open"}>)`;
}
