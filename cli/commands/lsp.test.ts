import { describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";

describe("roux lsp", () => {
  it("takes no files (the editor sends them) and says so with exit 2", async () => {
    const result = await runCli(["lsp", "recipes/arith/flagship.recipe"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: `roux lsp` takes no files/);
  });

  it("is listed by `roux help`, with how to start it", async () => {
    expect((await runCli(["help"])).stdout).toMatch(/^ {2}lsp +serve the Language Server Protocol over stdio/m);
    expect((await runCli(["lsp", "--help"])).stdout).toContain("see lsp/README.md");
  });
});
