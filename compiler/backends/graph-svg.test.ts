import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { planOfFile } from "../plan/testing.js";
import { drawPlan } from "./drawing.js";
import { graphSvg } from "./graph-svg.js";

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

describe("graph SVG", () => {
  const plan = planOfFile("recipes/arith/flagship.recipe");
  const svg = graphSvg(plan);
  const drawing = drawPlan(plan);

  it("draws every stage, every box with its output, and every arrow by kind", () => {
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, text = ""]) => unescapeXml(text));
    for (const cluster of drawing.clusters) {
      expect(texts).toContain(cluster.title);
      for (const box of cluster.boxes) {
        expect(texts).toContain(box.label);
        if (box.output) expect(texts).toContain(box.output);
      }
    }
    const paths = [...svg.matchAll(/<path class="(\w+)" d="[^"]+" marker-end="url\(#head\)"\/>/g)].map((m) => m[1]);
    expect(paths).toHaveLength(drawing.arrows.length);
    expect(paths.filter((kind) => kind === "ref")).toHaveLength(drawing.arrows.filter((a) => a.kind === "ref").length);
    expect(paths).toContain("next");
  });

  it("is an image an SVG renderer draws at its declared size", () => {
    const [, width, height] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
    const rendered = new Resvg(svg).render();
    expect([rendered.width, rendered.height]).toEqual([Number(width), Number(height)]);
  });
});
