"""Validate a parsed manifest against its JSON Schema and place each error exactly.

The schemas (package data) carry ``x-kaios`` annotations that say what the phone does
with a wrong value: ``fails`` (the install fails), ``ignored`` (KaiOS ignores it) or
``store`` (the store rejects the submission). This module turns ``jsonschema`` errors into
findings that underline the right key or value and say that consequence.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from kaios_lsp.app.manifest import preinstalled_value
from kaios_lsp.facts.schemas import load_schema
from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import indent_unit, insert_member, remove_member
from kaios_lsp.parse.json.nodes import ArrayNode, Member, Node, ObjectNode, find_path
from kaios_lsp.rules.suggest import closest

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
    # filters that are not an object: Gecko walks their property names ("0", "1"... of a
    # list or a string), which no activity data has (kaiostech/gecko-b2g
    # dom/b2g/activities/ActivitiesServiceFilter.jsm; 2.5 has the same algorithm).
    "unfiltered": "the handler is still registered, but its filters are read by property name "
    '("0", "1"... of a list), so they filter nothing and the app is offered for every request of '
    "this activity",
    "truthy": 'Gecko only tests it for truth, so any non-empty string (even "false") counts as true',
    "unconfirmed": "what KaiOS does with it is not confirmed",
}
_EFFECT_SEVERITY = {
    "fails": Severity.ERROR,
    "ignored": Severity.WARNING,
    "store": Severity.WARNING,
    "unfiltered": Severity.WARNING,
    "truthy": Severity.WARNING,
    "unconfirmed": Severity.INFO,
}

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


# Raw jsonschema errors of one member value, by (subschema id, the value's source text):
# while the user types in one member, every other member's result comes from here.
_MEMBER_CACHE: OrderedDict[tuple[int, str], list[ValidationError]] = OrderedDict()
_MEMBER_CACHE_SIZE = 4096
_SPLIT_DEPTH = 2  # the root, and maps such as locales, permissions and activities
_COMBINATORS = ("anyOf", "oneOf", "allOf", "not", "if", "dependencies", "dependentSchemas")

# Findings of a member's errors, relative to the member's start, by (subschema id, path,
# the member's text with its line's indentation, the document's indent unit).
_FINDINGS_CACHE: OrderedDict[tuple, list[Finding]] = OrderedDict()


@dataclass
class Unit:
    """The errors of one validation: a member value (cacheable) or an object itself."""

    prefix: tuple  # JSON path the errors' paths are relative to
    schema_prefix: tuple
    errors: list[ValidationError]
    member: Member | None
    schema: Any


class SchemaChecker:
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
        self._text = text
        # Certified/core apps are never store-reviewed: "the KaiStore rejects it" is moot.
        self._store_reviewed = not preinstalled_value(self.schema_name.split(".", 1)[1], value)
        if self.split:
            units = self._split(self.schema, root, value, (), (), 0, None)
        else:
            units = [Unit((), (), list(self.validator.iter_errors(value)), None, None)]
        indent = indent_unit(text)
        findings: list[Finding] = []
        seen: set[tuple[str, int, int, str]] = set()
        for unit in units:
            for finding in self._unit_findings(root, unit, broken, indent):
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
        key = None
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
        path: tuple,
        schema_path: tuple,
        depth: int,
        member: Member | None,
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
        units = [Unit(path, schema_path, self._validate_shallow(schema, value), None, None)]
        for child_member in node.members:
            name = child_member.key.value
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

    def _validate_shallow(self, schema: dict, value: dict) -> list[ValidationError]:
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
        self, error: ValidationError, schema_prefix: tuple = ()
    ) -> dict[str, str] | None:
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

    def _store_only(self, error: ValidationError, schema_prefix: tuple) -> bool:
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

    def _map(
        self,
        root: Node,
        error: ValidationError,
        broken: set[int],
        prefix: tuple = (),
        sprefix: tuple = (),
    ) -> list[Finding]:
        path = [*prefix, *error.absolute_path]
        target = find_path(root, path) if path else root
        if target is None:
            return []
        node = target.value if isinstance(target, Member) else target
        if node is None or _is_broken(node, broken):
            return []
        keyword = error.validator
        if keyword in ("anyOf", "oneOf"):
            return self._map_alternatives(root, error, broken, target, prefix, sprefix)
        if keyword == "additionalProperties":
            return self._unknown_members(node, error, path, root)
        if keyword == "required":
            return self._missing(target, node, error, path, sprefix)
        if keyword == "type":
            if error.schema.get("x-kaios-reported-by"):
                return []  # a dedicated rule explains this one better
            return [self._wrong_type(target, node, error, path, sprefix)]

        if keyword == "enum":
            return [self._not_in_enum(target, node, error, path, sprefix)]
        return [self._format(target, node, error, path, sprefix)]

    def _map_alternatives(
        self,
        root: Node,
        error: ValidationError,
        broken: set[int],
        target: Node | Member,
        prefix: tuple,
        sprefix: tuple,
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
                findings.extend(self._map(root, sub, broken, prefix, sprefix))
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
        path = [*prefix, *error.absolute_path]
        text, severity, rule = _consequence(self._annotation(error, sprefix))
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

    def _unknown_members(
        self, node: Node, error: ValidationError, path: list, root: Node | None = None
    ) -> list[Finding]:
        if not isinstance(node, ObjectNode):
            return []
        schema = error.schema
        known = list(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        hints: dict[str, str] = schema.get("x-kaios-unknown-hints", {})
        renames: dict[str, str] = schema.get("x-kaios-renames", {})
        generic = schema.get("x-kaios-unknown")
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
            move = self._move_to_top(node, member, path, root)
            if move is not None:
                message = (
                    f"{json.dumps(name)} in b2g_features: KaiOS ignores it here; it is a W3C "
                    "manifest member and belongs at the top level of the manifest."
                )
                fixes = (move,)
            findings.append(Finding(UNKNOWN_MEMBER, key.start, key.end, message, fixes=fixes))
        return findings

    def _move_to_top(
        self, node: ObjectNode, member: Member, path: list, root: Node | None
    ) -> Fix | None:
        """b2g_features.orientation (and any other top-level W3C member written inside
        b2g_features): move it to the top level, when it is not there yet and its value
        is one the top level accepts."""
        name = member.key.value
        if (
            self.schema_name != "manifest.webmanifest"
            or path != ["b2g_features"]
            or not isinstance(root, ObjectNode)
            or not root.closed
            or not node.closed
            or member.value is None
            or name == "b2g_features"
            or root.get(name) is not None  # type: ignore[arg-type]
        ):
            return None
        top = self.schema.get("properties", {}).get(name)
        if top is None:
            return None
        value_text = self._text[member.value.start : member.value.end]
        try:
            value = json.loads(value_text)
        except ValueError:
            return None
        if not self.validator.evolve(schema=self._deref(top)).is_valid(value):
            return None
        return Fix.edits(
            f"Move {json.dumps(name)} to the top level",
            [
                remove_member(self._text, node, member),
                insert_member(self._text, root, str(name), value_text),
            ],
            safe=True,
        )

    def _missing(
        self, target: Node | Member, node: Node, error: ValidationError, path: list, sprefix: tuple
    ) -> list[Finding]:
        if not isinstance(node, ObjectNode) or not isinstance(error.instance, dict):
            return []
        if not node.closed:
            return []  # still being typed: the syntax error is enough
        annotations: dict[str, dict[str, str]] = error.schema.get("x-kaios-required", {})
        start, end = anchor_of_object(target, node)
        findings = []
        for name in error.validator_value:
            if name in error.instance:
                continue
            text, severity, rule = _consequence(annotations.get(name), default="fails")
            where = "" if not path else f" in {describe_path(path)}"
            schema = _SHALLOW_ORIGIN.get(id(error.schema), error.schema)
            placeholder, title = _required_value(
                path,
                name,
                error.instance,
                _placeholder(self._deref(schema.get("properties", {}).get(name, {}))),
            )
            fix = insert_member_fix(self._text, node, name, placeholder, title)
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
        self, target: Node | Member, node: Node, error: ValidationError, path: list, sprefix: tuple
    ) -> Finding:
        types = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        names = " or ".join(_JSON_TYPE_NAMES.get(t, t) for t in types)
        actual = _JSON_TYPE_NAMES[_json_type(error.instance)]
        text, severity, rule = _consequence(self._annotation(error, sprefix))
        fixes: tuple[Fix, ...] = self._reshape_fixes(node, error, path)
        for converted in (
            () if fixes else _convert_scalar(error.instance, types, _is_text(error.schema, path))
        ):
            # the fix must give a value the member accepts: "fullscreen": 1 once became
            # "1", a string the enum [true, false, "true", "false"] rejects in turn
            if self.validator.evolve(schema=error.schema).is_valid(converted):
                shown = json.dumps(converted, ensure_ascii=False)
                fixes = (Fix.replace(f"Change to {shown}", node.start, node.end, shown, safe=True),)
                break
        return Finding(
            rule or WRONG_TYPE,
            node.start,
            node.end,
            f"{describe_path(path)} must be {names}, not {actual}: {text}.",
            fixes=fixes,
            severity=severity,
        )

    def _reshape_fixes(self, node: Node, error: ValidationError, path: list) -> tuple[Fix, ...]:
        """Fixes for a well-known wrong shape whose meaning is plain: a developer given as
        its name, 2.5 icons as a list of paths that say their size, locales as a list of
        one-language objects. Each result is checked against the member's schema."""
        value = error.instance
        last = path[-1] if path else None
        reshaped: object = None
        title = ""
        safe = True
        if last == "developer" and isinstance(value, str) and value.strip():
            # developer.url is optional and may be empty (schema definitions/developer)
            reshaped = {"name": value, "url": ""}
            title = f'Change to {{"name": {json.dumps(value, ensure_ascii=False)}, "url": ""}}'
        elif (
            path == ["icons"] and self.schema_name == "manifest.webapp" and isinstance(value, list)
        ):
            icons = _icons_by_size(value)
            if icons:
                reshaped = icons
                title = "Key the icons by size: " + ", ".join(icons)
        elif last == "locales" and isinstance(value, list):
            merged: dict = {}
            for item in value:
                if not isinstance(item, dict) or any(key in merged for key in item):
                    return ()
                merged.update(item)
            if merged:
                reshaped = merged
                title = "Merge the list into one object keyed by language"
        if reshaped is None:
            return ()
        if not self.validator.evolve(schema=error.schema).is_valid(reshaped):
            return ()
        return (
            Fix.replace(
                title, node.start, node.end, _dump_at(self._text, node, reshaped), safe=safe
            ),
        )

    def _not_in_enum(
        self, target: Node | Member, node: Node, error: ValidationError, path: list, sprefix: tuple
    ) -> Finding:
        allowed = list(error.validator_value)
        shown = ", ".join(json.dumps(a) for a in allowed)
        text, severity, rule = _consequence(self._annotation(error, sprefix))
        fixes: tuple[Fix, ...] = ()
        extra = ""
        booleans = [
            b
            for b in _convert_scalar(error.instance, ["boolean"], text=False)
            if any(a is b for a in allowed)
        ]
        if booleans:
            # "fullscreen": "yes" (the enum takes true, false, "true", "false")
            meant = json.dumps(booleans[0])
            fixes = (Fix.replace(f"Change to {meant}", node.start, node.end, meant, safe=True),)
            extra = f" Did you mean {meant}?"
        elif isinstance(error.instance, str):
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
        self, target: Node | Member, node: Node, error: ValidationError, path: list, sprefix: tuple
    ) -> Finding:
        keyword = error.validator
        value = error.validator_value
        where = describe_path(path)
        text, severity, rule = _consequence(self._annotation(error, sprefix), keyword=keyword)
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


