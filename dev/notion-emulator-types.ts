/**
 * Shapes the Notion emulator accepts and returns: Notion's own JSON (API version 2025-09-03),
 * trimmed to the fields a Notion integration reads. Kept apart from the server so tests can
 * import the types without the server.
 */

/** Notion's JSON `{}` for property types that carry no configuration. */
export type EmptyObject = Record<string, never>;

export type NotionColor =
  | "default"
  | "gray"
  | "brown"
  | "orange"
  | "yellow"
  | "green"
  | "blue"
  | "purple"
  | "pink"
  | "red";

// ---------------------------------------------------------------------------------------------
// Schema (what databases.create takes in `initial_data_source.properties`)
// ---------------------------------------------------------------------------------------------

export interface SelectOptionInput {
  id?: string;
  name: string;
  color?: NotionColor;
  description?: string | null;
}

export interface StatusGroupInput {
  id?: string;
  name: string;
  color?: NotionColor;
  /** Ids of options in this group; the emulator also accepts option names here. */
  option_ids: string[];
}

/** One property of a data source schema, as Notion's create/update endpoints take it. */
export type PropertySchema = { description?: string | null } & (
  | { type?: "title"; title: EmptyObject }
  | { type?: "rich_text"; rich_text: EmptyObject }
  | { type?: "number"; number: { format?: string } }
  | { type?: "select"; select: { options?: SelectOptionInput[] } }
  | { type?: "multi_select"; multi_select: { options?: SelectOptionInput[] } }
  | { type?: "status"; status: { options?: SelectOptionInput[]; groups?: StatusGroupInput[] } }
  | { type?: "date"; date: EmptyObject }
  | { type?: "people"; people: EmptyObject }
  | { type?: "checkbox"; checkbox: EmptyObject }
  | { type?: "url"; url: EmptyObject }
  | { type?: "email"; email: EmptyObject }
  | { type?: "phone_number"; phone_number: EmptyObject }
  | { type?: "created_time"; created_time: EmptyObject }
  | { type?: "last_edited_time"; last_edited_time: EmptyObject }
  | { type?: "created_by"; created_by: EmptyObject }
  | { type?: "last_edited_by"; last_edited_by: EmptyObject }
);

export const PROPERTY_TYPES = [
  "title",
  "rich_text",
  "number",
  "select",
  "multi_select",
  "status",
  "date",
  "people",
  "checkbox",
  "url",
  "email",
  "phone_number",
  "created_time",
  "last_edited_time",
  "created_by",
  "last_edited_by",
] as const;

export type PropertyType = (typeof PROPERTY_TYPES)[number];

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

export interface Annotations {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
}

export interface RichTextItem {
  type: "text";
  text: { content: string; link: { url: string } | null };
  annotations: Annotations;
  plain_text: string;
  href: string | null;
}

export interface SelectOption {
  id: string;
  name: string;
  color: NotionColor;
  description: string | null;
}

export interface StatusGroup {
  id: string;
  name: string;
  color: NotionColor;
  option_ids: string[];
}

export type PropertyConfig = { id: string; name: string; description: string | null } & (
  | { type: "title"; title: EmptyObject }
  | { type: "rich_text"; rich_text: EmptyObject }
  | { type: "number"; number: { format: string } }
  | { type: "select"; select: { options: SelectOption[] } }
  | { type: "multi_select"; multi_select: { options: SelectOption[] } }
  | { type: "status"; status: { options: SelectOption[]; groups: StatusGroup[] } }
  | { type: "date"; date: EmptyObject }
  | { type: "people"; people: EmptyObject }
  | { type: "checkbox"; checkbox: EmptyObject }
  | { type: "url"; url: EmptyObject }
  | { type: "email"; email: EmptyObject }
  | { type: "phone_number"; phone_number: EmptyObject }
  | { type: "created_time"; created_time: EmptyObject }
  | { type: "last_edited_time"; last_edited_time: EmptyObject }
  | { type: "created_by"; created_by: EmptyObject }
  | { type: "last_edited_by"; last_edited_by: EmptyObject }
);

