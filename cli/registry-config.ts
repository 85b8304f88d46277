/**
 * Which registry a client command talks to, and with which token. The registry is `--registry
 * URL`, else `$ROUX_REGISTRY`, else the one `roux login` saved last, else a registry on this
 * machine's default port. Tokens are saved by `roux login` in `$ROUX_CONFIG/credentials.json`
 * (default `~/.config/roux`), in a folder only the user can open; `$ROUX_TOKEN` overrides them.
 */
import { promises as fs } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { RegistryClient, RegistryError } from "../registry/client.js";
import type { Options, ParsedArgs } from "./command.js";
import { writeFileAtomic, type Io } from "./io.js";
import { CommandError, UsageError } from "./usage-error.js";

export const DEFAULT_PORT = 7878;
const DEFAULT_REGISTRY = `http://127.0.0.1:${DEFAULT_PORT}`;

export const REGISTRY_OPTION: Options = { registry: { type: "string" } };

interface Credentials {
  default?: string;
  tokens: Record<string, string>;
}

function credentialsFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.ROUX_CONFIG || path.join(homedir(), ".config", "roux"), "credentials.json");
}

async function readCredentials(env: NodeJS.ProcessEnv): Promise<Credentials> {
  const file = credentialsFile(env);
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    return { tokens: {} };
  }
  try {
    const parsed = JSON.parse(text) as Partial<Credentials>;
    return { default: parsed.default, tokens: parsed.tokens ?? {} };
  } catch (error) {
    throw new CommandError(`cannot read ${file}: ${(error as Error).message}; run \`roux login\` again`);
  }
}

/** A registry's address as the credentials key it: its origin, so `http://h:1/` and `http://h:1` are one. */
function registryOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`\`${text}\` is not a registry URL: write it like ${DEFAULT_REGISTRY}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`a registry URL starts with http:// or https://, not \`${url.protocol}\``);
  return url.origin;
}

/** The client for the command's registry, with its token when there is one. */
export async function registryClient(args: ParsedArgs, io: Io): Promise<RegistryClient> {
  const credentials = await readCredentials(io.env);
  const url = registryOrigin((args.values.registry as string | undefined) ?? io.env.ROUX_REGISTRY ?? credentials.default ?? DEFAULT_REGISTRY);
  return new RegistryClient(url, io.env.ROUX_TOKEN || credentials.tokens[url]);
}

/** Saves a token for the client's registry and makes that registry the default. */
export async function saveToken(client: RegistryClient, token: string, io: Io): Promise<string> {
  const file = credentialsFile(io.env);
  const credentials = await readCredentials(io.env);
  credentials.default = client.url;
  credentials.tokens[client.url] = token;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(credentials, null, 2)}\n`);
  await fs.chmod(file, 0o600);
  return file;
}

/** A registry call whose failure is the command's: one line, exit 1. */
export async function fromRegistry<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof RegistryError) throw new CommandError(error.message);
    throw error;
  }
}
