/**
 * What the registry accepts as an owner, a recipe name and a version: the patterns a
 * `registry:` import takes (compiler/modules/registry-cache.ts), so every published recipe can
 * be imported. They are checked on the raw URL segment, before any decoding, so `..`, `%2e`,
 * slashes and upper case never reach a query or a cache path.
 */
import { RESERVED_WORDS } from "../grammar/tokens.js";
import { NAME_PATTERN, OWNER_PATTERN, VERSION_PATTERN } from "../compiler/modules/registry-cache.js";

const OWNER = new RegExp(`^${OWNER_PATTERN}$`);
const NAME = new RegExp(`^${NAME_PATTERN}$`);
const VERSION = new RegExp(`^${VERSION_PATTERN}$`);
const FULL_NAME = new RegExp(`^(${OWNER_PATTERN})/(${NAME_PATTERN})$`);
const PINNED = new RegExp(`^(${OWNER_PATTERN})/(${NAME_PATTERN})@(${VERSION_PATTERN})$`);

export const OWNER_RULE = "an owner is 1 to 39 lower-case letters, digits and `-`, starting with a letter or digit";
export const NAME_RULE = "a recipe name is 1 to 64 lower-case letters, digits, `_` and `-`, starting with a letter or digit";
export const VERSION_RULE = "a version is MAJOR.MINOR.PATCH, plain numbers without leading zeros (1.0.0)";

export const isOwner = (text: string): boolean => OWNER.test(text);
export const isRecipeName = (text: string): boolean => NAME.test(text);
export const isVersion = (text: string): boolean => VERSION.test(text);

export interface RecipeRef {
  owner: string;
  name: string;
}

export interface VersionRef extends RecipeRef {
  version: string;
}

/** `OWNER/NAME`, or undefined when it is not one. */
export function parseRecipeName(text: string): RecipeRef | undefined {
  const [, owner, name] = FULL_NAME.exec(text) ?? [];
  return owner === undefined || name === undefined ? undefined : { owner, name };
}

/** `OWNER/NAME@VERSION`, or undefined when it is not one. */
export function parseVersionRef(text: string): VersionRef | undefined {
  const [, owner, name, version] = PINNED.exec(text) ?? [];
  return owner === undefined || name === undefined || version === undefined ? undefined : { owner, name, version };
}

export const refText = (ref: VersionRef): string => `${ref.owner}/${ref.name}@${ref.version}`;

/** Newest first, by number: 1.10.0 after 1.9.0, which text order gets wrong. */
export function compareVersionsDescending(a: string, b: string): number {
  const [majorA = 0, minorA = 0, patchA = 0] = a.split(".").map(Number);
  const [majorB = 0, minorB = 0, patchB = 0] = b.split(".").map(Number);
  return majorB - majorA || minorB - minorA || patchB - patchA;
}

/** The line a recipe imports a version with: what `roux pull` prints and the recipe page shows. */
export function useLine(ref: VersionRef, sha256: string): string {
  return `use "registry:${refText(ref)}" sha256 "${sha256}" as ${importAlias(ref.name)}`;
}

/** The name as an identifier: `-` becomes `_`, and one that starts with a digit or is reserved gets a prefix. */
function importAlias(name: string): string {
  const alias = name.replace(/-/g, "_");
  return /^[0-9]/.test(alias) || RESERVED_WORDS.includes(alias) ? `r_${alias}` : alias;
}
