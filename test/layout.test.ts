/**
 * Which way imports run (/work/shared/STYLE.md, docs/chat-port.md): no feature names a platform
 * (issue #22's "Done when": no file under src/features/ imports a platform's folder), and no
 * platform's adapter imports another's. Every import counts: static, type-only, re-exports,
 * `import("…")` types and dynamic imports, as TypeScript itself reads them (comments and strings not).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../src/chat/model.js";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));
const PLATFORMS_DIR = join(SRC, "platforms");

/** Every .ts file under `dir`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(dir, file));
}

/** What `file` imports by a relative path, resolved to absolute paths (packages are left out). */
function importsOf(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => resolve(dirname(file), name));
}

/** The platform folder `path` is in (`slack` for src/platforms/slack/home/x.ts), if any. */
function platformOf(path: string): string | undefined {
  const within = relative(PLATFORMS_DIR, path);
  return within.startsWith("..") || within === "" ? undefined : within.split(sep)[0];
}

/** `from -> to` for each import, relative to src/, as a failure lists it. */
const shown = (from: string, to: string) => `${relative(SRC, from)} -> ${relative(SRC, to)}`;

describe("the way imports run", () => {
  it("no file under src/features/ imports src/platforms/, not even a type", () => {
    const crossings = sourceFiles(join(SRC, "features")).flatMap((file) =>
      importsOf(file)
        .filter((to) => platformOf(to) !== undefined)
        .map((to) => shown(file, to)),
    );
    expect(crossings).toEqual([]);
  });

  it("no platform's adapter imports another platform's, whichever folders exist (slack, discord, and teams or mattermost once they do)", () => {
    const folders = readdirSync(PLATFORMS_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    // Each folder is a platform of the port's (chat/model.ts), so a new adapter is held to this too.
    expect(folders.map((folder) => folder.name).filter((name) => !(PLATFORMS as readonly string[]).includes(name))).toEqual([]);
    const crossings = folders.flatMap((folder) =>
      sourceFiles(join(PLATFORMS_DIR, folder.name)).flatMap((file) =>
        importsOf(file)
          .filter((to) => platformOf(to) !== undefined && platformOf(to) !== folder.name)
          .map((to) => shown(file, to)),
      ),
    );
    expect(crossings).toEqual([]);
  });

  it("sees every kind of import: a type-only one, a re-export and an import() type count, a comment does not", () => {
    // The check above is only as good as what it reads: this is what it must catch.
    const source = [
      `// import { x } from "../platforms/slack/in-a-comment.js";`,
      `import type { A } from "../platforms/slack/client.js";`,
      `export { b } from "../platforms/discord/rest.js";`,
      `type C = import("../platforms/slack/payloads.js").SlashCommand;`,
    ].join("\n");
    const read = ts.preProcessFile(source, true, true).importedFiles.map((imported) => imported.fileName);
    expect(read).toEqual(["../platforms/slack/client.js", "../platforms/discord/rest.js", "../platforms/slack/payloads.js"]);
  });
});

/** Each top-level statement of a module that runs code when it is imported, as `name: its first line`. */
function importTimeEffects(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  return source.statements
    .filter((statement) => {
      // An import with nothing bound is there for what the module does when it loads.
      if (ts.isImportDeclaration(statement)) return statement.importClause === undefined;
      // Declarations, values (an unused one may go: that is the point) and the entries' default export.
      return !(
        ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isVariableStatement(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement) ||
        ts.isExportDeclaration(statement) ||
        ts.isExportAssignment(statement)
      );
    })
    .map((statement) => `${name}: ${statement.getText(source).split("\n")[0]}`);
}

describe("what the bundler may leave out (package.json's sideEffects: false)", () => {
  // esbuild leaves a module out of a function's bundle when the function uses none of its exports,
  // module-level tables and schemas included; a module that did something on import would silently
  // stop doing it in some functions. The CLIs (src/cli/) are run by tsx, never bundled.
  const bundled = [...sourceFiles(SRC).filter((file) => !file.startsWith(join(SRC, "cli") + sep)), ...sourceFiles(fileURLToPath(new URL("../netlify/functions/", import.meta.url)))];

  it("no module of the functions runs anything when imported but declarations and values", () => {
    expect(bundled.length).toBeGreaterThan(100);
    expect(bundled.flatMap((file) => importTimeEffects(relative(SRC, file), readFileSync(file, "utf8")))).toEqual([]);
  });

  it("sees an import for effects alone and a call at the top, not a value, a function or an entry's export", () => {
    // The check above is only as good as what it reads: this is what it must catch.
    const source = [
      `import "./polyfill.js";`,
      `import { a } from "./a.js";`,
      `import type { B } from "./b.js";`,
      `const table = new Map([[1, a]]);`,
      `export function f(): B { return table; }`,
      `registerSomething(f);`,
      `export default (request: Request) => f();`,
    ].join("\n");
    expect(importTimeEffects("x.ts", source)).toEqual([`x.ts: import "./polyfill.js";`, "x.ts: registerSomething(f);"]);
  });
});
