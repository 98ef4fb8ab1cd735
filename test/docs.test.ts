/**
 * The README and docs/*.md as a reader follows them: every relative link reaches a file, every
 * #anchor a heading (by GitHub's rules), and every command they give runs as written: its npm
 * script exists, and `npm run slack`, `npm run discord`, `npm run mattermost`, `npm run teams`, `npm run discord:register`, `npm run sandbox`
 * (`npm start`) and `npm run doctor` take its
 * command and flags by the CLIs' own tables; `npx netlify <command>` names a command of the
 * netlify-cli the project installs. Nothing is spawned: one file read per page.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { checkDiscordArguments, parseDiscordFlags } from "../src/cli/discord-arguments.js";
import { DISCORD_REGISTER_FLAGS } from "../src/cli/discord-register.js";
import { DOCTOR_FLAGS } from "../src/cli/doctor.js";
import { TEAMS_MANIFEST_FLAGS } from "../src/cli/teams-manifest.js";
import { parseSandboxFlags } from "../src/cli/sandbox-flags.js";
import { parseMattermostArguments } from "../src/cli/mattermost.js";
import { parseTeamsArguments } from "../src/cli/teams.js";
import { checkArguments, parseSlackFlags } from "../src/cli/slack-arguments.js";
import { anchors, commands, linkTargets, markdownPages, readRepoFile, ROOT, section, shellWords } from "./markdown.js";

const pages = markdownPages();
const pkg = JSON.parse(readRepoFile("package.json")) as { scripts: Record<string, string> };

/**
 * The commands of the installed netlify-cli, read from where it declares them: each
 * `program.command('name')` in dist/commands/ (a subcommand such as `database migrations` hangs off
 * its parent, not `program`). Checked once against `npx netlify --help` (27.10.2): the same top-level
 * commands, with their `name:sub` forms. A command renamed or dropped by an upgrade fails here,
 * without starting the CLI (seconds each) per command.
 */
