#!/usr/bin/env bash
# Builds the VS Code extension and packages it, with the kaios-lsp wheel inside, into a .vsix.
#
#   editors/vscode/scripts/package.sh [--skip-npm-ci] [--out FILE.vsix]
#
# Needs Node 20+/npm (the npm registry for `npm ci`) and Python 3.10+ with pip (PyPI, or
# pip's cache, for the wheel's build requirements). Prints the path of the .vsix.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}
skip_ci=0
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-npm-ci) skip_ci=1 ;;
    --out) out=$2; shift ;;
    *) echo "usage: $0 [--skip-npm-ci] [--out FILE.vsix]" >&2; exit 2 ;;
  esac
  shift
done
cd "$here"
version=$(node -p "require('./package.json').version")
[ -n "$out" ] || out="$here/dist/kaios-lsp-$version.vsix"
mkdir -p "$(dirname "$out")"

if [ "$skip_ci" = 0 ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi

# The server wheel, built from a clean copy of the sources (a stale build/ folder in the
# repository could otherwise leak deleted modules into the wheel).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
cp "$repo/pyproject.toml" "$repo/README.md" "$work/src/"
tar -C "$repo" --exclude=__pycache__ -cf - kaios_lsp | tar -C "$work/src" -xf -
rm -rf server
"$python" -m pip wheel --no-deps --disable-pip-version-check -q -w server "$work/src"
ls server/kaios_lsp-*.whl >/dev/null

rm -rf out
npx --no-install tsc -p .
npx --no-install vsce package --allow-missing-repository -o "$out" >&2
echo "$out"
