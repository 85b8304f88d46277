/**
 * OmegaConf's `${...}` interpolations in an engine config value, resolved as the engine resolves
 * them when it loads the config (verl through Hydra, Trinity-RFT through OmegaConf), so that the
 * recipe gets the value the engine would train with and never the `${...}` text:
 * `${oc.env:VAR}` is the environment variable VAR, `${oc.env:VAR,default}` its default when VAR
 * is unset, and `${a.b.c}` the value of another key of the same file. A value that is one
 * interpolation alone has the type of what it names; inside longer text each becomes text.
 * Any other resolver (`oc.select`, `oc.decode`, relative keys) is left to the caller to report.
 */

/** An environment variable a value read: from the environment, or its default when unset. */
export interface EnvRead {
  variable: string;
  defaulted: boolean;
}

export type Interpolated =
  | { kind: "value"; value: unknown; env: EnvRead[] }
  /** `${oc.env:VAR}` with VAR unset and no default: OmegaConf refuses to load the config. */
  | { kind: "unset"; variable: string }
  /** An interpolation the import does not resolve, or a key it names that the file lacks. */
  | { kind: "unresolved"; text: string };

const ONE = /\$\{([^${}]*)\}/g;
const ALONE = /^\$\{([^${}]*)\}$/;
const ENV = /^oc\.env:\s*([^,\s]+)\s*(?:,(.*))?$/s;
const KEY = /^[A-Za-z_][\w-]*(?:\.[\w-]+)*$/;

export function hasInterpolation(text: string): boolean {
  return text.includes("${");
}

/**
 * `text` with its interpolations resolved: `env` reads the environment, `key` resolves another
 * key of the file (undefined when the file has no such key).
 */
export function interpolate(text: string, env: (variable: string) => string | undefined, key: (path: string) => Interpolated | undefined): Interpolated {
  const reads: EnvRead[] = [];
  let failure: Exclude<Interpolated, { kind: "value" }> | undefined;
  const resolve = (body: string): unknown => {
    const fromEnv = ENV.exec(body.trim());
    if (fromEnv) {
      const variable = fromEnv[1]!;
      const value = env(variable);
      if (value !== undefined) {
        reads.push({ variable, defaulted: false });
        return value;
      }
      if (fromEnv[2] !== undefined) {
        reads.push({ variable, defaulted: true });
        return defaultValue(fromEnv[2]);
      }
      failure ??= { kind: "unset", variable };
      return undefined;
    }
    const referenced = KEY.test(body.trim()) ? key(body.trim()) : undefined;
    if (referenced?.kind === "value") {
      reads.push(...referenced.env);
      return referenced.value;
    }
    failure ??= referenced?.kind === "unset" ? referenced : { kind: "unresolved", text: `\${${body}}` };
    return undefined;
  };
  const alone = ALONE.exec(text);
  const value = alone ? resolve(alone[1]!) : text.replace(ONE, (_, body: string) => String(resolve(body) ?? ""));
  return failure ?? { kind: "value", value, env: reads };
}

/**
 * A resolved string as the engine's typed config field reads it: Trinity-RFT's dataclasses and
 * verl's dataclass-backed config sections convert `"250"` to 250 and `"true"` to true.
 */
export function decode(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(value.trim())) return Number(value);
  if (value === "true" || value === "false") return value === "true";
  return value;
}

/** The default of `${oc.env:VAR,default}`: OmegaConf's grammar unquotes it, and `null` is no value. */
function defaultValue(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "null") return null;
  const quoted = /^(['"])(.*)\1$/s.exec(trimmed);
  return quoted ? quoted[2]! : trimmed;
}
