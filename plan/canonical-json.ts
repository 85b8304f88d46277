/**
 * A value as JSON with every object's keys sorted: two values that are equal give the same text,
 * whatever order their fields were written in. What the plan's passes and `roux compare` use to
 * tell whether two parts of plans are the same.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    // An undefined field is left out, as JSON.stringify leaves it out. Keys are sorted by code
    // unit, not by locale: any fixed order serves, and the first localeCompare of a process
    // loads ICU's collation, which cost `roux check` about a tenth of its start-up
    // (docs/architecture.md "Start-up").
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