def _is_object_schema(schema: dict) -> bool:
    """An object schema whose members can be validated one by one."""
    return any(
        k in schema for k in ("properties", "additionalProperties", "patternProperties")
    ) and not any(k in schema for k in _COMBINATORS)


_SHALLOW: dict[int, dict] = {}
_SHALLOW_ORIGIN: dict[int, dict] = {}


def _shallow(schema: dict) -> dict:
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
        _SHALLOW_ORIGIN[id(shallow)] = schema
    return _SHALLOW[key]


def _subschema(schema: dict, name: str) -> tuple[Any, tuple] | None:
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


_TRUE_WORDS = ("true", "yes")
_FALSE_WORDS = ("false", "no")


# Members whose string is free text, where 2048 plainly means "2048" (a game's name); for
# paths, origins and policies a number turned into a string is just another wrong value.
_TEXT_MEMBERS = frozenset(
    {"name", "short_name", "description", "subtitle", "display", "userAgentInfo"}
)


def _is_text(schema: dict, path: list) -> bool:
    """A string member where a number's digits are a meaningful value: free text, or a
    form (pattern) or list (enum) that the converted value is then checked against."""
    last = next((step for step in reversed(path) if isinstance(step, str)), None)
    return "pattern" in schema or "enum" in schema or (last in _TEXT_MEMBERS and path[-1] == last)


