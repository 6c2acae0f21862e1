import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  changeAction,
  expandPath,
  explicitValue,
  launchSettings,
  ruleSeverities,
  serverSettings,
  type SettingsReader,
} from "../settings";

function reader(values: Record<string, unknown>): SettingsReader {
  return { get: (key) => values[key] };
}

describe("serverSettings", () => {
  it("sends only what the user set, plus the editor-only keys the server ignores", () => {
    assert.deepEqual(serverSettings(reader({})), {
      server: { path: "" },
      interpreter: "",
      trace: { server: "off" },
    });
  });

  it("maps every server setting", () => {
    const settings = serverSettings(
      reader({
        targetVersion: "3.0",
        rules: { KAI103: "Error", "store-requirement": "off" },
        distribution: "hosted",
        debounceMs: 120.7,
        maxFileSize: 2048,
        defaultCsp: { "3.0": "script-src 'self'" },
        kaios3ManifestCsp: true,
        secureContext: "insecure",
        checkVendorCode: true,
        exclude: ["docs/**", " tools/ "],
        unreachedFiles: "report",
        "server.path": " /opt/kaios-lsp ",
        interpreter: "/usr/bin/python3",
        "trace.server": "verbose",
      }),
    );
    assert.deepEqual(settings, {
      targetVersion: "3.0",
      rules: { KAI103: "error", "store-requirement": "off" },
      distribution: "hosted",
      debounceMs: 120,
      maxFileSize: 2048,
      defaultCsp: { "3.0": "script-src 'self'" },
      kaios3ManifestCsp: true,
      secureContext: "insecure",
      checkVendorCode: true,
      exclude: ["docs/**", "tools/"],
      unreachedFiles: "report",
      server: { path: "/opt/kaios-lsp" },
      interpreter: "/usr/bin/python3",
      trace: { server: "verbose" },
    });
  });

  it("leaves out blank strings and non-numbers, clamps a negative debounce", () => {
    const settings = serverSettings(
      reader({ targetVersion: "  ", distribution: 3, debounceMs: -5, maxFileSize: "big" }),
    );
    assert.equal(settings.targetVersion, undefined);
    assert.equal(settings.distribution, undefined);
    assert.equal(settings.debounceMs, 0);
    assert.equal(settings.maxFileSize, undefined);
  });

  it("passes an unknown target on so that the server reports it", () => {
    assert.equal(serverSettings(reader({ targetVersion: "4.0" })).targetVersion, "4.0");
  });

  it("forwards secureContext trimmed, an unknown value included, and leaves out a blank one", () => {
    assert.equal(serverSettings(reader({ secureContext: " secure " })).secureContext, "secure");
    assert.equal(serverSettings(reader({ secureContext: "auto" })).secureContext, "auto");
    assert.equal(serverSettings(reader({ secureContext: "maybe" })).secureContext, "maybe");
    assert.equal(serverSettings(reader({ secureContext: " " })).secureContext, undefined);
    assert.equal(serverSettings(reader({ secureContext: true })).secureContext, undefined);
  });

  it("forwards checkVendorCode and kaios3ManifestCsp only when they are booleans, false included", () => {
    const off = serverSettings(reader({ checkVendorCode: false, kaios3ManifestCsp: false }));
    assert.equal(off.checkVendorCode, false);
    assert.equal(off.kaios3ManifestCsp, false);
    const wrong = serverSettings(reader({ checkVendorCode: "true", kaios3ManifestCsp: 1 }));
    assert.equal("checkVendorCode" in wrong, false);
    assert.equal("kaios3ManifestCsp" in wrong, false);
  });

  it("forwards exclude as its non-blank patterns, one string as a list, and leaves out an empty one", () => {
    assert.deepEqual(serverSettings(reader({ exclude: ["dist/**", "", "  ", 3, "*.test.js"] })).exclude, [
      "dist/**",
      "*.test.js",
    ]);
    assert.deepEqual(serverSettings(reader({ exclude: " docs/ " })).exclude, ["docs/"]);
    assert.equal("exclude" in serverSettings(reader({ exclude: [] })), false);
    assert.equal("exclude" in serverSettings(reader({ exclude: [" "] })), false);
    assert.equal("exclude" in serverSettings(reader({ exclude: { docs: true } })), false);
  });

  it("forwards unreachedFiles trimmed, an unknown value included, and leaves out a blank one", () => {
    assert.equal(serverSettings(reader({ unreachedFiles: " off " })).unreachedFiles, "off");
    assert.equal(serverSettings(reader({ unreachedFiles: "hint" })).unreachedFiles, "hint");
    assert.equal(serverSettings(reader({ unreachedFiles: "loud" })).unreachedFiles, "loud");
    assert.equal(serverSettings(reader({ unreachedFiles: "" })).unreachedFiles, undefined);
    assert.equal(serverSettings(reader({ unreachedFiles: false })).unreachedFiles, undefined);
  });
});

