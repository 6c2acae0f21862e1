import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { BootstrapError, ensureServer, findWheel, pipFailureMessage, STAMP_FILE, venvPaths } from "../bootstrap";
import type { PythonInfo, RunResult } from "../discovery";

const python: PythonInfo = {
  command: "/usr/bin/python3",
  args: [],
  executable: "/usr/bin/python3.11",
  version: [3, 11, 2],
  hasKaiosLsp: false,
  canCreateVenv: true,
};

let dir: string;
let wheel: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaios-bootstrap-"));
  fs.mkdirSync(path.join(dir, "server"));
  wheel = path.join(dir, "server", "kaios_lsp-0.1.0-py3-none-any.whl");
  fs.writeFileSync(wheel, "wheel v1");
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A runner that does what venv and pip would do to the file system, or fails as told. */
function fakeRunner(options: { venv?: Partial<RunResult>; pip?: Partial<RunResult>; delayMs?: number } = {}) {
  const calls: string[][] = [];
  const run = async (command: string, args: string[]): Promise<RunResult> => {
    calls.push([command, ...args]);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (args[0] === "-m" && args[1] === "venv") {
      if (options.venv) return { code: 1, stdout: "", stderr: "", ...options.venv };
      const venv = args[2] ?? "";
      fs.mkdirSync(path.dirname(venvPaths(venv, "linux").python), { recursive: true });
      fs.writeFileSync(venvPaths(venv, "linux").python, "");
      return { code: 0, stdout: "", stderr: "" };
    }
    if (args[0] === "-m" && args[1] === "pip") {
      if (options.pip) return { code: 1, stdout: "", stderr: "", ...options.pip };
      const venv = path.dirname(path.dirname(command));
      fs.writeFileSync(venvPaths(venv, "linux").server, "");
      return { code: 0, stdout: "Successfully installed kaios-lsp-0.1.0", stderr: "" };
    }
    if (args[0] === "--version") return { code: 0, stdout: "kaios-lsp 0.1.0", stderr: "" };
    return { code: 127, stdout: "", stderr: "unexpected" };
  };
  return { run, calls };
}

function options(run: ReturnType<typeof fakeRunner>["run"], extra: Partial<PythonInfo> = {}) {
  return { python: { ...python, ...extra }, storageDir: path.join(dir, "storage"), wheel, platform: "linux" as const, run };
}

