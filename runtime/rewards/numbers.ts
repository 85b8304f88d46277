/**
 * Reading a number out of the text a model wrote (numeric_match). What a person would write as an
 * answer is accepted, anything else is not a number (the response then scores 0):
 *
 * - an optional sign, `+` or `-`: `-3`, `+3`;
 * - digits, optionally grouped in thousands with commas: `1234`, `1,234`, `12,345,678` (a comma
 *   anywhere else, `1,23`, is not a thousands separator and the text is not a number);
 * - an optional decimal part and exponent: `2.50`, `.5`, `5.`, `1e3`, `2.5E-2`;
 * - a fraction of two integers: `3/4`, `-3/4`, `3 / 4` (the value 0.75); a zero denominator is
 *   not a number.
 *
 * Surrounding whitespace is ignored. Not numbers: `Infinity`, `NaN`, hexadecimal, a number with
 * units or currency (`$5`, `5%`: write the extraction regex to leave them out), and a value
 * that overflows to infinity.
 */

const DECIMAL = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;

export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  const fraction = FRACTION.exec(trimmed);
  if (fraction) {
    const denominator = Number(fraction[2]);
    if (denominator === 0) return undefined;
    return finite(Number(fraction[1]) / denominator);
  }
  // The pattern allows an empty mantissa (all its parts are optional); a digit is required.
  if (!DECIMAL.test(trimmed) || !/\d/.test(trimmed.replace(/[eE].*$/, ""))) return undefined;
  return finite(Number(trimmed.replaceAll(",", "")));
}

function finite(value: number): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}
