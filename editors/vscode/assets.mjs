// Copies the files the manifest contributes (the language configuration and the TextMate
// grammar) from editors/ into this folder before packaging: editors/ is their one home, and
// the copies here are build output (.gitignore), never edited.
import { copyFileSync, readFileSync } from "node:fs";

const { languages = [], grammars = [] } = JSON.parse(readFileSync(new URL("package.json", import.meta.url), "utf8")).contributes;
for (const file of [...languages.map((l) => l.configuration), ...grammars.map((g) => g.path)]) {
  copyFileSync(new URL(`../${file}`, import.meta.url), new URL(file, import.meta.url));
}
