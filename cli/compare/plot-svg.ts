/**
 * The comparison as small multiples, one SVG: a panel per metric of series.ts (2 by 2), each
 * row of the table a colour in every panel, with one legend above them all. A grouped row is
 * its mean curve over a light band from the min to the max of its runs. All panels share the
 * x axis (global steps, from `fromStep`), so a stage boundary (a dashed line) sits at the same
 * place in each. Rows beyond the palette's ten colours take them again, dashed, then dotted.
 * Every element is plain SVG 1.1 that resvg renders (png.ts): no CSS, no scripts.
 */
import { rowCurve, type BandPoint, type Row } from "./group.js";
import { METRICS, type StageMark } from "./series.js";
import { niceScale, type Scale } from "./ticks.js";

export const FONT_FAMILY = "DejaVu Sans, Arial, sans-serif";

/** Distinct at a glance and for the common colour blindnesses; rows beyond ten reuse them with a dash pattern. */
const PALETTE = ["#1b6ca8", "#e0701b", "#2e9e4a", "#c43b3b", "#7d55b5", "#8a5a44", "#d45bae", "#6f6f6f", "#a3a81f", "#1fa8b8"] as const;

/** The line of each round of the palette: solid, dashed, dotted (a sweep of many variants has more rows than colours). */
const DASHES = ["", "7,3", "2,2"] as const;

const WIDTH = 960;
const PANEL = { width: 480, height: 290 };
const MARGIN = { left: 62, right: 18, top: 34, bottom: 46 };
const LEGEND = { top: 14, row: 20, swatch: 22, gap: 18, charWidth: 7.2 };

/** One row's curve of one metric, in the row's colour. */
interface Line {
  readonly row: Row;
  readonly colour: string;
  readonly dash: string;
  readonly curve: readonly BandPoint[];
}

