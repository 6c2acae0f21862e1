import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describe as describeDiscovery, discover, FIX_HINT, type Host, isSupported, probePython, which } from "../discovery";
import type { LaunchSettings } from "../settings";

interface FakePython {
  version: [number, number, number];
  executable?: string;
  kaios?: boolean;
  venv?: boolean;
  broken?: boolean;
}

/** A machine with some executables, some of them Pythons. */
function fakeHost(options: {
  executables?: string[];
  pythons?: Record<string, FakePython>;
  path?: string;
  platform?: NodeJS.Platform;
  pathext?: string;
}): Host & { runs: string[][] } {
  const executables = new Set([...(options.executables ?? []), ...Object.keys(options.pythons ?? {})]);
  const runs: string[][] = [];
  return {
    runs,
    platform: options.platform ?? "linux",
    env: { PATH: options.path ?? "/usr/local/bin:/usr/bin", PATHEXT: options.pathext },
    isExecutable: async (file) => executables.has(file),
    run: async (command, args) => {
      runs.push([command, ...args]);
      const python = options.pythons?.[command];
      if (python === undefined) return { code: null, stdout: "", stderr: "", error: "ENOENT" };
      if (python.broken) return { code: 1, stdout: "", stderr: "Fatal Python error" };
      return {
        code: 0,
        stdout: JSON.stringify({
          version: python.version,
          executable: python.executable ?? command,
          kaios: python.kaios ?? false,
          venv: python.venv ?? true,
        }),
        stderr: "",
      };
    },
  };
}

const none: LaunchSettings = { serverPath: undefined, interpreter: undefined, trace: "off" };

describe("which", () => {
  it("walks PATH in order and skips empty entries", async () => {
    const host = fakeHost({ executables: ["/usr/bin/kaios-lsp", "/opt/bin/kaios-lsp"], path: "::/opt/bin:/usr/bin" });
    assert.equal(await which("kaios-lsp", host), "/opt/bin/kaios-lsp");
    assert.equal(await which("missing", host), undefined);
  });

  it("tries PATHEXT on Windows", async () => {
    const host = fakeHost({
      platform: "win32",
      path: "C:\\Python312;C:\\Tools",
      pathext: ".COM;.EXE",
      executables: ["C:\\Tools\\kaios-lsp.EXE", "C:\\Python312\\python.exe"],
    });
    assert.equal(await which("kaios-lsp", host), "C:\\Tools\\kaios-lsp.EXE");
    assert.equal(await which("python.exe", host), "C:\\Python312\\python.exe");
  });
});

describe("probePython", () => {
  it("reads version, executable and what is installed", async () => {
    const host = fakeHost({ pythons: { "/usr/bin/python3": { version: [3, 11, 2], kaios: true, venv: false } } });
    assert.deepEqual(await probePython("/usr/bin/python3", [], host), {
      command: "/usr/bin/python3",
      args: [],
      executable: "/usr/bin/python3",
      version: [3, 11, 2],
      hasKaiosLsp: true,
      canCreateVenv: false,
    });
  });

  it("returns undefined for something that is not a working Python", async () => {
    const host = fakeHost({ pythons: { "/usr/bin/python3": { version: [3, 11, 2], broken: true } } });
    assert.equal(await probePython("/usr/bin/python3", [], host), undefined);
    assert.equal(await probePython("/nowhere/python", [], host), undefined);
  });

  it("checks the minimum version", () => {
    assert.ok(isSupported([3, 10, 0]));
    assert.ok(isSupported([3, 13, 1]));
    assert.ok(isSupported([4, 0, 0]));
    assert.ok(!isSupported([3, 9, 18]));
    assert.ok(!isSupported([2, 7, 18]));
  });
});

