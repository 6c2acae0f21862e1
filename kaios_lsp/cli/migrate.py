"""``kaios-lsp migrate MANIFEST``: write a KaiOS 3.0 manifest.webmanifest from a 2.5
manifest.webapp (and the files the migration adds)."""

from __future__ import annotations

import argparse
import os
import sys


def add_parser(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser(
        "migrate", help="write a KaiOS 3.0 manifest.webmanifest from a 2.5 manifest.webapp"
    )
    migrate.add_argument(
        "manifest", metavar="MANIFEST", help="path of the manifest.webapp (or its app folder)"
    )
    migrate.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="where to write (default: manifest.webmanifest beside it; - for stdout)",
    )
    migrate.add_argument("--force", action="store_true", help="overwrite an existing file")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kaios_lsp.app.files import DiskFiles
    from kaios_lsp.app.manifest import WEBAPP, load_manifest
    from kaios_lsp.engine import decode

    source = args.manifest
    if os.path.isdir(source):
        source = os.path.join(source, "manifest.webapp")
    if not os.path.isfile(source):
        parser.error(f"no such manifest: {source}")
    source = os.path.abspath(source)
    with open(source, "rb") as handle:
        text, problems, readable = decode(handle.read())
    if not readable or problems:
        parser.error(f"{source} is not valid UTF-8 text: fix that first")
    manifest = load_manifest(text, source, WEBAPP)
    if manifest.root is None:
        parser.error(f"{source} is not a JSON object")
    from kaios_lsp.services.migrate import migrate_to_3

    migration = migrate_to_3(manifest, DiskFiles())
    root = os.path.dirname(source)
    output = args.output or os.path.join(root, "manifest.webmanifest")
    if output == "-":
        sys.stdout.write(migration.text)
    else:
        if os.path.exists(output) and not args.force:
            print(f"kaios-lsp: {output} exists; use --force to overwrite it", file=sys.stderr)
            return 1
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(migration.text)
        print(f"wrote {output}", file=sys.stderr)
        for relative, content in migration.extra_files.items():
            extra = os.path.join(root, relative)
            if not os.path.exists(extra):
                with open(extra, "w", encoding="utf-8") as handle:
                    handle.write(content)
                print(f"wrote {extra}", file=sys.stderr)
    for note in migration.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
