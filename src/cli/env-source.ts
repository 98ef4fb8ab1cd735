/**
 * Where the CLI's variables come from, and reading them through env.ts without stopping at the first
 * bad one: doctor reports every variable and still runs the checks the good ones allow.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { ENV_NAMES, EnvError, readEnv, type Env, type EnvName, type EnvSource } from "../env.js";

export interface EnvProblem {
  name: string;
  /** "SLACK_BOT_TOKEN is missing": never the value. */
  problem: string;
  /** Where to find or how to correct the value, as env.ts words it. */
  fix: string;
}

/**
 * The process environment with `.env` (in `cwd`) underneath, as netlify dev and Node's --env-file
 * layer them: a variable set (non-empty) in the shell wins over the file. `envFileNames`: the names
 * the file sets (never their values).
 */
export function loadEnvSource(cwd: string = process.cwd()): { source: EnvSource; envFile: string | undefined; envFileNames: string[] } {
  const path = resolve(cwd, ".env");
  if (!existsSync(path)) return { source: process.env, envFile: undefined, envFileNames: [] };
  const fromFile = parseEnv(readFileSync(path, "utf8"));
  const source: Record<string, string | undefined> = { ...fromFile };
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && value.trim() !== "") source[name] = value;
  }
  return { source, envFile: path, envFileNames: Object.keys(fromFile) };
}

/** Like readEnv, but a bad variable is reported and left out instead of hiding every other one. */
export function readEnvLeniently(required: readonly EnvName[], source: EnvSource): { env: Env; problems: EnvProblem[] } {
  let fatal: EnvProblem[] = [];
  let env: Env;
  try {
    env = readEnv(required, source);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    fatal = error.problems.map(splitProblem);
    const bad = new Set(fatal.map((problem) => problem.name));
    const rest = Object.fromEntries(Object.entries(source).filter(([name]) => !bad.has(name)));
    env = readEnv(required.filter((name) => !bad.has(name)), rest);
  }
  // A contained setting does not stop the bot, but it is still wrong: doctor names it like the rest.
  const contained = Object.values(env.problems).map(splitProblem);
  return { env, problems: [...fatal, ...contained].sort((a, b) => ENV_NAMES.indexOf(a.name as EnvName) - ENV_NAMES.indexOf(b.name as EnvName)) };
}

/** env.ts words a problem "NAME what is wrong: where to find it". */
function splitProblem(text: string): EnvProblem {
  const name = text.split(" ", 1)[0] ?? text;
  const colon = text.indexOf(": ");
  if (colon === -1) return { name, problem: text, fix: "see .env.example" };
  const where = text.slice(colon + 2);
  // An optional variable's "where" describes it; the fix is to correct it or to leave it out.
  const fix = where.startsWith("optional: ") ? `correct it or leave it unset; ${where.slice("optional: ".length)}` : where;
  return { name, problem: text.slice(0, colon), fix };
}
