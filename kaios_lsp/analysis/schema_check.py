"""Validate a parsed manifest against its JSON Schema and place each error exactly.

The schemas (package data) carry ``x-kaios`` annotations that say what the phone does
with a wrong value: ``fails`` (the install fails), ``ignored`` (KaiOS ignores it) or
``store`` (the store rejects the submission). This module turns ``jsonschema`` errors into
findings that underline the right key or value and say that consequence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from .findings import Finding, Fix, Severity
from .json_edit import insert_member
from .json_tree import ArrayNode, Member, Node, ObjectNode, find_path
from .suggest import closest

UNKNOWN_MEMBER = "KAI101"
WRONG_TYPE = "KAI102"
INVALID_VALUE = "KAI103"
MISSING_MEMBER = "KAI104"
STORE_REQUIREMENT = "KAI105"
INVALID_FORMAT = "KAI106"

_EFFECT_TEXT = {
    "fails": "the install fails",
    "ignored": "KaiOS ignores it",
    "store": "the KaiStore rejects the submission",
}
_EFFECT_SEVERITY = {"fails": Severity.ERROR, "ignored": Severity.WARNING, "store": Severity.WARNING}

_JSON_TYPE_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A schema shipped in ``kaios_lsp/data/schemas`` (``manifest.webapp`` ...)."""
    text = (
        resources.files("kaios_lsp.data").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    )
    return json.loads(text)


@cache
def _validator(name: str) -> Draft7Validator:
    return Draft7Validator(load_schema(name))


