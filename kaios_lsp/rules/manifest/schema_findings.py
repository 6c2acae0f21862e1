"""Turning one jsonschema error into a finding and its fixes: unknown members (with the
closest known name), missing members, wrong types, values outside an enum, bad formats."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from kaios_lsp.findings import Finding, Fix, Severity
from kaios_lsp.parse.json.edit import insert_member, remove_member
from kaios_lsp.parse.json.nodes import Member, Node, ObjectNode, find_path
from kaios_lsp.rules.manifest.schema_values import (
    anchor_of_object,
    convert_scalar,
    dump_at,
    icons_by_size,
    insert_member_fix,
    is_text,
    placeholder_for,
    required_value,
)
from kaios_lsp.rules.manifest.schema_words import (
    JSON_TYPE_NAMES,
    consequence,
    describe_path,
    json_type,
)
from kaios_lsp.rules.meta import Rule
from kaios_lsp.rules.suggest import closest

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

# A JSON path (member names and item indexes), and a path into the schema.
JsonPath = tuple[str | int, ...]

UNKNOWN_MEMBER = "KAI101"
WRONG_TYPE = "KAI102"
INVALID_VALUE = "KAI103"
MISSING_MEMBER = "KAI104"
STORE_REQUIREMENT = "KAI105"
INVALID_FORMAT = "KAI106"

# What each rule of this module reports, its default severity, docs and examples
# (the catalog and docs/rules.md are assembled from these).
RULES = (
    Rule(
        id="KAI101",
        name="unknown-member",
        title="Unknown manifest member",
        severity=Severity.WARNING,
        category="Manifest schema",
        explanation="KaiOS ignores members it does not know, so a misspelled member silently does nothing. "
        "The message suggests the closest known member and the quick fix renames it.",
        bad='{"name": "Demo", "orientaton": "portrait"}',
        good='{"name": "Demo", "orientation": "portrait"}',
        fixable=True,
        fix_note="Renames a misspelled member to the closest known one (preferred when it is the only candidate). A W3C member written inside b2g_features (orientation) is moved to the top level, where KaiOS 3.0 reads it (safe when the top level does not have it yet and the value is valid there).",
    ),
    Rule(
        id="KAI102",
        name="wrong-type",
        title="Member has the wrong type",
        severity=Severity.ERROR,
        category="Manifest schema",
        explanation="A value of the wrong JSON type either makes the install fail (for members Gecko or the "
        "KaiOS 3 apps service checks, such as name, role, messages or the 3.0 string members) or "
        "is ignored. The message says which; the severity follows (error when the install fails, "
        "warning when it is ignored, information when what KaiOS does is not confirmed). The "
        "consequence is the wrong member's own: activity filters given as a list still register the "
        "handler but filter nothing (ActivitiesServiceFilter.jsm reads them by property name), a "
        'string returnValue counts as true. A permission given as a string ("systemXHR": "") is '
        "still granted when it takes no access level (the installer reads .access of the value, "
        "gets undefined, and that is all it needs; roytam1/gecko-kaios dom/apps/PermissionsTable.jsm "
        "expandPermissions): that is information; with access levels it is never granted (warning).",
        bad='{"name": "Demo", "cursor": "true"}',
        good='{"name": "Demo", "cursor": true}',
        fixable=True,
        fix_note='Converts the value only when the intended value is plain, and only to a value the member accepts: 1, "true", "yes" become true and 0, "false", "no" become false; "12" becomes 12; a number becomes a string only for text members (name, description...) and patterned ones (version). A developer given as its name becomes {"name": ..., "url": ""} (url may be empty in the schema); a 2.5 icons list becomes an object keyed by the size each file name states; a locales list of one-language objects is merged into one object. No fix for other values (2, "maybe", a path given as a number).',
    ),
    Rule(
        id="KAI103",
        name="invalid-value",
        title="Value is not one of the allowed values",
        severity=Severity.ERROR,
        category="Manifest schema",
        explanation="Enumerated members (orientation, display, chrome.statusbar, priority, disposition...) "
        "only take the listed values. The quick fix picks the closest valid value.",
        bad='{"name": "Demo", "orientation": "portrait-primery"}',
        good='{"name": "Demo", "orientation": "portrait-primary"}',
        fixable=True,
        fix_note="Changes the value to the closest allowed one (preferred when one stands out), else offers the first allowed values to choose from.",
    ),
    Rule(
        id="KAI104",
        name="missing-member",
        title="Required member is missing",
        severity=Severity.ERROR,
        category="Manifest schema",
        explanation="Members the phone needs: without name the install fails (2.5 checkManifest, 3.0 apps "
        "service); a serviceworker without script_url registers nothing. The range is the "
        "enclosing object's key or opening brace.",
        bad='{"description": "A demo"}',
        good='{"name": "Demo", "description": "A demo"}',
        fixable=True,
        fix_note='Adds the member with a value that follows from the manifest (name from short_name or the default locale) or, where nothing says what it should be, a placeholder no rule flags, titled "(fill in)". Never preferred: the value is the developer\'s statement.',
    ),
    Rule(
        id="KAI105",
        name="store-requirement",
        title="Member required by the KaiStore is missing",
        severity=Severity.WARNING,
        category="Manifest schema",
        explanation="The phone installs the app without these, but the KaiStore rejects the submission: "
        "version, description, icons (56x56 and 112x112) and developer for 2.5; id, description, "
        "lang, start_url, icons, theme_color, background_color and orientation for 3.0. Turn the "
        "rule off for apps that are not published in a store. Never reported for certified (2.5) or "
        "core (3.0) apps: only the phone maker pre-installs them, so no store reviews them (the "
        "store-only forms of KAI106, such as the version format, are skipped for them too).",
        bad='{"name": "Demo"}',
        good='{"name": "Demo", "version": "1.0.0", "description": "...", "icons": {"56": "/icons/56.png", "112": "/icons/112.png"}, "developer": {"name": "Me", "url": "https://example.com"}}',
        fixable=True,
        fix_note='Adds the member with a value that follows from the manifest or the app folder (3.0 id = start_url, the W3C default identity; lang = b2g_features.default_locale; start_url = /index.html when it exists; icons from the app\'s 56 and 112 px PNG files; orientation portrait-primary for a phone; version 1.0.0), else a placeholder no rule flags titled "(fill in)". No icons fix when the app has no icon files to point at. Never preferred.',
    ),
    Rule(
        id="KAI106",
        name="invalid-format",
        title="Value does not have the expected form",
        severity=Severity.WARNING,
        category="Manifest schema",
        explanation="Lengths, patterns and ranges: subtitle at most 40 characters, short_name at most 12 "
        "(3.0), version as dotted integers, theme_color as a hex colour, icon sizes like 56x56.",
        bad='{"name": "Demo", "version": "v1"}',
        good='{"name": "Demo", "version": "1.0.0"}',
        fix_note="No mechanical fix: the right value (a version number, a locale tag, a store text under the limit) is the developer's choice; the message says the expected form.",
    ),
    Rule(
        id="KAI110",
        name="app-type",
        title="App type must be web, privileged or certified",
        severity=Severity.ERROR,
        category="Manifest",
        explanation='Gecko\'s getAppManifestStatus throws "Undetermined app manifest type" for any other '
        'type (including "hosted" and "trusted"), and the install fails. A missing type means web.',
        bad='{"name": "Demo", "type": "privilaged"}',
        good='{"name": "Demo", "type": "privileged"}',
        fixable=True,
        fix_note="Changes the type to the closest valid value (preferred when one stands out).",
    ),
)


def is_broken(node: Node, broken: set[int]) -> bool:
    current: Node | Member | None = node
    while current is not None:
        if id(current) in broken:
            return True
        current = current.parent
    return False


# The full object schema behind each shallow copy the checker validates with (by id).
SHALLOW_ORIGIN: dict[int, dict[str, Any]] = {}


class ErrorFindings(ABC):
    """The part of :class:`~kaios_lsp.rules.manifest.schema_check.SchemaChecker` that words
    errors and builds fixes; the checker provides its schema and reference resolution."""

    schema_name: str
    schema: dict[str, Any]
    validator: Draft7Validator
    _text: str  # the document being checked

    @abstractmethod
    def _deref(self, schema: Any) -> Any: ...

    @abstractmethod
    def _resolve(self, ref: str) -> Any: ...

    @abstractmethod
    def _annotation(self, *args: Any, **kwargs: Any) -> Any: ...

    @abstractmethod
    def _store_only(self, error: ValidationError, schema_prefix: JsonPath) -> bool: ...

    def _map(
        self,
        root: Node,
        error: ValidationError,
        broken: set[int],
        prefix: JsonPath = (),
        sprefix: JsonPath = (),
    ) -> list[Finding]:
        path = [*prefix, *error.absolute_path]
        target = find_path(root, path) if path else root
        if target is None:
            return []
        node = target.value if isinstance(target, Member) else target
        if node is None or is_broken(node, broken):
            return []
        keyword = error.validator
        if keyword in ("anyOf", "oneOf"):
            return self._map_alternatives(root, error, broken, node, prefix, sprefix)
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
        node: Node,
        prefix: JsonPath,
        sprefix: JsonPath,
    ) -> list[Finding]:
        """For ``anyOf``: report the branch that matches the value's type, if any."""
        instance_type = json_type(error.instance)
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
        path = [*prefix, *error.absolute_path]
        text, severity, rule = consequence(self._annotation(error, sprefix))
        names = " or ".join(JSON_TYPE_NAMES.get(t, t) for t in allowed) or "another type"
        return [
            Finding(
                rule or WRONG_TYPE,
                node.start,
                node.end,
                f"{describe_path(path)} must be {names}, not {JSON_TYPE_NAMES[instance_type]}: {text}.",
                severity=severity,
            )
        ]

    def _unknown_members(
        self, node: Node, error: ValidationError, path: list[str | int], root: Node | None = None
    ) -> list[Finding]:
        if not isinstance(node, ObjectNode):
            return []
        schema = error.schema
        known = list(schema.get("properties", {}))
        known_names = set(known)
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        hints: dict[str, str] = schema.get("x-kaios-unknown-hints", {})
        renames: dict[str, str] = schema.get("x-kaios-renames", {})
        generic = schema.get("x-kaios-unknown")
        where = "at the top level" if not path else f"in {describe_path(path)}"
        findings: list[Finding] = []
        for member in node.members:
            name = member.key.value
            if (
                not isinstance(name, str)
                or name in known_names
                or any(p.search(name) for p in patterns)
            ):
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
        self, node: ObjectNode, member: Member, path: list[str | int], root: Node | None
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
            or root.get(name) is not None  # type: ignore[arg-type]  # a key's value is a str
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
        self,
        target: Node | Member,
        node: Node,
        error: ValidationError,
        path: list[str | int],
        sprefix: JsonPath,
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
            text, severity, rule = consequence(annotations.get(name), default="fails")
            where = "" if not path else f" in {describe_path(path)}"
            schema = SHALLOW_ORIGIN.get(id(error.schema), error.schema)
            placeholder, title = required_value(
                path,
                name,
                error.instance,
                placeholder_for(self._deref(schema.get("properties", {}).get(name, {}))),
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
        self,
        target: Node | Member,
        node: Node,
        error: ValidationError,
        path: list[str | int],
        sprefix: JsonPath,
    ) -> Finding:
        types: list[str] = (
            error.validator_value
            if isinstance(error.validator_value, list)
            else [error.validator_value]
        )
        names = " or ".join(JSON_TYPE_NAMES.get(t, t) for t in types)
        actual = JSON_TYPE_NAMES[json_type(error.instance)]
        text, severity, rule = consequence(self._annotation(error, sprefix))
        fixes: tuple[Fix, ...] = self._reshape_fixes(node, error, path)
        for converted in (
            () if fixes else convert_scalar(error.instance, types, is_text(error.schema, path))
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

    def _reshape_fixes(
        self, node: Node, error: ValidationError, path: list[str | int]
    ) -> tuple[Fix, ...]:
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
            icons = icons_by_size(value)
            if icons:
                reshaped = icons
                title = "Key the icons by size: " + ", ".join(icons)
        elif last == "locales" and isinstance(value, list):
            merged: dict[str, object] = {}
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
                title, node.start, node.end, dump_at(self._text, node, reshaped), safe=safe
            ),
        )

    def _not_in_enum(
        self,
        target: Node | Member,
        node: Node,
        error: ValidationError,
        path: list[str | int],
        sprefix: JsonPath,
    ) -> Finding:
        allowed = list(error.validator_value)
        shown = ", ".join(json.dumps(a) for a in allowed)
        text, severity, rule = consequence(self._annotation(error, sprefix))
        fixes: tuple[Fix, ...] = ()
        extra = ""
        booleans = [
            b
            for b in convert_scalar(error.instance, ["boolean"], text=False)
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
        self,
        target: Node | Member,
        node: Node,
        error: ValidationError,
        path: list[str | int],
        sprefix: JsonPath,
    ) -> Finding:
        keyword = error.validator
        value = error.validator_value
        where = describe_path(path)
        text, severity, rule = consequence(self._annotation(error, sprefix), keyword=keyword)
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