export interface PartialUser {
  object: "user";
  id: string;
}

export type NotionUser =
  | {
      object: "user";
      id: string;
      name: string | null;
      avatar_url: string | null;
      type: "person";
      person: { email?: string };
    }
  | {
      object: "user";
      id: string;
      name: string | null;
      avatar_url: string | null;
      type: "bot";
      bot:
        | EmptyObject
        | {
            owner: { type: "workspace"; workspace: true };
            workspace_id: string;
            workspace_name: string | null;
            workspace_limits: { max_file_upload_size_in_bytes: number };
          };
    };

export interface DateValue {
  start: string;
  end: string | null;
  time_zone: string | null;
}

/** A page property value as Notion returns it (`page.properties[name]`). */
export type PagePropertyValue = { id: string } & (
  | { type: "title"; title: RichTextItem[] }
  | { type: "rich_text"; rich_text: RichTextItem[] }
  | { type: "number"; number: number | null }
  | { type: "select"; select: SelectOption | null }
  | { type: "multi_select"; multi_select: SelectOption[] }
  | { type: "status"; status: SelectOption | null }
  | { type: "date"; date: DateValue | null }
  | { type: "people"; people: NotionUser[] }
  | { type: "checkbox"; checkbox: boolean }
  | { type: "url"; url: string | null }
  | { type: "email"; email: string | null }
  | { type: "phone_number"; phone_number: string | null }
  | { type: "created_time"; created_time: string }
  | { type: "last_edited_time"; last_edited_time: string }
  | { type: "created_by"; created_by: PartialUser }
  | { type: "last_edited_by"; last_edited_by: PartialUser }
);

export type PageParent =
  | { type: "data_source_id"; data_source_id: string; database_id: string }
  | { type: "page_id"; page_id: string }
  | { type: "workspace"; workspace: true };

export type DatabaseParent = { type: "page_id"; page_id: string } | { type: "workspace"; workspace: true };

/** Notion's icon JSON, kept as sent (`{type:"emoji", emoji:"✅"}` and the like). */
export type IconValue = { type: string } & Record<string, unknown>;

export interface NotionPage {
  object: "page";
  id: string;
  created_time: string;
  last_edited_time: string;
  created_by: PartialUser;
  last_edited_by: PartialUser;
  cover: IconValue | null;
  icon: IconValue | null;
  parent: PageParent;
  in_trash: boolean;
  archived: boolean;
  is_archived: boolean;
  is_locked: boolean;
  properties: Record<string, PagePropertyValue>;
  url: string;
  public_url: string | null;
}

export interface NotionDatabase {
  object: "database";
  id: string;
  title: RichTextItem[];
  description: RichTextItem[];
  parent: DatabaseParent;
  is_inline: boolean;
  in_trash: boolean;
  archived: boolean;
  is_locked: boolean;
  created_time: string;
  last_edited_time: string;
  created_by: PartialUser;
  last_edited_by: PartialUser;
  data_sources: { id: string; name: string }[];
  icon: IconValue | null;
  cover: IconValue | null;
  url: string;
  public_url: string | null;
}

export interface NotionDataSource {
  object: "data_source";
  id: string;
  title: RichTextItem[];
  description: RichTextItem[];
  parent: { type: "database_id"; database_id: string };
  database_parent: DatabaseParent;
  is_inline: boolean;
  in_trash: boolean;
  archived: boolean;
  created_time: string;
  last_edited_time: string;
  created_by: PartialUser;
  last_edited_by: PartialUser;
  properties: Record<string, PropertyConfig>;
  icon: IconValue | null;
  cover: IconValue | null;
  url: string;
  public_url: string | null;
}

export interface NotionBlock {
  object: "block";
  id: string;
  parent: { type: "page_id"; page_id: string } | { type: "block_id"; block_id: string };
  created_time: string;
  last_edited_time: string;
  created_by: PartialUser;
  last_edited_by: PartialUser;
  has_children: boolean;
  in_trash: boolean;
  archived: boolean;
  type: string;
  /** The block's type-named content, e.g. `paragraph: { rich_text, color }`. */
  [content: string]: unknown;
}
