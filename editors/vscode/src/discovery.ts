/**
 * How the extension finds a way to run kaios-lsp. Pure logic: the file system and process
 * calls come in through `Host`, so the order and the messages are unit tested.
 *
 * Order:
 *  1. `kaios.server.path` (a kaios-lsp executable);
 *  2. `kaios-lsp` on PATH;
 *  3. `kaios.interpreter` (runs `-m kaios_lsp` if it has kaios_lsp, else bootstraps with it);
 *  4. `python3` / `python` on PATH (Windows: `py -3`, `python`, `python3`), version >= 3.10,
 *     used to create the private virtual environment with the bundled wheel;
 *  5. an error message that says how to fix it.
 */

import * as path from "node:path";
import type { LaunchSettings } from "./settings";

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface RunResult {
  /** Exit code; `null` when the process could not start or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the process did not start or finish (ENOENT, timeout...). */
  error?: string;
}

export interface Host {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  isExecutable(file: string): Promise<boolean>;
  run(command: string, args: string[], options?: { timeoutMs?: number }): Promise<RunResult>;
}

export interface PythonInfo {
  /** What was run (a path or a name found on PATH) and its leading arguments. */
  command: string;
  args: string[];
  /** `sys.executable`, the interpreter that actually runs. */
  executable: string;
  version: [number, number, number];
  hasKaiosLsp: boolean;
  /** `venv` and `ensurepip` importable (Debian splits them into python3-venv). */
  canCreateVenv: boolean;
}

export type Discovery =
  | {
      kind: "executable";
      command: string;
      args: string[];
      source: "kaios.server.path" | "PATH";
    }
  | { kind: "module"; command: string; args: string[]; python: PythonInfo; source: "kaios.interpreter" }
  | { kind: "bootstrap"; python: PythonInfo; source: "kaios.interpreter" | "PATH" }
  | { kind: "error"; message: string };

export const SERVER_NAME = "kaios-lsp";

export const FIX_HINT =
  'Install Python 3.10 or newer (https://www.python.org/downloads/; Debian/Ubuntu: ' +
  '"sudo apt install python3 python3-venv"; macOS: "brew install python") and run ' +
  '"KaiOS: Restart Server", or set "kaios.interpreter" to a Python 3.10+ interpreter, ' +
  'or "kaios.server.path" to a kaios-lsp executable.';

