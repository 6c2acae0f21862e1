"""Settings from the editor (initializationOptions, workspace/configuration) merged over
each app's kaios-lsp.toml / pyproject.toml into the Config every analysis runs with."""

from __future__ import annotations

import logging
import os
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from kaios_lsp.config import Config
from kaios_lsp.settings import apply_settings, load_project_config

# One logger for the whole server: log lines keep the name they have always had.
log = logging.getLogger("kaios_lsp.lsp.server")


class Configurations:
    """The effective Config of each folder, computed on first use and kept until the
    settings or a project file change."""

    def __init__(self, server: LanguageServer) -> None:
        self.server = server
        self.init_settings: dict[str, Any] = {}
        self.client_settings: dict[str, Any] = {}
        self._project_configs: dict[str, Config] = {}
        self._effective_configs: dict[str | None, Config] = {}
        self._reported_problems: set[str] = set()

    def config_for(self, path: str | None) -> Config:
        """Defaults < the app's kaios-lsp.toml / pyproject.toml < editor settings."""
        folder = os.path.dirname(path) if path else None
        cached = self._effective_configs.get(folder)
        if cached is not None:
            return cached
        if folder is None:
            config = Config()
        else:
            config = self._project_configs.get(folder)
            if config is None:
                config = self._project_configs[folder] = load_project_config(folder)
        config = apply_settings(config, self.init_settings, "initializationOptions")
        config = apply_settings(config, self.client_settings, "workspace configuration")
        self._report_problems(config)
        self._effective_configs[folder] = config
        return config

    def _report_problems(self, config: Config) -> None:
        fresh = [p for p in config.problems if p not in self._reported_problems]
        if not fresh:
            return
        self._reported_problems.update(fresh)
        message = "kaios-lsp configuration: " + "; ".join(fresh) + " (defaults are used for these)."
        log.warning("%s", message)
        self.server.window_show_message(types.ShowMessageParams(types.MessageType.Warning, message))

    def set_initialization_options(self, options: Any) -> None:
        self.init_settings = options if isinstance(options, dict) else {}

    async def pull(self) -> None:
        """Ask the client for the ``kaios`` section (workspace/configuration)."""
        capabilities = self.server.client_capabilities
        if not (capabilities.workspace and capabilities.workspace.configuration):
            return
        try:
            result = await self.server.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section="kaios")])
            )
        except Exception as exc:  # the client may refuse; defaults still work
            log.info("workspace/configuration failed: %s", exc)
            return
        settings = result[0] if result else None
        self.client_settings = settings if isinstance(settings, dict) else {}
        self.forget()

    async def settings_changed(self, settings: Any) -> None:
        """workspace/didChangeConfiguration: the settings it carries, or (none, as most
        clients send) the ones pulled again."""
        if isinstance(settings, dict) and settings:
            self.client_settings = (
                settings.get("kaios", settings)
                if isinstance(settings.get("kaios", settings), dict)
                else {}
            )
            self.forget()
        else:
            await self.pull()

    def forget(self, project_files_too: bool = False) -> None:
        """Settings changed: recompute effective configurations on next use."""
        self._effective_configs.clear()
        if project_files_too:
            self._project_configs.clear()


async def watch_files(server: LanguageServer) -> None:
    """Ask the client to tell us about created/deleted files (missing-file checks) and
    changed project files (configuration)."""
    workspace = server.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    patterns = ["**/*", "**/kaios-lsp.toml", "**/pyproject.toml"]
    registration = types.Registration(
        id="kaios-lsp-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[
                types.FileSystemWatcher(
                    glob_pattern=pattern, kind=types.WatchKind.Create | types.WatchKind.Delete
                )
                for pattern in patterns[:1]
            ]
            + [types.FileSystemWatcher(glob_pattern=pattern) for pattern in patterns[1:]]
        ),
    )
    try:
        await server.client_register_capability_async(
            types.RegistrationParams(registrations=[registration])
        )
    except Exception as exc:
        log.info("could not register file watchers: %s", exc)
