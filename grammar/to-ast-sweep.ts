/**
 * The CST → AST rules of the sweep items (docs/language.md §10), apart from to-ast.ts so that
 * each file holds one part of the grammar. `AstBuilder.visit` finds a rule's method by name, so
 * these rules are methods of the builder the parser entry point uses.
 */
import type { CstNode } from "./chevrotain.js";
import type * as A from "./ast.js";
import { AstBuilder, type Children, outermost } from "./to-ast.js";

export class RecipeAstBuilder extends AstBuilder {
  sweepItem(ctx: Children): A.SweepItem {
    const block = this.settingsOf(this.node(ctx, "settings"));
    return { kind: "sweep", block, span: this.extent(ctx, block.span) };
  }

  variantsItem(ctx: Children): A.VariantsItem {
    const node = this.node(ctx, "variantList");
    const list = node ? (this.visit(node) as A.VariantList) : { kind: "variantList" as const, variants: [], span: this.placeholderSpan() };
    return { kind: "variants", list, span: this.extent(ctx, list.span) };
  }

  variantList(ctx: Children): A.VariantList {
    const variants = this.nodes(ctx, "variant").map((n) => this.visit(n) as A.Variant);
    return { kind: "variantList", variants, span: this.extent(ctx, ...outermost(variants)) };
  }

  variant(ctx: Children): A.Variant {
    const name = this.declaredName(this.token(ctx, "declared"));
    const recipeToken = this.token(ctx, "StringLiteral");
    const recipe = recipeToken ? this.stringLit(recipeToken) : undefined;
    const node = this.node(ctx, "settings");
    const settings = node ? this.settingsOf(node) : undefined;
    return { kind: "variant", name, recipe, settings, span: this.extent(ctx, settings?.span) };
  }

  settings(ctx: Children): A.SettingsBlock {
    const settings = this.nodes(ctx, "override").map((n) => this.visit(n) as A.Override);
    return { kind: "settings", settings, span: this.extent(ctx, ...outermost(settings)) };
  }

  private settingsOf(node: CstNode | undefined): A.SettingsBlock {
    if (node === undefined) return { kind: "settings", settings: [], span: this.placeholderSpan() };
    return this.visit(node) as A.SettingsBlock;
  }
}
