/**
 * The order a module's declarations are checked in, so that checking one never descends a long
 * chain of others. A declaration is checked on first use (module.ts), so a chain written top
 * down, `let a3 = a2`, `let a2 = a1`, ..., would recurse once per declaration and overflow the
 * stack on a long one (docs/language.md §9 "Nesting"). Checked with the declarations it names
 * first, deepest first, each finds those already checked. A declaration that leads into a cycle
 * is left out and checked in source order as before: which declaration of a cycle is entered
 * first decides where the cycle is reported (E2101).
 */
import type * as A from "../../grammar/ast.js";
import type { Declaration } from "./scope.js";

export function dependencyOrder(declarations: ReadonlyMap<string, Declaration>): Declaration[] {
  const state = new Map<Declaration, "open" | "done" | "cyclic">();
  const order: Declaration[] = [];
  // A depth-first walk with its own stack: a frame per declaration entered, with the
  // declarations it names still to visit.
  const stack: { declaration: Declaration; next: Declaration[]; cyclic: boolean }[] = [];
  const enter = (declaration: Declaration): void => {
    state.set(declaration, "open");
    const next = [...namesIn(declaration.item.value)].flatMap((name) => declarations.get(name) ?? []);
    stack.push({ declaration, next, cyclic: false });
  };
  for (const root of declarations.values()) {
    if (state.has(root)) continue;
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const named = frame.next.pop();
      if (named !== undefined) {
        const seen = state.get(named);
        if (seen === undefined) enter(named);
        else if (seen !== "done") frame.cyclic = true;
        continue;
      }
      stack.pop();
      state.set(frame.declaration, frame.cyclic ? "cyclic" : "done");
      if (frame.cyclic) {
        const parent = stack[stack.length - 1];
        if (parent) parent.cyclic = true;
      } else {
        order.push(frame.declaration);
      }
    }
  }
  return order;
}

/** Every name an expression uses, found with a work list rather than recursion. */
function namesIn(expr: A.Expr): Set<string> {
  const names = new Set<string>();
  const todo: A.Expr[] = [expr];
  for (let e = todo.pop(); e !== undefined; e = todo.pop()) {
    switch (e.kind) {
      case "ident":
        names.add(e.name);
        break;
      case "list":
        for (const item of e.items) todo.push(item);
        break;
      case "block":
        for (const field of e.fields) todo.push(field.value);
        break;
      case "paren":
        todo.push(e.expr);
        break;
      case "unary":
        todo.push(e.operand);
        break;
      case "binary":
        todo.push(e.left, e.right);
        break;
      case "member":
        todo.push(e.object);
        break;
      case "call":
        todo.push(e.callee);
        for (const arg of e.args) todo.push(arg.value);
        break;
      case "blockCall":
        todo.push(e.callee, e.block);
        break;
      case "with":
        todo.push(e.base, e.block);
        break;
    }
  }
  return names;
}