/** PATH lookup like the shell's `command -v` (with PATHEXT on Windows). */
export async function which(name: string, host: Host): Promise<string | undefined> {
  const windows = host.platform === "win32";
  const pathVar = host.env.PATH ?? host.env.Path ?? "";
  const separator = windows ? ";" : ":";
  const extensions = windows
    ? (host.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e !== "")
    : [""];
  const join = windows ? path.win32.join : path.posix.join;
  for (const dir of pathVar.split(separator)) {
    if (dir === "") continue;
    for (const ext of extensions) {
      const hasExt = ext !== "" && name.toLowerCase().endsWith(ext.toLowerCase());
      const candidate = join(dir, hasExt ? name : name + ext);
      if (await host.isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

const PROBE = [
  "import importlib.util, json, sys",
  "ok = lambda m: importlib.util.find_spec(m) is not None",
  "print(json.dumps({'version': list(sys.version_info[:3]), 'executable': sys.executable,",
  " 'kaios': ok('kaios_lsp'), 'venv': ok('venv') and ok('ensurepip')}))",
].join("\n");

/** Runs the interpreter to learn its version and what it can do; `undefined` if it does not run. */
export async function probePython(
  command: string,
  args: string[],
  host: Host,
): Promise<PythonInfo | undefined> {
  const result = await host.run(command, [...args, "-c", PROBE], { timeoutMs: 20_000 });
  if (result.code !== 0) return undefined;
  const line = result.stdout.trim().split(/\r?\n/).pop() ?? "";
  try {
    const data = JSON.parse(line) as {
      version: number[];
      executable: string;
      kaios: boolean;
      venv: boolean;
    };
    const [major = 0, minor = 0, micro = 0] = data.version;
    return {
      command,
      args,
      executable: data.executable || command,
      version: [major, minor, micro],
      hasKaiosLsp: Boolean(data.kaios),
      canCreateVenv: Boolean(data.venv),
    };
  } catch {
    return undefined;
  }
}

export function isSupported(version: readonly number[]): boolean {
  const [major = 0, minor = 0] = version;
  return major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]);
}

export function versionText(version: readonly number[]): string {
  return version.join(".");
}

function pythonCandidates(platform: NodeJS.Platform): Array<[string, string[]]> {
  return platform === "win32"
    ? [
        ["py", ["-3"]],
        ["python", []],
        ["python3", []],
      ]
    : [
        ["python3", []],
        ["python", []],
      ];
}

/** Finds how to run the server; see the module comment for the order. */
export async function discover(settings: LaunchSettings, host: Host): Promise<Discovery> {
  // 1. An explicit server executable: used as is, never second-guessed.
  if (settings.serverPath !== undefined) {
    const explicit = settings.serverPath;
    const resolved = explicit.includes("/") || explicit.includes("\\")
      ? ((await host.isExecutable(explicit)) ? explicit : undefined)
      : await which(explicit, host);
    if (resolved === undefined) {
      return {
        kind: "error",
        message:
          `"kaios.server.path" is set to "${explicit}", which is not an executable file. ` +
          "Correct the path, or clear the setting to use the server bundled with the extension.",
      };
    }
    return { kind: "executable", command: resolved, args: [], source: "kaios.server.path" };
  }

  // 2. kaios-lsp installed by the user (pipx, pip --user, a venv on PATH).
  const onPath = await which(SERVER_NAME, host);
  if (onPath !== undefined) {
    return { kind: "executable", command: onPath, args: [], source: "PATH" };
  }

  // 3. An interpreter the user chose.
  if (settings.interpreter !== undefined) {
    const python = await probePython(settings.interpreter, [], host);
    if (python === undefined) {
      return {
        kind: "error",
        message:
          `"kaios.interpreter" is set to "${settings.interpreter}", which does not run as Python. ` +
          "Set it to a Python 3.10+ interpreter, or clear it to use python3 from PATH.",
      };
    }
    if (!isSupported(python.version)) {
      return {
        kind: "error",
        message:
          `"kaios.interpreter" is Python ${versionText(python.version)}; kaios-lsp needs ` +
          "Python 3.10 or newer. Set it to a newer interpreter, or clear it.",
      };
    }
    if (python.hasKaiosLsp) {
      return {
        kind: "module",
        command: python.executable,
        args: ["-m", "kaios_lsp"],
        python,
        source: "kaios.interpreter",
      };
    }
    return { kind: "bootstrap", python, source: "kaios.interpreter" };
  }

  // 4. Python on PATH, for the private environment.
  const tooOld: string[] = [];
  const tried: string[] = [];
  for (const [name, args] of pythonCandidates(host.platform)) {
    tried.push([name, ...args].join(" "));
    const found = await which(name, host);
    if (found === undefined) continue;
    const python = await probePython(found, args, host);
    if (python === undefined) continue;
    if (!isSupported(python.version)) {
      tooOld.push(`${found} is Python ${versionText(python.version)}`);
      continue;
    }
    return { kind: "bootstrap", python, source: "PATH" };
  }

  // 5. Nothing usable.
  const what =
    tooOld.length > 0
      ? `kaios-lsp needs Python 3.10 or newer, and only older versions were found (${tooOld.join("; ")}).`
      : `kaios-lsp needs Python 3.10 or newer, and none was found on PATH (tried ${tried.join(", ")}).`;
  return { kind: "error", message: `${what} ${FIX_HINT}` };
}

/** One line for the output channel. */
export function describe(found: Discovery): string {
  switch (found.kind) {
    case "executable":
      return `using ${found.command} (from ${found.source})`;
    case "module":
      return `using ${found.command} ${found.args.join(" ")} (Python ${versionText(found.python.version)}, from ${found.source})`;
    case "bootstrap":
      return `using the bundled server in a private environment made with ${found.python.executable} (Python ${versionText(found.python.version)}, from ${found.source})`;
    case "error":
      return `no server: ${found.message}`;
  }
}
