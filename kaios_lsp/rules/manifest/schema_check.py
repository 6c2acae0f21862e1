"""Validate a parsed manifest against its JSON Schema and place each error exactly.

The schemas (package data) carry ``x-kaios`` annotations that say what the phone does
with a wrong value: ``fails`` (the install fails), ``ignored`` (KaiOS ignores it) or
``store`` (the store rejects the submission). This module turns ``jsonschema`` errors into
findings that underline the right key or value and say that consequence.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from kaios_lsp.app.manifest import preinstalled_value
from kaios_lsp.facts.schemas import load_schema
from kaios_lsp.findings import Finding
from kaios_lsp.parse.json.edit import indent_unit
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode
from kaios_lsp.rules.manifest.schema_findings import (
    SHALLOW_ORIGIN,
    ErrorFindings,
    JsonPath,
)
from kaios_lsp.rules.manifest.schema_values import REQUIRED_VALUE_READS

if TYPE_CHECKING:  # (jsonschema loads on the first manifest: 60 ms a check of scripts never needs)
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError


@cache
def _validator(name: str) -> Draft7Validator:
    from jsonschema import Draft7Validator

    return Draft7Validator(load_schema(name))


# Raw jsonschema errors of one member value, by (subschema id, the value's source text):
# while the user types in one member, every other member's result comes from here.
_MEMBER_CACHE: OrderedDict[tuple[int, str], list[ValidationError]] = OrderedDict()
_MEMBER_CACHE_SIZE = 4096
# SchemaChecker.check_groups: the group of the root object's own findings, and the
# members whose values they depend on
ROOT_GROUP = None
ROOT_GROUP_READS = REQUIRED_VALUE_READS
# (is the app store-reviewed, the indentation unit of the text): see SchemaChecker.basis
SchemaBasis = tuple[bool, str]
_SPLIT_DEPTH = 2  # the root, and maps such as locales, permissions and activities
_COMBINATORS = ("anyOf", "oneOf", "allOf", "not", "if", "dependencies", "dependentSchemas")

# Findings of a member's errors, relative to the member's start, by (subschema id, path,
# the member's text with its line's indentation, the document's indent unit, whether the
# store reviews the app).
_FindingsKey = tuple[int, JsonPath, str, str, bool]
_FINDINGS_CACHE: OrderedDict[_FindingsKey, list[Finding]] = OrderedDict()


@dataclass
class Unit:
    """The errors of one validation: a member value (cacheable) or an object itself."""

    prefix: JsonPath  # JSON path the errors' paths are relative to
    schema_prefix: JsonPath
    errors: list[ValidationError]
    member: Member | None
    schema: Any


class SchemaChecker(ErrorFindings):
    """Checks one parsed manifest against one schema.

    Objects are validated member by member (at the root, and one level down in maps
    such as ``locales``), and each member's result is cached by its source text, so an
    edit re-validates only the member it touches. ``split=False`` validates the whole
    value in one go; the two give the same findings (tested).
    """

    def __init__(self, schema_name: str, split: bool = True) -> None:
        self.schema_name = schema_name
        self.schema = load_schema(schema_name)
        self.validator = _validator(schema_name)
        self.split = split

    def check(self, text: str, root: Node, value: object, broken: set[int]) -> list[Finding]:
        """Findings for ``value`` (the Python value of ``root``).

        ``broken`` holds ids of nodes whose value is missing or invalid JSON; errors at
        or under them are dropped (a syntax error was already reported there).
        """
        return self.merged(self.check_groups(text, root, value, broken))

    def basis(self, text: str, value: object) -> SchemaBasis:
        """What every member's findings depend on besides the member itself: whether
        the store reviews the app (certified/core apps are never store-reviewed, so "the
        KaiStore rejects it" is moot) and the indentation fixes use."""
        return (not preinstalled_value(self.schema_name.split(".", 1)[1], value), indent_unit(text))

    def check_groups(
        self,
        text: str,
        root: Node,
        value: object,
        broken: set[int],
        kept: dict[str | None, list[Finding]] | None = None,
    ) -> dict[str | None, list[Finding]]:
        """The findings by top-level member name (ROOT_GROUP: the root object itself,
        whose findings depend on the member names, and on the members in
        ROOT_GROUP_READS for the values its "add the missing member" fixes write).

        ``kept`` gives members' findings known for this version already (reused across an
        edit elsewhere, computed with the same :meth:`basis`): those are not validated."""
        self._text = text
        self._store_reviewed, indent = self.basis(text, value)
        if kept and self.split and self._splits(root, value):
            # (of the root object, and of members still there by that name)
            kept = {
                name: found
                for name, found in kept.items()
                if name is ROOT_GROUP or root.get(name) is not None  # type: ignore[attr-defined]
            }
        else:
            kept = {}
        if self.split:
            units = self._split(self.schema, root, value, (), (), 0, None, skip=kept)
        else:
            units = [Unit((), (), list(self.validator.iter_errors(value)), None, None)]
        groups: dict[str | None, list[Finding]] = {}
        for unit in units:
            group = groups.setdefault(str(unit.prefix[0]) if unit.prefix else ROOT_GROUP, [])
            group.extend(self._unit_findings(root, unit, broken, indent))
        groups.update(kept)
        # in the order of the members, as one validation of the whole value gives them
        names = [m.key.value for m in root.members] if isinstance(root, ObjectNode) else []
        ordered = {name: groups[name] for name in [ROOT_GROUP, *names] if name in groups}
        return {**ordered, **groups}

    def _splits(self, root: Node, value: object) -> bool:
        """Is the root validated member by member (see :meth:`_split`)?"""
        schema = self.schema
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self._resolve(schema["$ref"])
        return (
            isinstance(schema, dict)
            and isinstance(value, dict)
            and isinstance(root, ObjectNode)
            and _is_object_schema(schema)
        )

    @staticmethod
    def merged(groups: dict[str | None, list[Finding]]) -> list[Finding]:
        """The findings of every group, each once."""
        findings: list[Finding] = []
        seen: set[tuple[str, int, int, str]] = set()
        for group in groups.values():
            for finding in group:
                key = (finding.rule, finding.start, finding.end, finding.message)
                if key not in seen:
                    seen.add(key)
                    findings.append(finding)
        return findings

    def _unit_findings(
        self, root: Node, unit: Unit, broken: set[int], indent: str
    ) -> list[Finding]:
        """The findings of one member's errors; remembered relative to the member, so an
        unchanged member costs a lookup while the user types elsewhere."""
        member = unit.member
        key: _FindingsKey | None = None
        if member is not None and unit.schema is not None:
            text = self._text
            line = text.rfind("\n", 0, member.start) + 1
            key = (
                id(unit.schema),
                unit.prefix,
                text[line : member.end],
                indent,
                self._store_reviewed,
            )
            cached = _FINDINGS_CACHE.get(key)
            if cached is not None:
                return [f.translated(member.start) for f in cached]
        # A value of the wrong type gets one finding, not also "not in enum"/"bad form".
        wrong_type = {
            (*unit.prefix, *e.absolute_path) for e in unit.errors if e.validator == "type"
        }
        mapped: list[Finding] = []
        for error in unit.errors:
            if (
                error.validator not in ("type", "required", "additionalProperties")
                and (*unit.prefix, *error.absolute_path) in wrong_type
            ):
                continue
            if not self._store_reviewed and self._store_only(error, unit.schema_prefix):
                continue
            mapped.extend(self._map(root, error, broken, unit.prefix, unit.schema_prefix))
        if key is not None and member is not None and _cacheable(mapped, member, broken):
            _FINDINGS_CACHE[key] = [f.translated(-member.start) for f in mapped]
            if len(_FINDINGS_CACHE) > _MEMBER_CACHE_SIZE:
                _FINDINGS_CACHE.popitem(last=False)
        return mapped

    # -- member-by-member validation ---------------------------------------------------

    def _split(
        self,
        schema: Any,
        node: Node,
        value: object,
        path: JsonPath,
        schema_path: JsonPath,
        depth: int,
        member: Member | None,
        skip: Container[str | None] = (),
    ) -> list[Unit]:
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self._resolve(schema["$ref"])
        if not (
            isinstance(schema, dict)
            and isinstance(value, dict)
            and isinstance(node, ObjectNode)
            and _is_object_schema(schema)
        ):
            return [Unit(path, schema_path, self._validate(schema, node, value), member, schema)]
        units = []
        if depth or ROOT_GROUP not in skip:
            units.append(Unit(path, schema_path, self._validate_shallow(schema, value), None, None))
        for child_member in node.members:
            name = child_member.key.value
            if depth == 0 and name in skip:
                continue  # (its findings are known: see check_groups)
            if (
                child_member.value is None
                or not isinstance(name, str)
                or node.get(name) is not child_member
            ):
                continue
            found = _subschema(schema, name)
            if found is None:
                continue
            sub, sub_path = found
            child_path, child_schema_path = (*path, name), (*schema_path, *sub_path)
            if depth + 1 < _SPLIT_DEPTH:
                units.extend(
                    self._split(
                        sub,
                        child_member.value,
                        value[name],
                        child_path,
                        child_schema_path,
                        depth + 1,
                        child_member,
                    )
                )
            else:
                errors = self._validate(sub, child_member.value, value[name])
                units.append(Unit(child_path, child_schema_path, errors, child_member, sub))
        return units

    def _validate_shallow(
        self, schema: dict[str, Any], value: dict[str, object]
    ) -> list[ValidationError]:
        """Errors of the object itself; they depend only on its member names."""
        shallow = _shallow(schema)
        key = (id(shallow), "\x00".join(value))
        cached = _MEMBER_CACHE.get(key)
        if cached is None:
            cached = list(self.validator.evolve(schema=shallow).iter_errors(value))
            _remember(key, cached)
        return cached

    def _validate(self, schema: Any, node: Node, value: object) -> list[ValidationError]:
        key = (id(schema), self._text[node.start : node.end])
        cached = _MEMBER_CACHE.get(key)
        if cached is not None:
            _MEMBER_CACHE.move_to_end(key)
            return cached
        errors = list(self.validator.evolve(schema=schema).iter_errors(value))
        _remember(key, errors)
        return errors

    def _annotation(
        self, error: ValidationError, schema_prefix: JsonPath = ()
    ) -> dict[str, Any] | None:
        """The ``x-kaios`` annotation nearest to the failing keyword along its schema
        path, so an ``anyOf`` branch or an array item inherits its member's consequence."""
        steps = [*schema_prefix, *error.absolute_schema_path]
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

    def _store_only(self, error: ValidationError, schema_prefix: JsonPath) -> bool:
        """True when the only consequence of ``error`` is a store rejection."""
        annotation = self._annotation(error, schema_prefix) or {}
        if isinstance(annotation.get(error.validator), dict):
            annotation = annotation[error.validator]
        return annotation.get("invalid") == "store"

    def _deref(self, schema: Any) -> Any:
        while isinstance(schema, dict) and "$ref" in schema:
            schema = self._resolve(schema["$ref"])
        return schema

    def _resolve(self, ref: str) -> Any:
        node: Any = self.schema
        for part in ref.lstrip("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node

    # -- mapping -----------------------------------------------------------------


def _cacheable(findings: list[Finding], member: Member, broken: set[int]) -> bool:
    """Findings can be reused while the member's text is unchanged only if they lie
    inside it and nothing in it is half-typed."""
    if (
        any(id(node) in broken for node in iter_nodes(member.value))
        if member.value is not None
        else True
    ):
        return False
    for finding in findings:
        offsets = [finding.start, finding.end]
        for fix in finding.fixes:
            for change in fix.changes:
                if change.path is not None or change.create:
                    return False
                offsets += [o for e in change.edits for o in (e.start, e.end)]
        offsets += [o for r in finding.related if r.path is None for o in (r.start, r.end)]
        if min(offsets) < member.start or max(offsets) > member.end:
            return False
    return True


def _remember(key: tuple[int, str], errors: list[ValidationError]) -> None:
    _MEMBER_CACHE[key] = errors
    if len(_MEMBER_CACHE) > _MEMBER_CACHE_SIZE:
        _MEMBER_CACHE.popitem(last=False)


def _is_object_schema(schema: dict[str, Any]) -> bool:
    """An object schema whose members can be validated one by one."""
    return any(
        k in schema for k in ("properties", "additionalProperties", "patternProperties")
    ) and not any(k in schema for k in _COMBINATORS)


_SHALLOW: dict[int, dict[str, Any]] = {}


def _shallow(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every member subschema made empty: it checks the object itself
    (type, required, unknown members) but does not descend into member values."""
    key = id(schema)
    if key not in _SHALLOW:
        shallow = dict(schema)
        if "properties" in shallow:
            shallow["properties"] = {name: {} for name in shallow["properties"]}
        if "patternProperties" in shallow:
            shallow["patternProperties"] = {p: {} for p in shallow["patternProperties"]}
        if isinstance(shallow.get("additionalProperties"), dict):
            shallow["additionalProperties"] = {}
        _SHALLOW[key] = shallow
        SHALLOW_ORIGIN[id(shallow)] = schema
    return _SHALLOW[key]


def _subschema(schema: dict[str, Any], name: str) -> tuple[Any, JsonPath] | None:
    """The schema a member is validated against, and its schema path."""
    properties = schema.get("properties", {})
    if name in properties:
        return properties[name], ("properties", name)
    for pattern, sub in schema.get("patternProperties", {}).items():
        if re.search(pattern, name):
            return sub, ("patternProperties", pattern)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return extra, ("additionalProperties",)
    return None


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


def schema_at(schema_name: str, path: list[str | int] | JsonPath) -> dict[str, Any] | None:
    """The subschema that describes the value at a JSON path (``$ref`` resolved; for
    ``anyOf`` the first object-like branch)."""
    root = load_schema(schema_name)

    def deref(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            node = target
        return node

    node: Any = deref(root)
    for step in path:
        if (
            isinstance(node, dict)
            and "anyOf" in node
            and not any(k in node for k in ("properties", "items"))
        ):
            branches = [deref(b) for b in node["anyOf"]]
            wanted = "array" if isinstance(step, int) else "object"
            node = next(
                (b for b in branches if b.get("type") == wanted), branches[0] if branches else {}
            )
        if not isinstance(node, dict):
            return None
        if isinstance(step, int):
            node = deref(node.get("items", {}))
            continue
        if step in node.get("properties", {}):
            node = deref(node["properties"][step])
            continue
        for pattern, sub in node.get("patternProperties", {}).items():
            if re.search(pattern, step):
                node = deref(sub)
                break
        else:
            extra = node.get("additionalProperties")
            if not isinstance(extra, dict):
                return None
            node = deref(extra)
    return node if isinstance(node, dict) else None