def _dump_at(text: str, node: Node, value: object) -> str:
    """``value`` as JSON laid out like the document: its indent unit, continuation lines
    indented like the line the node starts on."""
    if not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    inside = text[node.start : node.end]
    if "\n" not in inside:
        return json.dumps(value, ensure_ascii=False)
    unit = indent_unit(text)
    line = text.rfind("\n", 0, node.start) + 1
    base = re.match(r"[ \t]*", text[line : node.start]).group()  # type: ignore[union-attr]
    dumped = json.dumps(value, ensure_ascii=False, indent=unit)
    newline = "\r\n" if "\r\n" in text else "\n"
    return dumped.replace("\n", newline + base)


def _icons_by_size(items: list) -> dict[str, str] | None:
    """{"56": "/icons/56.png"} from ["/icons/56.png"] when every item says its size
    (in its file name, or as a 3.0-style {"src", "sizes"} object) and no size repeats."""
    out: dict[str, str] = {}
    for item in items:
        if isinstance(item, str):
            match = re.search(r"(?:^|[^0-9])([0-9]{2,3})(?:x\1)?\.[A-Za-z]+$", item.strip())
            size, src = (match.group(1) if match else None), item
        elif isinstance(item, dict) and isinstance(item.get("src"), str):
            sizes = str(item.get("sizes", "")).split()
            size = sizes[0].split("x", 1)[0] if len(sizes) == 1 else None
            src = item["src"]
        else:
            return None
        if size is None or not size.isdigit() or size in out:
            return None
        out[size] = src
    return dict(sorted(out.items(), key=lambda item: int(item[0]))) or None


