/** Notion's people, for a requester stored as a Person and the Home tab's "Assigned to me". */
import type { Client } from "@notionhq/client";

/** Query pages of users.list read at most: a workspace with more than 1,000 members falls back to text for the requester. */
const MAX_USER_PAGES = 10;

/** Notion's people (not bots) by lower-cased email: users.list, 100 a page, at most MAX_USER_PAGES. */
export async function listPeopleByEmail(client: Client): Promise<Map<string, string>> {
  const byEmail = new Map<string, string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_USER_PAGES; page++) {
    const result = await client.users.list({ page_size: 100, ...(cursor ? { start_cursor: cursor } : {}) });
    for (const user of result.results) {
      if (user.type === "person" && user.person.email) byEmail.set(user.person.email.toLowerCase(), user.id);
    }
    if (!result.has_more || !result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return byEmail;
}
