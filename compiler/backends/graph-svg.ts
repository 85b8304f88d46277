/**
 * `roux graph --format svg`, and the stage graph on the registry's recipe page: the plan's
 * drawing (drawing.ts) laid out without Graphviz, which a registry server should not need.
 * Stages are columns in run order, each node a box below the one before it (plan order is a
 * topological order), data arrows between neighbours go straight down, longer ones bow out to
 * the right, and the arrows between stages (then, KL ref) run from one column to the next.
 * Text is monospace, so a box's width follows from its longest line.
 */
import type { Plan } from "../../plan/plan.js";
import { drawPlan, type Arrow, type Box } from "./drawing.js";

const CHAR = 7.3;
const LINE = 15;
const PAD = 8;
const GAP = 26;
const TITLE = 28;
const MARGIN = 20;
/** Room beside a column for the arrows that bow out to its right and for the ones between stages. */
const LANE = 90;

interface Placed {
  box: Box;
  x: number;
  y: number;
  width: number;
  height: number;
  column: number;
  row: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function textWidth(text: string): number {
  return [...text].length * CHAR;
}

export function graphSvg(plan: Plan): string {
  const { clusters, arrows } = drawPlan(plan);
  const placed = new Map<string, Placed>();
  const columns: { x: number; width: number; height: number; title: string }[] = [];
  let x = MARGIN;
  clusters.forEach((cluster, column) => {
    const width = Math.max(textWidth(cluster.title), ...cluster.boxes.map((b) => Math.max(textWidth(b.label), textWidth(b.output ?? "")))) + 2 * PAD;
    let y = MARGIN + TITLE;
    cluster.boxes.forEach((box, row) => {
      const height = (box.output ? 2 : 1) * LINE + 2 * PAD;
      placed.set(box.key, { box, x, y, width, height, column, row });
      y += height + GAP;
    });
    columns.push({ x, width, height: y - GAP - MARGIN + PAD, title: cluster.title });
    x += width + LANE;
  });
  const totalWidth = x - LANE + MARGIN + LANE / 2;
  const totalHeight = Math.max(...columns.map((c) => c.height)) + 2 * MARGIN;

  const parts: string[] = [];
  for (const column of columns) {
    parts.push(`<rect class="stage" x="${column.x - PAD}" y="${MARGIN - PAD}" width="${column.width + 2 * PAD}" height="${column.height}" rx="6"/>`);
    parts.push(`<text class="title" x="${column.x}" y="${MARGIN + 10}">${escapeXml(column.title)}</text>`);
  }
  for (const arrow of arrows) parts.push(arrowPath(arrow, placed.get(arrow.from)!, placed.get(arrow.to)!));
  for (const { box, x: bx, y, width, height } of placed.values()) {
    parts.push(`<g class="node"><rect x="${bx}" y="${y}" width="${width}" height="${height}" rx="3"/>`);
    parts.push(`<text x="${bx + PAD}" y="${y + PAD + 11}">${escapeXml(box.label)}</text>`);
    if (box.output) parts.push(`<text class="output" x="${bx + PAD}" y="${y + PAD + LINE + 11}">${escapeXml(box.output)}</text>`);
    parts.push("</g>");
  }
  const [w, h] = [Math.ceil(totalWidth), Math.ceil(totalHeight)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="roux-graph" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img">`,
    `<title>${escapeXml(plan.recipe.name)}: stage graph</title>`,
    '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
    "<style>text{font:12px monospace;fill:#222}.title{font-weight:bold}.output{fill:#666}.stage{fill:#f6f8fa;stroke:#d0d7de}" +
      ".node rect{fill:#fff;stroke:#57606a}path{fill:none;stroke:#555}.next{stroke-dasharray:6 4}.ref{stroke-dasharray:2 3;stroke:#8250df}</style>",
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

function arrowPath(arrow: Arrow, from: Placed, to: Placed): string {
  let d: string;
  if (from.column !== to.column) {
    // Between stages: from the source's right side to the target's left side.
    const sx = from.x + from.width;
    const sy = from.y + from.height / 2;
    const tx = to.x;
    const ty = to.y + to.height / 2;
    const bend = (tx - sx) / 2;
    d = `M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}`;
  } else if (to.row === from.row + 1) {
    const cx = from.x + Math.min(from.width, to.width) / 2;
    d = `M${cx},${from.y + from.height} L${cx},${to.y}`;
  } else {
    // A longer arrow bows out to the right, further the more rows it skips, so they do not overlap.
    const sx = from.x + from.width;
    const sy = from.y + from.height / 2;
    const ty = to.y + to.height / 2;
    const bow = Math.min(LANE / 2 - 4, 12 + 8 * (to.row - from.row));
    d = `M${sx},${sy} C${sx + bow},${sy} ${sx + bow},${ty} ${sx},${ty}`;
  }
  return `<path class="${arrow.kind}" d="${d}" marker-end="url(#head)"/>`;
}
