import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { appRoot, belongsToApp, isManifestName } from "../apps";

const files = new Set(["/work/podcast/manifest.webapp", "/work/pwa/manifest.webmanifest"]);
const exists = (file: string) => files.has(file);

describe("apps", () => {
  it("knows the manifest names", () => {
    assert.ok(isManifestName("/a/manifest.webapp"));
    assert.ok(isManifestName("/a/manifest.webmanifest"));
    assert.ok(isManifestName("/a/manifest.en-US.webmanifest"));
    assert.ok(!isManifestName("/a/manifest.json"));
    assert.ok(!isManifestName("/a/package.json"));
  });

  it("finds the app folder of a page or script", () => {
    assert.equal(appRoot("/work/podcast/js/app.js", exists, path.posix), "/work/podcast");
    assert.equal(appRoot("/work/pwa/index.html", exists, path.posix), "/work/pwa");
    assert.equal(appRoot("/work/podcast/manifest.webapp", exists, path.posix), "/work/podcast");
    assert.equal(appRoot("/work/other/index.html", exists, path.posix), undefined);
  });

  it("starts the server for manifests and for HTML/JS inside apps only", () => {
    assert.ok(belongsToApp("/anywhere/manifest.webapp", "json", exists, path.posix));
    assert.ok(belongsToApp("/anywhere/manifest.json", "json", exists, path.posix));
    assert.ok(!belongsToApp("/anywhere/package.json", "json", exists, path.posix));
    assert.ok(belongsToApp("/work/podcast/index.html", "html", exists, path.posix));
    assert.ok(belongsToApp("/work/podcast/js/app.js", "javascript", exists, path.posix));
    assert.ok(!belongsToApp("/work/podcast/css/app.css", "css", exists, path.posix));
    assert.ok(!belongsToApp("/work/other/app.js", "javascript", exists, path.posix));
  });
});
