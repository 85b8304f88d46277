import { describe, expect, it } from "vitest";
import { pythonLiteral } from "./python-literal.js";
import {
  assignedValue,
  binding,
  branchValues,
  callArguments,
  classesOf,
  constantResolver,
  findFunction,
  functionOf,
  pythonBlocks,
  returned,
} from "./python-source.js";

const SOURCE = `"""Module docstring with a # that is no comment
and a second line."""
from typing import Optional  # a comment


@register(
    "name",  # inside brackets
)
class Loss(Base, metaclass=Meta):
    """Doc: class Fake(X): is text."""

    clip: Optional[
        float
    ] = None
    ratio: float = 3.0

    def __init__(self, backend: str = "verl", low: Optional[float] = None, *args, **kwargs) -> None:
        super().__init__(backend=backend)

    @classmethod
    def default_args(cls) -> dict:
        return {"low": 0.2,
                "mode": "token-mean"}


def pick(mode):
    if mode == "a":
        return 1
    elif mode in ("b", 'c'):
        return 2
    elif mode == "full":
        # not yet
        raise NotImplementedError
    else:
        x = {"k": 1}
    return 0
`;

describe("Python source read as text", () => {
  const blocks = pythonBlocks(SOURCE);

  it("nests statements by indentation, joins bracketed lines, and attaches decorators", () => {
    const loss = classesOf(blocks).get("Loss")!;
    expect(loss.bases).toEqual(["Base"]);
    expect(loss.decorators).toEqual(['register( "name", )']);
    expect(binding(loss.body[1]!.text)).toEqual({ name: "clip", annotation: "Optional[float]", value: "None" });
    expect(binding(loss.body[2]!.text)).toEqual({ name: "ratio", annotation: "float", value: "3.0" });
    expect(classesOf(blocks).has("Fake")).toBe(false);
  });

  it("reads a signature's parameters without self, and a method's returned expression", () => {
    const loss = classesOf(blocks).get("Loss")!;
    expect(functionOf(findFunction(loss.body, "__init__")!)?.params).toEqual([
      { name: "backend", annotation: "str", default: '"verl"' },
      { name: "low", annotation: "Optional[float]", default: "None" },
      { name: "args", star: "*" },
      { name: "kwargs", star: "**" },
    ]);
    const defaults = findFunction(loss.body, "default_args")!;
    expect(defaults.decorators).toEqual(["classmethod"]);
    expect(pythonLiteral(returned(defaults)!)).toEqual({ low: 0.2, mode: "token-mean" });
  });

  it("lists the values a function tells apart, leaving out those it raises on", () => {
    expect(branchValues(findFunction(blocks, "pick")!, "mode")).toEqual(["a", "b", "c"]);
  });

  it("finds assignments at any depth and splits a call's arguments", () => {
    expect(assignedValue(blocks, "x")).toBe('{"k": 1}');
    expect(callArguments('Registry("kl", default_mapping={"a": "m.A"}, x=f(1, 2))')).toEqual({
      callee: "Registry",
      positional: ['"kl"'],
      keywords: new Map([
        ["default_mapping", '{"a": "m.A"}'],
        ["x", "f(1, 2)"],
      ]),
    });
  });

  it("resolves module constants and enum members", () => {
    const resolve = constantResolver([`NAME = "explorer"\nclass Kind(Enum):\n    FILE = "file"\n    SQL = "sql"\n`]);
    expect(resolve("NAME")).toBe("explorer");
    expect(resolve("Kind.FILE.value")).toBe("file");
    expect(resolve("Kind.OTHER")).toBeUndefined();
  });
});
