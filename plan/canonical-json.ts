/**
 * A value as JSON with every object's keys sorted: two values that are equal give the same text,
 * whatever order their fields were written in. What the plan's passes and `roux compare` use to
 * tell whether two parts of plans are the same.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    // An undefined field is left out, as JSON.stringify leaves it out.
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
