import { describe, expect, it } from "vitest";
import { compareVersionsDescending, isVersion, parseRecipeName, parseVersionRef, useLine } from "./names.js";

describe("registry names", () => {
  it("takes owners, names and versions a `registry:` import can name, and nothing a path could abuse", () => {
    expect(parseVersionRef("alice/arith-prm@1.20.3")).toEqual({ owner: "alice", name: "arith-prm", version: "1.20.3" });
    for (const bad of ["Alice/x", "alice/../x", "alice/x/y", "-alice/x", "alice/.x", "alice/x%2f", "a_b/x", `${"a".repeat(40)}/x`, "alice/"]) {
      expect(parseRecipeName(bad), bad).toBeUndefined();
    }
    for (const bad of ["1.0", "1.0.0-beta", "01.0.0", "1.0.0.0", "v1.0.0", "1.0.1234567890"]) expect(isVersion(bad), bad).toBe(false);
  });

  it("orders versions by number, newest first", () => {
    expect(["1.9.0", "1.10.0", "0.2.11", "1.10.2", "0.2.9"].sort(compareVersionsDescending)).toEqual(["1.10.2", "1.10.0", "1.9.0", "0.2.11", "0.2.9"]);
  });

  it("writes the use line with an alias the language takes", () => {
    expect(useLine({ owner: "alice", name: "arith-prm", version: "1.0.0" }, "ab")).toBe('use "registry:alice/arith-prm@1.0.0" sha256 "ab" as arith_prm');
    expect(useLine({ owner: "alice", name: "3-step", version: "1.0.0" }, "ab")).toMatch(/ as r_3_step$/);
    expect(useLine({ owner: "alice", name: "data", version: "1.0.0" }, "ab")).toMatch(/ as r_data$/);
  });
});