function netlifyCommands(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: URL) => {
    for (const entry of readdirSync(dir)) {
      const url = new URL(entry, dir);
      if (statSync(url).isDirectory()) walk(new URL(`${entry}/`, dir));
      else if (entry.endsWith(".js")) for (const match of readFileSync(url, "utf8").matchAll(/\bprogram\s*\.command\(\s*['"]([\w:-]+)['"]/g)) names.add(match[1]!);
    }
  };
  walk(new URL("node_modules/netlify-cli/dist/commands/", ROOT));
  return names;
}

/** What is wrong with a `npm run <script> -- <args>` line, by the CLI's own parser; undefined when it runs. */
function cliProblem(script: string, args: string[]): string | undefined {
  try {
    if (script === "slack") {
      const { values, positionals } = parseSlackFlags(args);
      const [command, ...rest] = positionals;
      if (command !== undefined && command !== "help") checkArguments(command, rest, values);
    } else if (script === "discord") {
      const { values, positionals } = parseDiscordFlags(args);
      const [command, ...rest] = positionals;
      if (command !== undefined && command !== "help") checkDiscordArguments(command, rest, values);
    } else if (script === "mattermost") parseMattermostArguments(args);
    else if (script === "teams") parseTeamsArguments(args);
    else if (pkg.scripts[script] === pkg.scripts.sandbox) parseSandboxFlags(args, {});
    else if (script === "doctor") parseArgs({ args, options: DOCTOR_FLAGS, strict: true });
    else if (script === "discord:register") parseArgs({ args, options: DISCORD_REGISTER_FLAGS, strict: true, allowPositionals: false });
    else if (script === "teams:manifest") parseArgs({ args, options: TEAMS_MANIFEST_FLAGS, strict: true, allowPositionals: false });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Each npm command in a page with what is wrong with it: a missing script, or arguments its CLI refuses. */
function npmProblems(page: string): string[] {
  return commands(readRepoFile(page)).flatMap((line) => {
    const words = shellWords(line);
    return words.flatMap((word, index) => {
      if (word !== "npm") return [];
      const [verb, name] = [words[index + 1], words[index + 2]];
      const script = verb === "run" ? name : verb === "start" || verb === "test" ? verb : undefined;
      if (script === undefined) return [];
      if (!Object.hasOwn(pkg.scripts, script)) return [`${page}: ${line}: package.json has no script "${script}"`];
      const rest = words.slice(index + (verb === "run" ? 3 : 2));
      const args = rest[0] === "--" ? rest.slice(1) : [];
      const problem = cliProblem(script, args);
      return problem ? [`${page}: ${line}: ${problem}`] : [];
    });
  });
}

describe("the README and docs/", () => {
  it("are the README and the docs it links to", () => {
    expect(pages).toContain("README.md");
    for (const page of pages.filter((page) => page !== "README.md")) expect(linkTargets(readRepoFile("README.md")).some((target) => target === page || target.startsWith(`${page}#`))).toBe(true);
  });

  it("keep the README under 300 lines, what a deployer reads (#21: how it works lives in docs/)", () => {
    expect(readRepoFile("README.md").trimEnd().split("\n").length).toBeLessThan(300);
  });

  it("every relative link reaches a file, and every #anchor a heading of its page", () => {
    const broken = pages.flatMap((page) =>
      linkTargets(readRepoFile(page)).flatMap((target) => {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return [];
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const file = path === "" ? page : new URL(path, new URL(page, ROOT)).pathname.slice(new URL(ROOT).pathname.length);
        if (!existsSync(new URL(file, ROOT))) return [`${page}: ${target}: no file ${file}`];
        if (anchor === undefined || anchor === "") return [];
        if (!file.endsWith(".md")) return [`${page}: ${target}: an anchor into a file that is not Markdown`];
        return anchors(readRepoFile(file)).has(anchor) ? [] : [`${page}: ${target}: ${file} has no heading with the anchor #${anchor}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it("every docs page links back to the README", () => {
    for (const page of pages.filter((page) => page !== "README.md")) expect(linkTargets(readRepoFile(page)), page).toContain("../README.md");
  });

  it("every npm command names a script, and every npm run slack, sandbox and doctor command takes its words and flags", () => {
    expect(pages.flatMap(npmProblems)).toEqual([]);
  });

  it("finds a wrong command: the check is not vacuous", () => {
    expect(cliProblem("slack", ["/task", "Fix login", "--priorty", "High"])).toMatch(/Unknown flag --priorty/);
    expect(cliProblem("slack", ["shortcuts", "remind_process"])).toMatch(/Unknown command shortcuts/);
    expect(cliProblem("start", ["--prot", "8889"])).toBeDefined();
    expect(cliProblem("doctor", ["--sight", "https://example.netlify.app"])).toBeDefined();
    expect(cliProblem("doctor", ["--site", "https://example.netlify.app"])).toBeUndefined();
    expect(cliProblem("discord", ["/task", "Fix login", "--priorty", "High"])).toMatch(/Unknown flag --priorty/);
    expect(cliProblem("discord", ["remind"])).toMatch(/Which message\?/);
    expect(cliProblem("teams", ["submit", "--priorty", "High"])).toBeDefined();
    expect(cliProblem("teams", ["open", "--priority", "High"])).toMatch(/open does not read --priority/);
    expect(cliProblem("teams", ["remind", "last"])).toBeUndefined();
    expect(cliProblem("discord:register", ["--gild", "123456789012345678"])).toBeDefined();
    expect(shellWords('npm run slack -- /task "Fix login" --submit && echo done')).toEqual(["npm", "run", "slack", "--", "/task", "Fix login", "--submit"]);
  });

  it("every npx netlify command is one the installed netlify-cli has", () => {
    const known = netlifyCommands();
    // What the README's Deploy section needs, so an unreadable netlify-cli fails here rather than passing everything.
    for (const command of ["login", "sites:create", "status", "env:import", "deploy"]) expect(known).toContain(command);
    expect(known).not.toContain("migrations"); // `netlify database migrations`, not a command of its own
    const unknown = pages.flatMap((page) =>
      commands(readRepoFile(page)).flatMap((line) => {
        const words = shellWords(line);
        return words.flatMap((word, index) => (word === "npx" && words[index + 1] === "netlify" && words[index + 2] && !words[index + 2]!.startsWith("-") && !known.has(words[index + 2]!) ? [`${page}: ${line}`] : []));
      }),
    );
    expect(unknown).toEqual([]);
  });

  it("reads sections by heading at any level, code blocks left out", () => {
    expect(section("README.md", "Quick start")).toMatch(/^## Quick start\n/);
    expect(section("README.md", "Quick start")).not.toContain("## Try it offline");
    expect(section("docs/performance.md", "Team scale")).not.toContain("## Load");
  });
});
