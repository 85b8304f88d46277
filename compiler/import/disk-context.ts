/** The files around a config on disk, and the process's environment, as `roux import` asks for them. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { ImportContext } from "./context.js";

/** Names in the config are relative to `configDir`; the recipe written to `recipeDir` names them relative to it. */
export function diskContext(configDir: string, recipeDir: string, env: Readonly<Record<string, string | undefined>>): ImportContext {
  const inConfig = (name: string) => path.resolve(configDir, name);
  return {
    readText: (name) => {
      try {
        return readFileSync(inConfig(name), "utf8");
      } catch {
        return undefined;
      }
    },
    exists: (name) => existsSync(inConfig(name)),
    files: (name) => {
      const folder = inConfig(name);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) return undefined;
      return readdirSync(folder, { recursive: true, encoding: "utf8" })
        .filter((f) => statSync(path.join(folder, f)).isFile())
        .map((f) => f.split(path.sep).join("/"));
    },
    recipePath: (name) => path.relative(recipeDir, inConfig(name)).split(path.sep).join("/"),
    env: (variable) => env[variable],
  };
}
