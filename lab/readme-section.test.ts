import { describe, expect, it } from "vitest";
import { replaceSection } from "./readme-section.js";

describe("the README's generated lab section", () => {
  it("replaces only what is between the markers, again and again", () => {
    const text = "# T\n<!-- lab:begin -->\nold\n<!-- lab:end -->\nafter\n";
    const once = replaceSection(text, "lab", "new table");
    expect(once).toBe("# T\n<!-- lab:begin -->\nnew table\n<!-- lab:end -->\nafter\n");
    expect(replaceSection(once, "lab", "new table")).toBe(once);
  });

  it("refuses a file without the markers rather than appending somewhere", () => {
    expect(() => replaceSection("# T\n", "lab", "x")).toThrow(/no <!-- lab:begin -->/);
  });
});
