/**
 * The private virtual environment: created in the extension's global storage with a
 * Python >= 3.10, and the kaios-lsp wheel bundled in the .vsix installed into it (its
 * dependencies come from PyPI, or whatever index pip is configured to use).
 *
 * No `vscode` import: the process runner is passed in, the file system is the real one
 * (tests use a temporary folder).
 */

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PythonInfo, RunResult } from "./discovery";
import { versionText } from "./discovery";

export type Runner = (
  command: string,
  args: string[],
  options?: { timeoutMs?: number },
) => Promise<RunResult>;

export interface BootstrapOptions {
  python: PythonInfo;
  /** The extension's global storage folder. */
  storageDir: string;
  /** The bundled kaios_lsp-*.whl. */
  wheel: string;
  platform: NodeJS.Platform;
  run: Runner;
  /** Progress messages (shown in the notification and the output channel). */
  report?: (message: string) => void;
  /** How long to wait for another window that is setting up the same environment. */
  lockWaitMs?: number;
}

export interface BootstrapResult {
  command: string;
  args: string[];
  /** False when an existing environment was reused. */
  installed: boolean;
  venvDir: string;
}

/** A failure with a message for the user (what happened and how to fix it). */
export class BootstrapError extends Error {
  constructor(
    message: string,
    readonly details: string = "",
  ) {
    super(message);
    this.name = "BootstrapError";
  }
}

export const STAMP_FILE = "kaios-lsp-bootstrap.json";
export const DEPENDENCIES_NOTE = "pygls, lsprotocol, jsonschema, esprima";

interface Stamp {
  wheel: string;
  sha256: string;
  python: string;
  pythonVersion: string;
}

export function venvPaths(venvDir: string, platform: NodeJS.Platform): { python: string; server: string } {
  const windows = platform === "win32";
  const bin = path.join(venvDir, windows ? "Scripts" : "bin");
  return {
    python: path.join(bin, windows ? "python.exe" : "python"),
    server: path.join(bin, windows ? "kaios-lsp.exe" : "kaios-lsp"),
  };
}

/** The bundled wheel in a folder (the newest by name if there are several). */
export function findWheel(folder: string): string | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return undefined;
  }
  const wheels = names.filter((n) => /^kaios_lsp-.+\.whl$/.test(n)).sort();
  const last = wheels[wheels.length - 1];
  return last === undefined ? undefined : path.join(folder, last);
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

function tail(text: string, lines = 15): string {
  return text.trim().split(/\r?\n/).slice(-lines).join("\n");
}

/** What to tell the user when `python -m venv` fails. */
export function venvFailureMessage(python: PythonInfo, result: RunResult): string {
  const output = `${result.stderr}\n${result.stdout}`;
  const minor = `${python.version[0]}.${python.version[1]}`;
  if (/ensurepip|python3(\.\d+)?-venv|No module named venv/i.test(output) || !python.canCreateVenv) {
    return (
      `${python.executable} (Python ${versionText(python.version)}) cannot create virtual ` +
      "environments: its venv/ensurepip modules are missing. On Debian/Ubuntu run " +
      `"sudo apt install python3-venv" (or python${minor}-venv), then "KaiOS: Restart Server"; ` +
      'or set "kaios.interpreter" to another Python 3.10+.'
    );
  }
  return (
    `Creating the Python environment with ${python.executable} failed` +
    (result.error ? ` (${result.error})` : "") +
    '. See the "KaiOS" output for pip\'s message; "KaiOS: Restart Server" tries again.'
  );
}

