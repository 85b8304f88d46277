/**
 * `roux publish FILE --name OWNER/NAME --version X.Y.Z`: sends the recipe to the registry,
 * which publishes it only if it passes `roux check` there; its diagnostics are shown here as
 * `roux check` shows them. A recipe whose check reads files (datasets, models, reward code,
 * `./` modules) is published as a package with them (registry/package-files.ts): the list is
 * shown with sizes, each file is uploaded, then the version (registry/package-upload.ts).
 */
import { versionPin } from "../../compiler/modules/package-manifest.js";
import { isCodeModule } from "../../compiler/outside/module-extensions.js";
import { describeFsError } from "../../plan/fs-error.js";
import { type PublishedVersion, type RegistryClient, RegistryError } from "../../registry/client.js";
import { collectPackage, type LocalPackage, localManifest, PackageRefusal } from "../../registry/package-files.js";
import { isVersion, parseRecipeName, NAME_RULE, VERSION_RULE, refText, type VersionRef } from "../../registry/names.js";
import { aligned } from "../columns.js";
import { onePositional, type Command } from "../command.js";
import type { Io } from "../io.js";
import { REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "FILE --name OWNER/NAME --version X.Y.Z [--registry URL]";

/** Shows the files, uploads each (the recipe too), then publishes the manifest naming them. */
async function publishPackage(client: RegistryClient, ref: VersionRef, local: LocalPackage, io: Io): Promise<PublishedVersion> {
  const total = local.files.reduce((sum, f) => sum + f.size, local.recipe.size);
  io.stderr.write(
    `package ${refText(ref)}: ${local.recipe.path} and ${local.files.length} file${local.files.length === 1 ? "" : "s"} it reads, ${total} bytes\n`,
  );
  io.stderr.write(aligned(local.files.map((f) => [`  ${f.path}`, `${f.size} bytes`, `sha256 ${f.sha256}`])));
  if (local.files.some((f) => isCodeModule(f.path)))
    io.stderr.write("reward code goes with the files it imports by `./` paths; npm packages it imports do not (a package carries no npm dependencies)\n");
  for (const f of [local.recipe, ...local.files]) await client.putBlob(f.local, f.sha256);
  return client.publishPackage(ref, localManifest(local));
}

export const command: Command = {
  usage: USAGE,
  options: { ...REGISTRY_OPTION, name: { type: "string" }, version: { type: "string" } },
  async run(args, io) {
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one recipe file\nusage: roux publish ${USAGE}`);
    const recipe = parseRecipeName(String(args.values.name ?? ""));
    if (recipe === undefined) throw new UsageError(`--name takes OWNER/NAME (${NAME_RULE}), not \`${String(args.values.name ?? "")}\``);
    const version = String(args.values.version ?? "");
    if (!isVersion(version)) throw new UsageError(`--version takes MAJOR.MINOR.PATCH (${VERSION_RULE}), not \`${version}\``);
    let local: LocalPackage;
    try {
      local = await collectPackage(file, io.env);
    } catch (error) {
      if (error instanceof PackageRefusal) throw new CommandError(error.message);
      throw new CommandError(`cannot read ${file}: ${describeFsError(error)}`);
    }
    const client = await registryClient(args, io);
    const ref = { ...recipe, version };
    try {
      const published = local.files.length === 0 ? await client.publish(ref, local.content) : await publishPackage(client, ref, local, io);
      io.stderr.write(`published ${refText(ref)} to ${client.url}\n`);
      io.stdout.write(`sha256 ${versionPin(published)}\nrecipe ${published.recipeHash}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      if (error.rendered !== undefined) io.stderr.write(error.rendered);
      throw new CommandError(error.message);
    }
  },
};
