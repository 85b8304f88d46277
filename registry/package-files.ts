/**
 * What `roux publish` sends with a recipe: exactly the files its check reads, as the outside
 * checks name them (compiler/check/outside.ts `namedFiles`) and the local `./` modules it
 * imports, and nothing else from its folder. Each must lie inside the recipe's folder, by its
 * path and by what it is (a symlink that leads outside is refused, as a path with `../` is): a
 * package names its files relative to the recipe, and the pin covers only what is inside.
 *
 * A JS/TS reward module goes with the files it loads by a relative specifier, followed through
 * every module so loaded (compiler/outside/module-loads.ts), under the same rule. A package
 * carries no npm dependencies: a bare specifier names a package, not a file.
 */
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { checkRecipe } from "../compiler/check-recipe.js";
import { namedFiles } from "../compiler/check/outside.js";
import { isCodeModule } from "../compiler/outside/module-extensions.js";
import { moduleLoads } from "../compiler/outside/module-loads.js";
import { type PackageManifest, packagePathProblem } from "../compiler/modules/package-manifest.js";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { fileSha256 } from "../plan/file-sha256.js";
import { recipeResolvers } from "../compiler/modules/resolve.js";

export class PackageRefusal extends Error {}

/** A file to upload: where it is on this machine, and its entry in the manifest. */
export interface LocalFile {
  local: string;
  path: string;
  size: number;
  sha256: string;
}

export interface LocalPackage {
  content: Buffer;
  recipe: LocalFile;
  files: LocalFile[];
}

function inside(root: string, file: string): string | undefined {
  const relative = path.relative(root, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? undefined : relative;
}

/** The manifest entry of a file the recipe in `root` names, or why it cannot go in the package. */
async function packageFile(root: string, realRoot: string, file: string): Promise<LocalFile> {
  const relative = inside(root, path.resolve(file));
  if (relative === undefined) throw new PackageRefusal(`${file} is outside the recipe's folder ${root}: a package holds only files inside it (no \`../\`)`);
  const packagePath = relative.split(path.sep).join("/");
  const problem = packagePathProblem(packagePath);
  if (problem !== undefined) throw new PackageRefusal(`${file}: the path \`${packagePath}\` ${problem}`);
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    throw new PackageRefusal(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (inside(realRoot, real) === undefined)
    throw new PackageRefusal(`${file} is a symlink to ${real}, outside the recipe's folder: a package holds only files inside it`);
  const info = await stat(real);
  if (!info.isFile()) throw new PackageRefusal(`${file} is not a regular file`);
  return { local: real, path: packagePath, size: info.size, sha256: await fileSha256(real) };
}

/** The files reward modules load by relative specifiers, through every module so loaded, each inside the recipe's folder. */
function moduleImports(root: string, modules: readonly string[]): Promise<string[]> {
  return moduleLoads(modules, ({ importer, specifier, written, file }) => {
    const whose = `${path.relative(root, importer)} imports \`${specifier}\``;
    if (inside(root, written) === undefined)
      throw new PackageRefusal(`${whose}, which is outside the recipe's folder ${root}: a package holds only files inside it (no \`../\`)`);
    if (file === undefined) throw new PackageRefusal(`${whose}, which is not a file: the pulled package could not load it`);
  });
}

/** The recipe and the files its check reads; `files` is empty for a recipe that reads none. */
export async function collectPackage(file: string, env: NodeJS.ProcessEnv): Promise<LocalPackage> {
  const content = await readFile(file);
  const root = path.dirname(path.resolve(file));
  const source = content.toString("utf8");
  const program = await checkRecipe(file, source, { resolvers: recipeResolvers(file, env) });
  const named = new Set<string>();
  for (const { file: read, namer } of namedFiles(program)) if (namer !== undefined && !namer.sealed) named.add(path.resolve(read));
  for (const module of program.modules.values())
    if (module !== program.root && !module.sealed && !module.specifier.startsWith("std/")) named.add(path.resolve(module.file));
  for (const loaded of await moduleImports(root, [...named].filter(isCodeModule))) named.add(loaded);
  const realRoot = await realpath(root);
  const files: LocalFile[] = [];
  for (const read of [...named].sort()) files.push(await packageFile(root, realRoot, read));
  const recipe = { local: path.resolve(file), path: path.basename(file), size: content.length, sha256: sourceHash(content) };
  return { content, recipe, files };
}

export function localManifest(local: LocalPackage): PackageManifest {
  const entry = ({ path, size, sha256 }: LocalFile) => ({ path, size, sha256 });
  return { recipe: entry(local.recipe), files: local.files.map(entry) };
}
