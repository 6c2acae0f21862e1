"""The esprima front end: ES2017 code -> :class:`JsTree` of plain ESTree nodes.

esprima is imported on first use (:func:`load_esprima`), with our own ``esprima.character``
(:mod:`.esprima_character`): esprima's classifies every Unicode code point at import, about
0.3 s and 120 MiB in every process that reads a small script.
"""

from __future__ import annotations

import sys
from types import ModuleType

from kaios_lsp.parse.js.tree import Comment, JsNode, JsTree, PlainNode


def load_esprima() -> ModuleType:
    """The esprima package, its character tables replaced by :mod:`.esprima_character`."""
    if "esprima" not in sys.modules:
        from kaios_lsp.parse.js import esprima_character

        sys.modules.setdefault("esprima.character", esprima_character)
    import esprima  # noqa: F401  (imported for sys.modules)

    return sys.modules["esprima"]


class EsprimaFailed(Exception):
    """esprima could not read the code: too new for it, a regex its checker rejects, a
    real syntax error, or nesting too deep for Python's recursion limit."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def parse_esprima(text: str, *, module: bool = False) -> JsTree:
    esprima = load_esprima()  # lazily: see the module docstring

    options = {"range": True, "comment": True}
    try:
        program = (esprima.parseModule if module else esprima.parseScript)(text, options)
    except esprima.Error as exc:
        offset = getattr(exc, "index", 0) or 0
        raise EsprimaFailed(str(getattr(exc, "description", exc)), offset) from None
    except RecursionError:
        raise EsprimaFailed("nesting too deep for esprima", 0) from None
    except Exception as exc:  # esprima-python has internal errors on odd input
        raise EsprimaFailed(f"esprima failed: {exc}", 0) from None
    root = _convert(program)
    comments = [
        Comment(c.range[0], c.range[1], c.value, c.type == "Block")
        for c in getattr(program, "comments", None) or []
    ]
    return JsTree(text, root, comments, "esprima")


def _plain_value(name: str, value: object) -> object:
    if name == "regex" and value is not None:
        return {"pattern": getattr(value, "pattern", ""), "flags": getattr(value, "flags", "")}
    return value


def _convert(program: object) -> JsNode:
    """Copy esprima's tree into PlainNodes with parents, iteratively."""
    root = PlainNode("Program", *_range(program), {})
    stack: list[tuple[object, PlainNode]] = [(program, root)]
    while stack:
        source, target = stack.pop()
        for name, value in vars(source).items():
            if name in ("type", "range", "loc", "comments", "leadingComments", "trailingComments"):
                continue
            if name == "isAsync":
                name = "async"
            if _is_node(value):
                child = _node(value, target)
                target.fields[name] = child
                stack.append((value, child))
            elif isinstance(value, list):
                items: list[object] = []
                for item in value:
                    if _is_node(item):
                        child = _node(item, target)
                        items.append(child)
                        stack.append((item, child))
                    else:
                        items.append(item)  # holes in array literals/patterns: None
                target.fields[name] = items
            elif source.__class__.__name__ == "TemplateElement" and name == "value":
                target.fields["cooked"] = getattr(value, "cooked", None)
                target.fields["raw"] = getattr(value, "raw", None)
            else:
                target.fields[name] = _plain_value(name, value)
        if target.type == "Literal" and target.fields.get("regex") is not None:
            target.fields["value"] = None  # esprima compiles it with Python's re: meaningless
    return root


def _is_node(value: object) -> bool:
    # esprima's objects answer None for any missing attribute: test the values
    return (
        isinstance(getattr(value, "type", None), str) and getattr(value, "range", None) is not None
    )


def _node(source: object, parent: PlainNode) -> PlainNode:
    node = PlainNode(source.type, *_range(source), {})  # type: ignore[attr-defined]
    node.parent = parent
    return node


def _range(source: object) -> tuple[int, int]:
    start, end = source.range  # type: ignore[attr-defined]
    return int(start), int(end)