describe("ensureServer", () => {
  it("creates the environment, installs the bundled wheel and checks the server", async () => {
    const runner = fakeRunner();
    const messages: string[] = [];
    const result = await ensureServer({ ...options(runner.run), report: (m) => messages.push(m) });
    const venv = path.join(dir, "storage", "venv");
    assert.deepEqual(result, { command: path.join(venv, "bin", "kaios-lsp"), args: [], installed: true, venvDir: venv });
    assert.deepEqual(runner.calls, [
      ["/usr/bin/python3.11", "-m", "venv", venv],
      [path.join(venv, "bin", "python"), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", wheel],
      [path.join(venv, "bin", "kaios-lsp"), "--version"],
    ]);
    assert.match(messages.join("\n"), /Creating a Python 3\.11\.2 environment/);
    assert.match(messages.join("\n"), /Installing kaios_lsp-0\.1\.0-py3-none-any\.whl and its dependencies/);
    const stamp = JSON.parse(fs.readFileSync(path.join(venv, STAMP_FILE), "utf8"));
    assert.equal(stamp.wheel, "kaios_lsp-0.1.0-py3-none-any.whl");
    assert.equal(stamp.python, "/usr/bin/python3.11");
    assert.ok(!fs.existsSync(path.join(dir, "storage", "venv.lock")), "the lock is released");
  });

  it("reuses an environment made from the same wheel and interpreter", async () => {
    await ensureServer(options(fakeRunner().run));
    const again = fakeRunner();
    const result = await ensureServer(options(again.run));
    assert.equal(result.installed, false);
    assert.deepEqual(again.calls, []);
  });

  it("reinstalls when the bundled wheel changes (an extension update)", async () => {
    await ensureServer(options(fakeRunner().run));
    fs.writeFileSync(wheel, "wheel v2");
    const again = fakeRunner();
    assert.equal((await ensureServer(options(again.run))).installed, true);
    assert.equal(again.calls.length, 3);
  });

  it("reinstalls when another interpreter is chosen", async () => {
    await ensureServer(options(fakeRunner().run));
    const again = fakeRunner();
    await ensureServer(options(again.run, { executable: "/opt/python3.12/bin/python3.12", version: [3, 12, 1] }));
    assert.deepEqual(again.calls[0]?.slice(0, 3), ["/opt/python3.12/bin/python3.12", "-m", "venv"]);
  });

  it("builds the environment once when two windows start together", async () => {
    const runner = fakeRunner({ delayMs: 30 });
    const [first, second] = await Promise.all([ensureServer(options(runner.run)), ensureServer(options(runner.run))]);
    assert.equal(runner.calls.filter((c) => c.includes("venv")).length, 1);
    assert.equal(first.installed !== second.installed, true);
  });

  it("explains a Python without venv (Debian without python3-venv) and cleans up", async () => {
    const runner = fakeRunner({
      venv: {
        stdout:
          "The virtual environment was not created successfully because ensurepip is not\navailable.  On Debian/Ubuntu systems, you need to install the python3-venv\npackage using the following command.",
      },
    });
    await assert.rejects(ensureServer(options(runner.run)), (error: unknown) => {
      assert.ok(error instanceof BootstrapError);
      assert.match(error.message, /cannot create virtual environments/);
      assert.match(error.message, /sudo apt install python3-venv" \(or python3\.11-venv\)/);
      assert.match(error.details, /ensurepip is not/);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(dir, "storage", "venv")));
    assert.ok(!fs.existsSync(path.join(dir, "storage", "venv.lock")));
  });

  it("explains a pip that cannot reach PyPI", async () => {
    const runner = fakeRunner({
      pip: {
        stderr:
          "WARNING: Retrying ... NewConnectionError('Failed to establish a new connection')\nERROR: Could not find a version that satisfies the requirement pygls<3,>=2.1",
      },
    });
    await assert.rejects(ensureServer(options(runner.run)), (error: unknown) => {
      assert.ok(error instanceof BootstrapError);
      assert.match(error.message, /could not download them from PyPI/);
      assert.match(error.message, /pygls, lsprotocol, jsonschema, esprima/);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(dir, "storage", "venv")), "a half-made environment is removed");
  });

  it("reports any other pip failure with a pointer to the output", () => {
    assert.match(pipFailureMessage({ code: 1, stdout: "", stderr: "ERROR: wheel is invalid" }), /See the "KaiOS" output/);
  });

  it("fails clearly when the bundled wheel is missing", async () => {
    fs.rmSync(wheel);
    await assert.rejects(ensureServer(options(fakeRunner().run)), /bundled with the extension is missing/);
  });
});

describe("findWheel", () => {
  it("finds the kaios_lsp wheel, the newest by name", () => {
    fs.writeFileSync(path.join(dir, "server", "kaios_lsp-0.2.0-py3-none-any.whl"), "");
    fs.writeFileSync(path.join(dir, "server", "pygls-2.1.0-py3-none-any.whl"), "");
    assert.equal(findWheel(path.join(dir, "server")), path.join(dir, "server", "kaios_lsp-0.2.0-py3-none-any.whl"));
    assert.equal(findWheel(path.join(dir, "nowhere")), undefined);
  });

  it("knows where a Windows environment keeps its programs", () => {
    assert.deepEqual(venvPaths("C:\\s\\venv", "win32").server.split(/[\\/]/).slice(-2), ["Scripts", "kaios-lsp.exe"]);
  });
});