/** `fromStep` leaves out what comes before that global step: a warm-up every run shares, say. */
export function plotSvg(rows: readonly Row[], fromStep = 0): string {
  const legend = legendOf(rows);
  const lineOf = (row: Row, i: number, metric: (typeof METRICS)[number]): Line => ({
    row,
    colour: colour(i),
    dash: dash(i),
    curve: rowCurve(row, metric.key).filter((p) => p.x >= fromStep),
  });
  const charts = METRICS.map((metric) => ({ metric, lines: rows.map((row, i) => lineOf(row, i, metric)) }));
  const x = niceScale(fromStep, Math.max(fromStep + 1, extent(charts.flatMap((c) => c.lines.flatMap((l) => l.curve.map((p) => p.x))))[1]));
  const marks = stageMarks(rows).filter((mark) => mark.x >= fromStep);
  const panels = charts.map(({ metric, lines }, i) => {
    const left = (i % 2) * PANEL.width;
    const top = legend.height + Math.floor(i / 2) * PANEL.height;
    return `<g transform="translate(${left},${top})">\n${panel(metric, lines, x, marks)}</g>\n`;
  });
  const height = legend.height + Math.ceil(METRICS.length / 2) * PANEL.height;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}">\n` +
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>\n${legend.svg}${panels.join("")}</svg>\n`
  );
}

function colour(i: number): string {
  return PALETTE[i % PALETTE.length] ?? PALETTE[0];
}

/** A `stroke-dasharray` attribute for row `i`, or nothing for the first ten rows. */
function dash(i: number): string {
  const pattern = DASHES[Math.floor(i / PALETTE.length) % DASHES.length] ?? "";
  return pattern === "" ? "" : ` stroke-dasharray="${pattern}"`;
}

/** Swatches and names in rows across the top; a name's width is estimated from its length. */
function legendOf(rows: readonly Row[]): { svg: string; height: number } {
  const items: string[] = [];
  let left = MARGIN.left;
  let line = 0;
  rows.forEach((row, i) => {
    const width = LEGEND.swatch + 6 + row.label.length * LEGEND.charWidth;
    if (left + width > WIDTH - MARGIN.right && left > MARGIN.left) {
      left = MARGIN.left;
      line++;
    }
    const y = LEGEND.top + line * LEGEND.row;
    items.push(
      `<line x1="${left}" y1="${y}" x2="${left + LEGEND.swatch}" y2="${y}" stroke="${colour(i)}" stroke-width="3"${dash(i)}/>` +
        `<text x="${left + LEGEND.swatch + 6}" y="${y + 4}" font-size="12" fill="#222222">${escapeXml(row.label)}</text>\n`,
    );
    left += width + LEGEND.gap;
  });
  return { svg: `<g>\n${items.join("")}</g>\n`, height: LEGEND.top + (line + 1) * LEGEND.row };
}

/** Where stages begin, once per place; runs with different stages there name them all. */
function stageMarks(rows: readonly Row[]): StageMark[] {
  const names = new Map<number, Set<string>>();
  for (const mark of rows.flatMap((row) => row.runs.flatMap((run) => run.stageMarks))) {
    names.set(mark.x, (names.get(mark.x) ?? new Set()).add(mark.stage));
  }
  return [...names].map(([x, stages]) => ({ x, stage: [...stages].join(", ") }));
}

function panel(metric: (typeof METRICS)[number], lines: readonly Line[], x: Scale, marks: readonly StageMark[]): string {
  const plot = { left: MARGIN.left, top: MARGIN.top, width: PANEL.width - MARGIN.left - MARGIN.right, height: PANEL.height - MARGIN.top - MARGIN.bottom };
  const points = lines.flatMap((l) => l.curve);
  const y = points.length === 0 ? niceScale(0, 1) : niceScale(extent(points.map((p) => p.lo))[0], extent(points.map((p) => p.hi))[1]);
  const px = (v: number) => round(plot.left + ((v - x.lo) / (x.hi - x.lo)) * plot.width);
  const py = (v: number) => round(plot.top + plot.height - ((v - y.lo) / (y.hi - y.lo)) * plot.height);
  const bottom = plot.top + plot.height;
  const out: string[] = [
    `<text x="${PANEL.width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold" fill="#222222">${escapeXml(metric.title)}</text>\n`,
  ];
  x.ticks.forEach((t, i) => {
    out.push(`<line x1="${px(t)}" y1="${plot.top}" x2="${px(t)}" y2="${bottom}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${px(t)}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="#444444">${x.labels[i]}</text>\n`);
  });
  y.ticks.forEach((t, i) => {
    out.push(`<line x1="${plot.left}" y1="${py(t)}" x2="${plot.left + plot.width}" y2="${py(t)}" stroke="#e6e6e6"/>`);
    out.push(`<text x="${plot.left - 6}" y="${py(t) + 4}" text-anchor="end" font-size="11" fill="#444444">${y.labels[i]}</text>\n`);
  });
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#888888"/>\n`);
  for (const mark of marks) {
    out.push(`<line x1="${px(mark.x)}" y1="${plot.top}" x2="${px(mark.x)}" y2="${bottom}" stroke="#999999" stroke-width="0.8" stroke-dasharray="4,3"/>`);
    out.push(`<text x="${px(mark.x) + 3}" y="${plot.top + 11}" font-size="9" fill="#777777">${escapeXml(mark.stage)}</text>\n`);
  }
  for (const { row, colour, dash, curve } of lines) {
    if (curve.length === 0) continue;
    if (row.runs.length > 1) {
      const outline = [...curve.map((p) => `${px(p.x)},${py(p.hi)}`), ...[...curve].reverse().map((p) => `${px(p.x)},${py(p.lo)}`)];
      out.push(`<path class="band" d="M${outline.join("L")}Z" fill="${colour}" fill-opacity="0.18" stroke="none"/>\n`);
    }
    const line = curve.map((p) => `${px(p.x)},${py(p.mean)}`).join("L");
    out.push(`<path class="line" d="M${line}" fill="none" stroke="${colour}" stroke-width="1.6" stroke-linejoin="round"${dash}/>\n`);
    // Evals are a few points apart, and a curve of one point has no line to see.
    if (metric.key === "accuracy" || curve.length === 1) {
      for (const p of curve) out.push(`<circle cx="${px(p.x)}" cy="${py(p.mean)}" r="2.6" fill="${colour}"/>`);
      out.push("\n");
    }
  }
  if (points.length === 0) {
    out.push(`<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height / 2}" text-anchor="middle" font-size="12" fill="#999999">no data</text>\n`);
  }
  out.push(`<text x="${plot.left + plot.width / 2}" y="${bottom + 36}" text-anchor="middle" font-size="12" fill="#222222">global step</text>\n`);
  const yMid = plot.top + plot.height / 2;
  out.push(`<text x="16" y="${yMid}" transform="rotate(-90 16 ${yMid})" text-anchor="middle" font-size="12" fill="#222222">${escapeXml(metric.axis)}</text>\n`);
  return out.join("");
}

/** A loop, not Math.max(...values): a long run has more points than a call has arguments. */
function extent(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
