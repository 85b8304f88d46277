import { describe, expect, it } from "vitest";
import { yamlKeyPaths } from "./yaml-keys.js";

describe("the key list of a YAML config", () => {
  it("lists every path once, maps and leaves, in file order, with lists of maps as []", () => {
    const text = [
      "actor:",
      "  optim:",
      "    lr: 1.0e-06",
      "  'n': 1",
      "logger:",
      "- console",
      "stages:",
      "- name: a",
      "  mode: train",
      "- name: b",
      "empty: {}",
    ].join("\n");
    expect(yamlKeyPaths(text)).toEqual(["actor", "actor.optim", "actor.optim.lr", "actor.n", "logger", "stages", "stages[].name", "stages[].mode", "empty"]);
  });
});