def describe_path(path: Iterable[str | int]) -> str:
    """A readable JSON path: ``locales.fr.subtitle``, ``icons[0].src``."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[A-Za-z_$][\w$-]*", step):
            out += ("." if out else "") + step
        else:
            out += f"[{json.dumps(step)}]"
    return out or "the manifest"


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _consequence(
    annotation: dict | None, default: str = "ignored", keyword: str | None = None
) -> tuple[str, Severity, str | None]:
    """(text, severity, rule override) for an ``x-kaios`` annotation.

    An annotation may hold keyword-specific entries (``{"maxLength": {...}}``) when, say,
    a wrong type fails the install but a too-long value only bothers the store.
    """
    if annotation and keyword and isinstance(annotation.get(keyword), dict):
        annotation = annotation[keyword]
    effect = (annotation or {}).get("invalid", default)
    why = (annotation or {}).get("why")
    text = _EFFECT_TEXT.get(effect, _EFFECT_TEXT["ignored"])
    if why:
        text += f" ({why})"
    return text, _EFFECT_SEVERITY.get(effect, Severity.WARNING), (annotation or {}).get("rule")


class SchemaChecker:
    """Checks one parsed manifest against one schema."""

    def __init__(self, schema_name: str) -> None:
        self.schema_name = schema_name
        self.schema = load_schema(schema_name)
        self.validator = _validator(schema_name)

    def check(self, text: str, root: Node, value: object, broken: set[int]) -> list[Finding]:
        """Findings for ``value`` (the Python value of ``root``).

        ``broken`` holds ids of nodes whose value is missing or invalid JSON; errors at
        or under them are dropped (a syntax error was already reported there).
        """
        self._text = text
        findings: list[Finding] = []
        seen: set[tuple[str, int, int, str]] = set()
        errors = list(self.validator.iter_errors(value))
        # A value of the wrong type gets one finding, not also "not in enum"/"bad form".
        wrong_type = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        for error in errors:
            if (
                error.validator not in ("type", "required", "additionalProperties")
                and tuple(error.absolute_path) in wrong_type
            ):
                continue
            for finding in self._map(root, error, broken):
                key = (finding.rule, finding.start, finding.end, finding.message)
                if key not in seen:
                    seen.add(key)
                    findings.append(finding)
        return findings

    def _annotation(self, error: ValidationError) -> dict[str, str] | None:
        """The ``x-kaios`` annotation nearest to the failing keyword along its schema
        path, so an ``anyOf`` branch or an array item inherits its member's consequence."""
        steps = list(error.absolute_schema_path)
        keyword = steps.pop() if steps else None
        node: Any = self.schema
        found = node.get("x-kaios") if not steps else None
        for step in [*steps, None]:
            # jsonschema leaves "$ref" out of schema paths: follow it when the next step
            # (or the failing keyword) is not in the referring schema itself.
            wanted = step if step is not None else keyword
            while isinstance(node, dict) and "$ref" in node and wanted not in node:
                node = self._resolve(node["$ref"])
                if isinstance(node, dict) and "x-kaios" in node:
                    found = node["x-kaios"]
            if step is None:
                break
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict) and "x-kaios" in node:
                found = node["x-kaios"]
        return found

    def _resolve(self, ref: str) -> Any:
        node: Any = self.schema
        for part in ref.lstrip("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node

    # -- mapping -----------------------------------------------------------------

    def _map(self, root: Node, error: ValidationError, broken: set[int]) -> list[Finding]:
        path = list(error.absolute_path)
        target = find_path(root, path) if path else root
        if target is None:
            return []
        node = target.value if isinstance(target, Member) else target
        if node is None or _is_broken(node, broken):
            return []
        keyword = error.validator
        if keyword in ("anyOf", "oneOf"):
            return self._map_alternatives(root, error, broken, target)
        if keyword == "additionalProperties":
            return self._unknown_members(node, error)
        if keyword == "required":
            return self._missing(target, node, error)
        if keyword == "type":
            return [self._wrong_type(target, node, error, path)]
        if keyword == "enum":
            return [self._not_in_enum(target, node, error, path)]
        return [self._format(target, node, error, path)]

    def _map_alternatives(
        self, root: Node, error: ValidationError, broken: set[int], target: Node | Member
    ) -> list[Finding]:
        """For ``anyOf``: report the branch that matches the value's type, if any."""
        instance_type = _json_type(error.instance)
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context or ():
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        best: list[ValidationError] | None = None
        for errors in branches.values():
            type_mismatch = any(e.validator == "type" and not e.relative_path for e in errors)
            if not type_mismatch:
                best = errors
                break
        if best is not None:
            findings: list[Finding] = []
            for sub in best:
                findings.extend(self._map(root, sub, broken))
            return findings
        # Every branch wants another type: one finding listing the allowed types.
        allowed: list[str] = []
        for errors in branches.values():
            for e in errors:
                if e.validator == "type" and not e.relative_path:
                    types = (
                        e.validator_value
                        if isinstance(e.validator_value, list)
                        else [e.validator_value]
                    )
                    allowed.extend(t for t in types if t not in allowed)
        node = target.value if isinstance(target, Member) else target
        path = list(error.absolute_path)
        text, severity, rule = _consequence(self._annotation(error))
        names = " or ".join(_JSON_TYPE_NAMES.get(t, t) for t in allowed) or "another type"
        return [
            Finding(
                rule or WRONG_TYPE,
                node.start,
                node.end,
                f"{describe_path(path)} must be {names}, not {_JSON_TYPE_NAMES[instance_type]}: {text}.",
                severity=severity,
            )
        ]

    def _unknown_members(self, node: Node, error: ValidationError) -> list[Finding]:
        if not isinstance(node, ObjectNode):
            return []
        schema = error.schema
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        hints: dict[str, str] = schema.get("x-kaios-unknown-hints", {})
        renames: dict[str, str] = schema.get("x-kaios-renames", {})
        generic = schema.get("x-kaios-unknown")
        path = list(error.absolute_path)
        where = "at the top level" if not path else f"in {describe_path(path)}"
        findings: list[Finding] = []
        for member in node.members:
            name = member.key.value
            if not isinstance(name, str) or name in known or any(p.search(name) for p in patterns):
                continue
            key = member.key
            suggestions = [renames[name]] if name in renames else closest(name, known)
            suggestions = [s for s in suggestions if node.get(s) is None]
            if name in hints:
                message = f"Unknown member {json.dumps(name)} {where}: {hints[name]}."
            elif generic:
                message = f"{json.dumps(name)}: {generic}."
            else:
                message = f"Unknown member {json.dumps(name)} {where}: KaiOS ignores it."
            if suggestions and name not in hints:
                message += " Did you mean " + " or ".join(json.dumps(s) for s in suggestions) + "?"
            fixes = tuple(
                Fix.replace(
                    f"Rename to {json.dumps(s)}",
                    key.start,
                    key.end,
                    json.dumps(s),
                    safe=(i == 0 and len(suggestions) == 1),
                )
                for i, s in enumerate(suggestions)
            )
            findings.append(Finding(UNKNOWN_MEMBER, key.start, key.end, message, fixes=fixes))
        return findings

    def _missing(self, target: Node | Member, node: Node, error: ValidationError) -> list[Finding]:
        if not isinstance(node, ObjectNode) or not isinstance(error.instance, dict):
            return []
        if not node.closed:
            return []  # still being typed: the syntax error is enough
        annotations: dict[str, dict[str, str]] = error.schema.get("x-kaios-required", {})
        path = list(error.absolute_path)
        start, end = anchor_of_object(target, node)
        findings = []
        for name in error.validator_value:
            if name in error.instance:
                continue
            text, severity, rule = _consequence(annotations.get(name), default="fails")
            where = "" if not path else f" in {describe_path(path)}"
            placeholder = _placeholder(error.schema.get("properties", {}).get(name, {}))
            fix = insert_member_fix(self._text, node, name, placeholder, f"Add {json.dumps(name)}")
            findings.append(
                Finding(
                    rule or MISSING_MEMBER,
                    start,
                    end,
                    f"Missing required member {json.dumps(name)}{where}: {text}.",
                    fixes=(fix,) if fix else (),
                    severity=severity,
                )
            )
        return findings

    def _wrong_type(
        self, target: Node | Member, node: Node, error: ValidationError, path: list
    ) -> Finding:
        types = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        names = " or ".join(_JSON_TYPE_NAMES.get(t, t) for t in types)
        actual = _JSON_TYPE_NAMES[_json_type(error.instance)]
        text, severity, rule = _consequence(self._annotation(error))
        fixes: tuple[Fix, ...] = ()
        converted = _convert_scalar(error.instance, types)
        if converted is not None:
            fixes = (
                Fix.replace(f"Change to {converted}", node.start, node.end, converted, safe=True),
            )
        return Finding(
            rule or WRONG_TYPE,
            node.start,
            node.end,
            f"{describe_path(path)} must be {names}, not {actual}: {text}.",
            fixes=fixes,
            severity=severity,
        )

    def _not_in_enum(
        self, target: Node | Member, node: Node, error: ValidationError, path: list
    ) -> Finding:
        allowed = list(error.validator_value)
        shown = ", ".join(json.dumps(a) for a in allowed)
        text, severity, rule = _consequence(self._annotation(error))
        fixes: tuple[Fix, ...] = ()
        extra = ""
        if isinstance(error.instance, str):
            string_options = [a for a in allowed if isinstance(a, str)]
            best = closest(error.instance, string_options, max_results=1)
            if best:
                fixes = (
                    Fix.replace(
                        f"Change to {json.dumps(best[0])}",
                        node.start,
                        node.end,
                        json.dumps(best[0]),
                        safe=True,
                    ),
                )
                extra = f" Did you mean {json.dumps(best[0])}?"
            else:
                fixes = tuple(
                    Fix.replace(f"Change to {json.dumps(a)}", node.start, node.end, json.dumps(a))
                    for a in string_options[:3]
                )
        return Finding(
            rule or INVALID_VALUE,
            node.start,
            node.end,
            f"{json.dumps(error.instance)[:60]} is not a valid {describe_path(path)} (allowed: {shown}): {text}.{extra}",
            fixes=fixes,
            severity=severity,
        )

    def _format(
        self, target: Node | Member, node: Node, error: ValidationError, path: list
    ) -> Finding:
        keyword = error.validator
        value = error.validator_value
        where = describe_path(path)
        text, severity, rule = _consequence(self._annotation(error), keyword=keyword)
        if keyword == "maxLength":
            detail = (
                f"{where} is {len(error.instance)} characters long; at most {value} are allowed"
            )
        elif keyword == "minLength":
            detail = (
                f"{where} must not be empty"
                if value == 1
                else f"{where} needs at least {value} characters"
            )
        elif keyword == "pattern":
            detail = f"{json.dumps(error.instance)[:60]} is not in the expected form for {where}"
        elif keyword in ("minimum", "maximum"):
            detail = f"{where} must be {'at least' if keyword == 'minimum' else 'at most'} {value}"
        elif keyword == "maxProperties":
            detail = f"{where} must have at most {value} member{'s' if value != 1 else ''}"
        elif keyword == "minProperties":
            detail = f"{where} must have at least {value} member{'s' if value != 1 else ''}"
        else:
            detail = f"{where}: {error.message[:120]}"
        return Finding(
            rule or INVALID_FORMAT, node.start, node.end, f"{detail}: {text}.", severity=severity
        )


def _is_broken(node: Node, broken: set[int]) -> bool:
    current: Node | Member | None = node
    while current is not None:
        if id(current) in broken:
            return True
        current = current.parent
    return False


def anchor_of_object(target: Node | Member, node: Node) -> tuple[int, int]:
    """Where to report something missing from an object: its key, or its ``{``."""
    if isinstance(target, Member):
        return target.key.start, target.key.end
    parent = node.parent
    if isinstance(parent, Member):
        return parent.key.start, parent.key.end
    return node.start, node.start + 1


def _placeholder(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if schema.get("enum"):
        return json.dumps(schema.get("default", schema["enum"][0]))
    return {"object": "{}", "array": "[]", "boolean": "false", "integer": "0", "number": "0"}.get(
        kind or "", '""'
    )


def _convert_scalar(value: object, types: list[str]) -> str | None:
    """An obviously intended value of the right type, like "true" -> true."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if "boolean" in types and lowered in ("true", "false"):
            return lowered
        if ("integer" in types or "number" in types) and re.fullmatch(r"-?[0-9]+", value.strip()):
            return str(int(value))
    if isinstance(value, bool) and "string" in types:
        return json.dumps(str(value).lower())
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "string" in types:
        return json.dumps(str(value))
    return None


def insert_member_fix(
    text: str, obj: ObjectNode, name: str, value_text: str, title: str
) -> Fix | None:
    """A fix that adds ``"name": value`` as the last member of ``obj``, matching the
    surrounding indentation. ``None`` if the object is not closed (half-typed)."""
    if not obj.closed:
        return None
    return Fix.edits(title, [insert_member(text, obj, name, value_text)])


def iter_nodes(root: Node) -> Iterable[Node | Member]:
    """Every node and member of a tree, parents first, without recursion."""
    stack: list[Node | Member] = [root]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Member):
            if item.value is not None:
                stack.append(item.value)
        elif isinstance(item, ObjectNode):
            stack.extend(reversed(item.members))
        elif isinstance(item, ArrayNode):
            stack.extend(reversed(item.items))
