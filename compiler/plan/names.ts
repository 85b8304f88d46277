/**
 * Unique names within one namespace of a plan (datasets, reward sources, stages, a graph's
 * node ids). The first claim of a name gets it as is; later claims get `_2`, `_3`, ...
 */
export class Names {
  private readonly taken = new Set<string>();

  claim(preferred: string): string {
    let name = preferred;
    for (let n = 2; this.taken.has(name); n++) name = `${preferred}_${n}`;
    this.taken.add(name);
    return name;
  }
}
