/**
 * Turns a recipe file's bytes into its text. Source text is UTF-8 (docs/language.md §2): a byte
 * sequence that is not UTF-8 is E0004 at the first bad byte, never silently replaced, so that
 * `roux fmt --write` cannot turn the bytes into U+FFFD and `roux check` cannot pass them.
 */
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex } from "../diagnostics/span.js";

export interface SourceText {
  /** The text; when `diagnostics` is not empty, bad bytes read as U+FFFD so spans can show them. */
  readonly text: string;
  /** E0004 for the first invalid sequence, or nothing. */
  readonly diagnostics: readonly Diagnostic[];
}

// `ignoreBOM` keeps a leading byte-order mark in the text, as the text was always read.
const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

export function decodeSource(bytes: Uint8Array, file: string): SourceText {
  try {
    return { text: strict.decode(bytes), diagnostics: [] };
  } catch {
    const text = lenient.decode(bytes);
    const byte = firstInvalidByte(bytes);
    // The bytes before `byte` are valid, so they decode to the text before the U+FFFD.
    const offset = lenient.decode(bytes.subarray(0, byte)).length;
    const index = new LineIndex(text);
    const span = { file, start: index.position(offset), end: index.position(offset + 1) };
    return { text, diagnostics: [diagnostic("E0004", { byte }, span, { label: "not UTF-8", help: "save the file as UTF-8" })] };
  }
}

/** The offset of the lead byte of the first sequence that is not UTF-8 (the WHATWG table), or `bytes.length`. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // The length of the sequence and the range of its second byte; later bytes are 80..BF.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f; // no UTF-16 surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return bytes.length;
}