/** What to tell the user when `pip install` fails. */
export function pipFailureMessage(result: RunResult): string {
  const output = `${result.stderr}\n${result.stdout}`;
  const network =
    /Could not find a version|No matching distribution|NewConnectionError|Failed to establish|Temporary failure in name resolution|ProxyError|SSLError|timed out|Network is unreachable/i.test(
      output,
    );
  if (network) {
    return (
      `Installing kaios-lsp's dependencies (${DEPENDENCIES_NOTE}) failed: pip could not ` +
      "download them from PyPI. Check the network or proxy (pip honours PIP_INDEX_URL and " +
      'pip.conf), then run "KaiOS: Restart Server"; or install kaios-lsp yourself and set ' +
      '"kaios.server.path".'
    );
  }
  return (
    "Installing the bundled kaios-lsp into its environment failed" +
    (result.error ? ` (${result.error})` : "") +
    '. See the "KaiOS" output for pip\'s message; "KaiOS: Restart Server" tries again.'
  );
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** A lock folder, so that two windows do not build the same environment at once. */
async function withLock<T>(lockDir: string, waitMs: number, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > 15 * 60_000 || Date.now() > deadline) {
        fs.rmSync(lockDir, { recursive: true, force: true }); // stale: its owner is gone
        continue;
      }
      await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * Returns the command that runs the bundled server, creating or updating the private
 * environment first when it is missing, was made by another interpreter, or holds
 * another wheel.
 */
export async function ensureServer(options: BootstrapOptions): Promise<BootstrapResult> {
  const { python, storageDir, wheel, platform, run } = options;
  const report = options.report ?? (() => undefined);
  const venvDir = path.join(storageDir, "venv");
  const paths = venvPaths(venvDir, platform);
  const stampFile = path.join(venvDir, STAMP_FILE);
  if (!fs.existsSync(wheel)) {
    throw new BootstrapError(
      `The kaios-lsp wheel bundled with the extension is missing (${wheel}). Reinstall the extension, or set "kaios.server.path".`,
    );
  }
  const wanted: Stamp = {
    wheel: path.basename(wheel),
    sha256: sha256(wheel),
    python: python.executable,
    pythonVersion: versionText(python.version),
  };
  const current = (): boolean => {
    const stamp = readStamp(stampFile);
    return (
      stamp !== undefined &&
      stamp.wheel === wanted.wheel &&
      stamp.sha256 === wanted.sha256 &&
      stamp.python === wanted.python &&
      stamp.pythonVersion === wanted.pythonVersion &&
      fs.existsSync(paths.server)
    );
  };
  const result = (installed: boolean): BootstrapResult => ({
    command: paths.server,
    args: [],
    installed,
    venvDir,
  });
  if (current()) return result(false);

  fs.mkdirSync(storageDir, { recursive: true });
  return withLock(path.join(storageDir, "venv.lock"), options.lockWaitMs ?? 10 * 60_000, async () => {
    if (current()) return result(false); // another window finished it while we waited
    fs.rmSync(venvDir, { recursive: true, force: true });

    report(`Creating a Python ${versionText(python.version)} environment in ${venvDir}`);
    const venv = await run(python.executable, ["-m", "venv", venvDir], { timeoutMs: 180_000 });
    if (venv.code !== 0 || !fs.existsSync(paths.python)) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      throw new BootstrapError(venvFailureMessage(python, venv), tail(`${venv.stdout}\n${venv.stderr}`));
    }

    report(`Installing ${path.basename(wheel)} and its dependencies (${DEPENDENCIES_NOTE}) with pip`);
    const pip = await run(
      paths.python,
      ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", wheel],
      { timeoutMs: 600_000 },
    );
    if (pip.code !== 0 || !fs.existsSync(paths.server)) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      throw new BootstrapError(pipFailureMessage(pip), tail(`${pip.stdout}\n${pip.stderr}`));
    }

    report("Checking the installed server");
    const check = await run(paths.server, ["--version"], { timeoutMs: 60_000 });
    if (check.code !== 0) {
      fs.rmSync(venvDir, { recursive: true, force: true });
      throw new BootstrapError(
        'The installed kaios-lsp does not start. See the "KaiOS" output; "KaiOS: Restart Server" tries again.',
        tail(`${check.stdout}\n${check.stderr}`),
      );
    }
    fs.writeFileSync(stampFile, JSON.stringify(wanted, null, 2));
    report("kaios-lsp is installed");
    return result(true);
  });
}