describe("ruleSeverities", () => {
  it("normalizes levels, maps false to off and keeps unknown levels for the server to report", () => {
    assert.deepEqual(ruleSeverities({ KAI101: " WARNING ", KAI102: false, KAI103: "loud", "": "off", KAI104: 3 }), {
      KAI101: "warning",
      KAI102: "off",
      KAI103: "loud",
    });
  });

  it("ignores what is not an object", () => {
    assert.deepEqual(ruleSeverities(["KAI101"]), {});
    assert.deepEqual(ruleSeverities(null), {});
    assert.deepEqual(ruleSeverities("KAI101=off"), {});
  });
});

describe("explicitValue", () => {
  it("ignores the default", () => {
    assert.equal(explicitValue({}), undefined);
    assert.equal(explicitValue(undefined), undefined);
  });

  it("prefers the folder over the workspace over the user value", () => {
    assert.equal(explicitValue({ globalValue: "2.5" }), "2.5");
    assert.equal(explicitValue({ globalValue: "2.5", workspaceValue: "3.0" }), "3.0");
    assert.equal(explicitValue({ globalValue: "2.5", workspaceValue: "3.0", workspaceFolderValue: "auto" }), "auto");
  });

  it("merges rule tables", () => {
    assert.deepEqual(
      explicitValue({ globalValue: { KAI101: "off", KAI102: "hint" }, workspaceValue: { KAI102: "error" } }),
      { KAI101: "off", KAI102: "error" },
    );
  });
});

describe("launchSettings", () => {
  const vars = { home: "/home/dev", workspaceFolder: "/work/app", env: { VENV: "/opt/venv" } };

  it("expands ~, ${workspaceFolder}, ${userHome} and ${env:NAME}", () => {
    assert.equal(expandPath("~/bin/kaios-lsp", vars), "/home/dev/bin/kaios-lsp");
    assert.equal(expandPath("${workspaceFolder}/.venv/bin/python", vars), "/work/app/.venv/bin/python");
    assert.equal(expandPath("${userHome}/x", vars), "/home/dev/x");
    assert.equal(expandPath("${env:VENV}/bin/python", vars), "/opt/venv/bin/python");
    assert.equal(expandPath("${env:MISSING}/python", vars), "/python");
    assert.equal(expandPath("${workspaceFolder}/x", { home: "/h", env: {} }), "${workspaceFolder}/x");
  });

  it("treats blank paths as unset and reads the trace level", () => {
    assert.deepEqual(launchSettings(reader({ "server.path": "", interpreter: " ", "trace.server": "messages" }), vars), {
      serverPath: undefined,
      interpreter: undefined,
      trace: "messages",
    });
    assert.equal(launchSettings(reader({ "trace.server": "loud" }), vars).trace, "off");
  });
});

describe("changeAction", () => {
  it("restarts for the server path and the interpreter, notifies for the rest", () => {
    const affects = (changed: string[]) => (section: string) =>
      changed.some((key) => key === section || key.startsWith(`${section}.`));
    assert.equal(changeAction(affects(["kaios.server.path"])), "restart");
    assert.equal(changeAction(affects(["kaios.interpreter"])), "restart");
    assert.equal(changeAction(affects(["kaios.rules"])), "notify");
    assert.equal(changeAction(affects(["kaios.targetVersion"])), "notify");
    assert.equal(changeAction(affects(["editor.fontSize"])), "none");
  });
});
