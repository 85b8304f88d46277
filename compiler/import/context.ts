/** What an importer may ask of the files around the config it reads. */
export interface ImportContext {
  /** The text of a file named in the config (relative to the config's folder), or undefined. */
  readText(file: string): string | undefined;
  exists(file: string): boolean;
  /** The files under a folder named in the config, as paths relative to it; undefined when it is no folder. */
  files(folder: string): string[] | undefined;
  /** The environment `${oc.env:VAR}` in the config reads. */
  env(variable: string): string | undefined;
  /** A file named in the config as the written recipe must name it (relative to the recipe). */
  recipePath(file: string): string;
}

/** A name the recipe language accepts for a declaration, from an engine's name for it. */
export function identifier(text: string, fallback: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^_+|_+$/g, "");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : fallback;
}

/** The inverse of a Roux-to-engine naming table. */
export function inverse<K extends string>(table: Readonly<Record<K, string>>): Map<string, K> {
  return new Map(Object.entries(table).map(([k, v]) => [v as string, k as K]));
}

/** The inverse of a Roux-to-engine naming table that lists several engine names for each Roux name. */
export function inverseNames<K extends string>(table: Readonly<Record<K, readonly string[]>>): Map<string, K> {
  return new Map(Object.entries<readonly string[]>(table).flatMap(([k, names]) => names.map((n) => [n, k as K] as const)));
}
