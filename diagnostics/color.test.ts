import { describe, expect, it } from "vitest";
import { painter, shouldUseColor } from "./color.js";

const tty = { isTTY: true };
const pipe = {};

describe("shouldUseColor", () => {
  it("colours a terminal and not a pipe", () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
  });

  it("turns colour off for any non-empty NO_COLOR, and ignores an empty one", () => {
    expect(shouldUseColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "" })).toBe(true);
  });

  it("does not colour a dumb terminal", () => {
    expect(shouldUseColor(tty, { TERM: "dumb" })).toBe(false);
  });

  it("lets FORCE_COLOR turn colour on for a pipe, over NO_COLOR, or off with 0 or false", () => {
    expect(shouldUseColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "true", NO_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: "false" })).toBe(false);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "" })).toBe(false);
  });
});

describe("painter", () => {
  it("returns text unchanged without colour", () => {
    expect(painter(false)("error", "boom")).toBe("boom");
  });

  it("wraps text in the style's escape and a reset, leaving empty text empty", () => {
    const paint = painter(true);
    expect(paint("error", "boom")).toBe("\x1b[1;31mboom\x1b[0m");
    expect(paint("accent", "|")).toBe("\x1b[1;34m|\x1b[0m");
    expect(paint("bold", "")).toBe("");
  });
});
