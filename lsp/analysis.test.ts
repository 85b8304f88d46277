import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { checkRecipe } from "../compiler/check-recipe.js";
import { Reparser } from "../grammar/reparse.js";
import { mulberry32 } from "../runtime/ops/rng.js";
import { REPO_ROOT, recipeFiles } from "../test/recipes.js";
import { analyze } from "./analysis.js";

const EDITS_PER_RECIPE = 25;

describe("an open document edited keystroke by keystroke", () => {
  it("has, after every edit, exactly the diagnostics `roux check` gives its text", async () => {
    const random = mulberry32(20261207);
    for (const { file, source } of recipeFiles().filter((_, i) => i % 3 === 0)) {
      const absolute = path.join(REPO_ROOT, file);
      // What the server's workspace keeps between edits: each file's last clean parse.
      const context = { env: {}, open: () => undefined, openUri: () => undefined, reparser: new Reparser() };
      let document = TextDocument.create(pathToFileURL(absolute).href, "roux", 1, source);
      for (let i = 0; i < EDITS_PER_RECIPE; i++) {
        const analysis = await analyze(document, context);
        const command = await checkRecipe(absolute, document.getText());
        expect(analysis.program?.diagnostics, `${file} after ${i} edits`).toEqual(command.diagnostics);
        // A digit typed over another keeps most texts clean (the reused path); any other character breaks some.
        const at = document.positionAt(Math.floor(random() * document.getText().length));
        const digit = /\d/.exec(document.getText().slice(document.offsetAt(at)));
        const where = digit && random() < 0.7 ? document.positionAt(document.offsetAt(at) + digit.index) : at;
        const typed = random() < 0.7 ? String(Math.floor(random() * 10)) : " x={\n".charAt(Math.floor(random() * 5));
        document = TextDocument.update(
          document,
          [{ range: { start: where, end: { line: where.line, character: where.character + (random() < 0.5 ? 1 : 0) } }, text: typed }],
          document.version + 1,
        );
      }
    }
  });
});