describe("discover", () => {
  it("1. kaios.server.path wins over everything", async () => {
    const host = fakeHost({
      executables: ["/opt/kaios/bin/kaios-lsp", "/usr/bin/kaios-lsp"],
      pythons: { "/usr/bin/python3": { version: [3, 12, 0] } },
    });
    const found = await discover({ ...none, serverPath: "/opt/kaios/bin/kaios-lsp", interpreter: "/usr/bin/python3" }, host);
    assert.deepEqual(found, { kind: "executable", command: "/opt/kaios/bin/kaios-lsp", args: [], source: "kaios.server.path" });
  });

  it("1. a bare name in kaios.server.path is looked up on PATH", async () => {
    const host = fakeHost({ executables: ["/usr/bin/my-kaios"] });
    const found = await discover({ ...none, serverPath: "my-kaios" }, host);
    assert.equal(found.kind === "executable" && found.command, "/usr/bin/my-kaios");
  });

  it("1. a wrong kaios.server.path is an error, not a silent fallback", async () => {
    const host = fakeHost({ executables: ["/usr/bin/kaios-lsp"] });
    const found = await discover({ ...none, serverPath: "/opt/missing/kaios-lsp" }, host);
    assert.equal(found.kind, "error");
    assert.match(found.kind === "error" ? found.message : "", /"kaios.server.path" is set to "\/opt\/missing\/kaios-lsp"/);
  });

  it("2. kaios-lsp on PATH comes before any interpreter", async () => {
    const host = fakeHost({
      executables: ["/usr/local/bin/kaios-lsp"],
      pythons: { "/usr/bin/python3": { version: [3, 12, 0] } },
    });
    const found = await discover({ ...none, interpreter: "/usr/bin/python3" }, host);
    assert.deepEqual(found, { kind: "executable", command: "/usr/local/bin/kaios-lsp", args: [], source: "PATH" });
    assert.deepEqual(host.runs, [], "no interpreter is run when kaios-lsp is on PATH");
  });

  it("3. kaios.interpreter with kaios_lsp installed runs the module", async () => {
    const host = fakeHost({ pythons: { "/home/dev/.venv/bin/python": { version: [3, 11, 7], kaios: true } } });
    const found = await discover({ ...none, interpreter: "/home/dev/.venv/bin/python" }, host);
    assert.equal(found.kind, "module");
    assert.deepEqual(found.kind === "module" && [found.command, ...found.args], [
      "/home/dev/.venv/bin/python",
      "-m",
      "kaios_lsp",
    ]);
  });

  it("3. kaios.interpreter without kaios_lsp bootstraps with it, before python3 on PATH", async () => {
    const host = fakeHost({
      pythons: {
        "/opt/py312/bin/python3.12": { version: [3, 12, 1] },
        "/usr/bin/python3": { version: [3, 11, 2] },
      },
    });
    const found = await discover({ ...none, interpreter: "/opt/py312/bin/python3.12" }, host);
    assert.equal(found.kind, "bootstrap");
    assert.equal(found.kind === "bootstrap" && found.python.executable, "/opt/py312/bin/python3.12");
    assert.equal(found.kind === "bootstrap" && found.source, "kaios.interpreter");
  });

  it("3. an old or broken kaios.interpreter is an error that names it", async () => {
    const old = await discover(
      { ...none, interpreter: "/usr/bin/python3.8" },
      fakeHost({ pythons: { "/usr/bin/python3.8": { version: [3, 8, 10] }, "/usr/bin/python3": { version: [3, 12, 0] } } }),
    );
    assert.equal(old.kind, "error");
    assert.match(old.kind === "error" ? old.message : "", /Python 3\.8\.10; kaios-lsp needs Python 3\.10 or newer/);
    const broken = await discover({ ...none, interpreter: "/nowhere/python" }, fakeHost({}));
    assert.match(broken.kind === "error" ? broken.message : "", /does not run as Python/);
  });

  it("4. python3 on PATH (>= 3.10) is used for the private environment", async () => {
    const host = fakeHost({ pythons: { "/usr/bin/python3": { version: [3, 11, 2], executable: "/usr/bin/python3.11" } } });
    const found = await discover(none, host);
    assert.equal(found.kind, "bootstrap");
    assert.equal(found.kind === "bootstrap" && found.python.executable, "/usr/bin/python3.11");
    assert.equal(found.kind === "bootstrap" && found.source, "PATH");
    assert.match(describeDiscovery(found), /private environment made with \/usr\/bin\/python3\.11 \(Python 3\.11\.2, from PATH\)/);
  });

  it("4. an old python3 is skipped for a newer python", async () => {
    const host = fakeHost({
      pythons: { "/usr/bin/python3": { version: [3, 8, 10] }, "/usr/local/bin/python": { version: [3, 10, 0] } },
    });
    const found = await discover(none, host);
    assert.equal(found.kind === "bootstrap" && found.python.command, "/usr/local/bin/python");
  });

  it("4. on Windows the py launcher comes first", async () => {
    const host = fakeHost({
      platform: "win32",
      path: "C:\\Windows;C:\\Python312",
      pathext: ".EXE",
      pythons: {
        "C:\\Windows\\py.EXE": { version: [3, 12, 0], executable: "C:\\Python312\\python.exe" },
        "C:\\Python312\\python.EXE": { version: [3, 12, 0] },
      },
    });
    const found = await discover(none, host);
    assert.equal(found.kind, "bootstrap");
    assert.deepEqual(found.kind === "bootstrap" && [found.python.command, ...found.python.args], ["C:\\Windows\\py.EXE", "-3"]);
  });

  it("5. only old Pythons: the error names them and says how to fix it", async () => {
    const host = fakeHost({ pythons: { "/usr/bin/python3": { version: [3, 9, 2] }, "/usr/bin/python": { version: [2, 7, 18] } } });
    const found = await discover(none, host);
    assert.equal(found.kind, "error");
    const message = found.kind === "error" ? found.message : "";
    assert.match(message, /only older versions were found \(\/usr\/bin\/python3 is Python 3\.9\.2; \/usr\/bin\/python is Python 2\.7\.18\)/);
    assert.ok(message.endsWith(FIX_HINT));
  });

  it("5. no Python at all: the error says what was tried and the fix", async () => {
    const found = await discover(none, fakeHost({}));
    assert.equal(found.kind, "error");
    const message = found.kind === "error" ? found.message : "";
    assert.match(message, /none was found on PATH \(tried python3, python\)/);
    assert.match(message, /sudo apt install python3 python3-venv/);
    assert.match(message, /"kaios\.interpreter"/);
    assert.match(message, /"kaios\.server\.path"/);
  });
});
