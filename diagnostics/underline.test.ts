import { describe, expect, it } from "vitest";
import { painter } from "./color.js";
import { drawUnderlines, type Underline } from "./underline.js";

const draw = (underlines: Underline[]) => drawUnderlines(underlines, "error", painter(false));

describe("drawUnderlines", () => {
  it("puts a single span's label after its marks", () => {
    expect(draw([{ start: 2, end: 5, primary: true, label: "here" }])).toEqual(["  ^^^ here"]);
  });

  it("draws an unlabelled span as marks alone, with no trailing space", () => {
    expect(draw([{ start: 0, end: 1, primary: false }])).toEqual(["-"]);
  });

  it("hangs the labels of all but the rightmost span, rightmost first", () => {
    expect(
      draw([
        { start: 12, end: 15, primary: true, label: "c" },
        { start: 0, end: 3, primary: false, label: "a" },
        { start: 6, end: 9, primary: false, label: "b" },
      ]),
    ).toEqual(["---   ---   ^^^ c", "|     |", "|     b", "a"]);
  });

  it("lets the primary's carets win where spans overlap", () => {
    expect(
      draw([
        { start: 0, end: 8, primary: false, label: "whole call" },
        { start: 2, end: 4, primary: true, label: "this argument" },
      ]),
    ).toEqual(["--^^---- whole call", "  |", "  this argument"]);
  });

  it("hangs every label when the span reaching furthest right has none", () => {
    expect(
      draw([
        { start: 0, end: 2, primary: true, label: "a" },
        { start: 4, end: 6, primary: false },
      ]),
    ).toEqual(["^^  --", "|", "a"]);
  });

  it("paints primary marks in the severity's colour and secondary ones in the accent", () => {
    const [row] = drawUnderlines(
      [
        { start: 0, end: 1, primary: false },
        { start: 2, end: 3, primary: true, label: "x" },
      ],
      "warning",
      painter(true),
    );
    expect(row).toBe("\x1b[1;34m-\x1b[0m \x1b[1;33m^ x\x1b[0m");
  });
});
