/** The first row: recipe, hash and run directory, cut to fit (the directory keeps its end, its name). */
import { Text } from "ink";
import type { RunView } from "./run-state.js";

export function Header({ view, width }: { view: RunView; width: number }) {
  const recipe = view.recipe ?? "(starting)";
  const hash = view.hash === undefined ? "" : `${view.hash.slice(0, 13)}…`;
  const room = width - recipe.length - hash.length - 4;
  const dir = view.dir.length <= room ? view.dir : room > 1 ? `…${view.dir.slice(view.dir.length - room + 1)}` : "";
  return (
    <Text wrap="truncate">
      <Text bold>{recipe}</Text>
      {hash && <Text dimColor>{`  ${hash}`}</Text>}
      {dir && `  ${dir}`}
    </Text>
  );
}
