"""One configuration model for the server and the CLI: which app version to judge for, each
rule's severity, the policies and limits. How settings are read into it: :mod:`kaios_lsp.settings`."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaios_lsp.findings import Severity

TARGETS = ("auto", "2.5", "3.0")


@dataclass(frozen=True)
class Config:
    target: str = "auto"
    rules: dict[str, Severity | None] = field(default_factory=dict)
    distribution: str = "auto"  # auto, packaged or hosted
    debounce_ms: int = 30
    # The 3.0 packaged-app policy is not confirmed on shipped phones: both are settable.
    default_csp: dict[str, str] = field(default_factory=dict)  # "3.0" or "2.5/privileged" -> policy
    kaios3_manifest_csp: bool = False  # does KaiOS 3.0 apply a manifest csp?
    max_file_size: int = 16 * 1024 * 1024
    problems: tuple[str, ...] = ()
    # Is a KaiOS 3.0 packaged app (http://<name>.localhost) a secure context? Not confirmed:
    # auto treats it as unknown (secure-context findings become info), secure/insecure decide.
    secure_context: str = "auto"
    check_vendor_code: bool = False  # run every JS rule on minified/vendor files too
    # Glob patterns (relative to the project root) of files the project never ships.
    exclude: tuple[str, ...] = ()
    # Findings in files no entry point opens: "hint" (default), "report" as usual, or "off".
    unreached_files: str = "hint"
    # Warn when the package's signing certificate expires within this many days.
    signature_expiry_days: int = 30

    def severity(self, rule_id: str, default: Severity) -> Severity | None:
        """The effective severity of a rule; ``None`` means off."""
        return self.rules.get(rule_id, default)
