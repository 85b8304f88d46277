import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parser } from "./parser.js";
import { RAILROAD_TITLE, railroadHtml } from "./railroad.js";

const html = railroadHtml();
const ruleNames = Object.keys(parser.getGAstProductions());

/**
 * Runs the page's inline scripts in a bare VM context whose `document` offers only what
 * chevrotain's diagram scripts touch, and returns what they write into the diagrams element.
 * This proves the inlined scripts define everything the page calls, without a browser or a DOM
 * library: the railroad library renders to SVG text, not DOM nodes.
 */
function renderDiagrams(page: string): string {
  const target = { innerHTML: "" };
  const window: Record<string, unknown> = {
    document: {
      getElementById: (id: string) => (id === "diagrams" ? target : null),
      getElementsByClassName: () => [],
    },
  };
  window.window = window;
  const context = createContext(window);
  for (const [, script = ""] of page.matchAll(/<script>([\s\S]*?)<\/script>/g)) runInContext(script, context);
  return target.innerHTML;
}

describe("railroadHtml", () => {
  it("is a titled HTML page", () => {
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).toContain(`<title>${RAILROAD_TITLE}</title>`);
    expect(RAILROAD_TITLE).toBe("Roux recipe grammar");
  });

  it("loads nothing from the network", () => {
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc\b/i);
    expect(html).not.toMatch(/@import/);
    expect(html).not.toContain("unpkg");
  });

  it("inlines chevrotain's diagram stylesheet", () => {
    expect(html).toMatch(/<style>[\s\S]*svg\.railroad-diagram path[\s\S]*<\/style>/);
  });

  it("draws a diagram for every grammar rule when its scripts run", () => {
    expect(ruleNames).toEqual(
      expect.arrayContaining(["file", "header", "item", "useItem", "letItem", "declItem", "rewardItem", "runItem", "expr", "block", "field", "args"]),
    );
    const drawn = renderDiagrams(html);
    for (const name of ruleNames) {
      expect(drawn).toMatch(new RegExp(`<h2 class="diagramHeader">${name}</h2><svg class="railroad-diagram"`));
    }
    // Each rule's SVG names the rules it refers to, so the diagrams link up.
    expect(drawn).toContain('ruleName="useItem"');
    expect(drawn).toContain('ruleName="expr"');
  });
});