def _required_value(path: list, name: str, instance: dict, placeholder: str) -> tuple[str, str]:
    """(value text, fix title) for a required member: a value that follows from the
    manifest, else a neutral placeholder no rule flags, with "(fill in)" in the title.
    ``""`` where the member must not be empty is itself an error, so never that."""
    quoted = json.dumps(name)
    if not path and name == "name":
        locales = instance.get("locales")
        default = instance.get("default_locale")
        localised = locales.get(default) if isinstance(locales, dict) and default else None
        for candidate, source in (
            (instance.get("short_name"), "short_name"),
            (localised.get("name") if isinstance(localised, dict) else None, "the default locale"),
        ):
            if isinstance(candidate, str) and candidate.strip():
                text = json.dumps(candidate, ensure_ascii=False)
                return text, f"Add {quoted}: {text} (from {source})"
        return '"My app"', f"Add {quoted} (fill in)"
    if path and path[0] == "redirects" and name == "from":
        return '"https://"', f"Add {quoted} (fill in the URL to catch)"
    if placeholder in ('""', "{}", "[]"):
        return placeholder, f"Add {quoted} (fill in)"
    return placeholder, f"Add {quoted}"


def _convert_scalar(value: object, types: list[str], text: bool = True) -> list[object]:
    """Obviously intended values of the right type, best first: "true", "yes" and 1 mean
    true; "false", "no" and 0 mean false; "12" means 12; 12 means "12" (only for a
    ``text`` member). Only unambiguous mappings are offered (2 or "maybe" for a boolean
    gives nothing); the caller keeps the first one the member's schema accepts."""
    out: list[object] = []
    if "boolean" in types and not isinstance(value, bool):
        word = value.strip().lower() if isinstance(value, str) else value
        if word in _TRUE_WORDS or (isinstance(value, (int, float)) and value == 1):
            out.append(True)
        elif word in _FALSE_WORDS or (isinstance(value, (int, float)) and value == 0):
            out.append(False)
    if (
        ("integer" in types or "number" in types)
        and isinstance(value, str)
        and re.fullmatch(r"-?[0-9]+", value.strip())
    ):
        out.append(int(value))
    if "string" in types and text:
        if isinstance(value, bool):
            out.append(str(value).lower())
        elif isinstance(value, (int, float)):
            out.append(str(value))
    return out


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


def schema_at(schema_name: str, path: list[str | int] | tuple) -> dict | None:
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
