import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  appRoot,
  belongsToApp,
  BUILD_CONFIG_NAMES,
  DOCUMENT_SELECTOR,
  isBuildConfigName,
  isManifestName,
  isReportedFile,
} from "../apps";

const files = new Set([
  "/work/podcast/manifest.webapp",
  "/work/pwa/manifest.webmanifest",
  // A Vue CLI / Vite app: the manifest in public/, the sources in src/, configs at the root.
  "/work/vue/package.json",
  "/work/vue/public/manifest.webapp",
  "/work/vue/src/main.ts",
  // A KaiOS 3.0 app with its manifest in static/, and a tsconfig as its only config.
  "/work/kai3/tsconfig.json",
  "/work/kai3/static/manifest.webmanifest",
  // An app whose package.json is in the manifest's folder.
  "/work/flat/package.json",
  "/work/flat/manifest.webapp",
  // A Node project that is no KaiOS app, beside them.
  "/work/node-lib/package.json",
  "/work/node-lib/.git",
  "/work/node-lib/public/index.html",
  // A monorepo: the app is one package; a sibling package is no app.
  "/work/mono/package.json",
  "/work/mono/public/manifest.webapp",
  "/work/mono/packages/lib/package.json",
]);
const exists = (file: string) => files.has(file);

describe("apps", () => {
  it("knows the manifest names", () => {
    assert.ok(isManifestName("/a/manifest.webapp"));
    assert.ok(isManifestName("/a/manifest.webmanifest"));
    assert.ok(isManifestName("/a/manifest.en-US.webmanifest"));
    assert.ok(!isManifestName("/a/manifest.json"));
    assert.ok(!isManifestName("/a/package.json"));
  });

  it("knows the build configs that hold the syntax targets, by exact name", () => {
    for (const name of [
      "package.json",
      ".browserslistrc",
      "browserslist",
      ".babelrc",
      ".babelrc.json",
      "babel.config.json",
      "tsconfig.json",
    ]) {
      assert.ok(isBuildConfigName(`/a/${name}`, path.posix), name);
    }
    assert.ok(!isBuildConfigName("/a/package-lock.json", path.posix));
    assert.ok(!isBuildConfigName("/a/tsconfig.base.json", path.posix));
    assert.ok(!isBuildConfigName("/a/babel.config.js", path.posix));
    assert.ok(!isBuildConfigName("/a/Package.json", path.posix));
  });

  it("finds the app folder of a page or script", () => {
    assert.equal(appRoot("/work/podcast/js/app.js", exists, path.posix), "/work/podcast");
    assert.equal(appRoot("/work/pwa/index.html", exists, path.posix), "/work/pwa");
    assert.equal(appRoot("/work/podcast/manifest.webapp", exists, path.posix), "/work/podcast");
    assert.equal(appRoot("/work/other/index.html", exists, path.posix), undefined);
  });

  it("takes a build project whose public/, static/… folder holds the manifest as the app", () => {
    assert.equal(appRoot("/work/vue/src/main.ts", exists, path.posix), "/work/vue");
    assert.equal(appRoot("/work/vue/src/components/List.tsx", exists, path.posix), "/work/vue");
    assert.equal(appRoot("/work/vue/package.json", exists, path.posix), "/work/vue");
    assert.equal(appRoot("/work/vue/.browserslistrc", exists, path.posix), "/work/vue");
    // the manifest and the pages beside it: the same project folder (one server)
    assert.equal(appRoot("/work/vue/public/manifest.webapp", exists, path.posix), "/work/vue");
    assert.equal(appRoot("/work/vue/public/index.html", exists, path.posix), "/work/vue");
    assert.equal(appRoot("/work/kai3/static/manifest.webmanifest", exists, path.posix), "/work/kai3");
    assert.equal(appRoot("/work/mono/public/manifest.webapp", exists, path.posix), "/work/mono");
    assert.equal(appRoot("/work/kai3/src/app.jsx", exists, path.posix), "/work/kai3");
    assert.equal(appRoot("/work/kai3/tsconfig.json", exists, path.posix), "/work/kai3");
    assert.equal(appRoot("/work/flat/package.json", exists, path.posix), "/work/flat");
    assert.equal(appRoot("/work/vue/babel.config.json", exists, path.posix), "/work/vue");
  });

  it("takes a build config's own folder as a project, even before it is saved", () => {
    const fresh = new Set(["/work/new/public/manifest.webapp"]);
    const onDisk = (file: string) => fresh.has(file);
    assert.equal(appRoot("/work/new/package.json", onDisk, path.posix), "/work/new");
    assert.equal(appRoot("/work/new/src/main.ts", onDisk, path.posix), undefined);
    // no build project around public/: the manifest's folder is the app
    assert.equal(appRoot("/work/new/public/manifest.webapp", onDisk, path.posix), "/work/new/public");
  });

  it("looks for the manifest in the subfolders of the nearest project only", () => {
    assert.equal(appRoot("/work/node-lib/package.json", exists, path.posix), undefined);
    assert.equal(appRoot("/work/node-lib/src/index.ts", exists, path.posix), undefined);
    assert.equal(appRoot("/work/mono/packages/lib/package.json", exists, path.posix), undefined);
    assert.equal(appRoot("/work/mono/packages/lib/src/index.ts", exists, path.posix), undefined);
    assert.equal(appRoot("/work/mono/src/main.ts", exists, path.posix), "/work/mono");
  });

  it("does not look for a project above a repository root", () => {
    const repo = new Set(["/work/package.json", "/work/public/manifest.webapp", "/work/tool/.git"]);
    const inRepo = (file: string) => repo.has(file);
    assert.equal(appRoot("/work/tool/src/x.ts", inRepo, path.posix), undefined);
    assert.equal(appRoot("/work/src/x.ts", inRepo, path.posix), "/work");
  });

  it("starts the server for manifests and for pages, scripts and build configs inside apps only", () => {
    assert.ok(belongsToApp("/anywhere/manifest.webapp", "json", exists, path.posix));
    assert.ok(belongsToApp("/anywhere/manifest.json", "json", exists, path.posix));
    assert.ok(!belongsToApp("/anywhere/package.json", "json", exists, path.posix));
    assert.ok(belongsToApp("/work/podcast/index.html", "html", exists, path.posix));
    assert.ok(belongsToApp("/work/podcast/js/app.js", "javascript", exists, path.posix));
    assert.ok(!belongsToApp("/work/podcast/css/app.css", "css", exists, path.posix));
    assert.ok(!belongsToApp("/work/other/app.js", "javascript", exists, path.posix));
    for (const language of ["typescript", "typescriptreact", "javascriptreact"]) {
      assert.ok(belongsToApp("/work/vue/src/main.ts", language, exists, path.posix), language);
      assert.ok(!belongsToApp("/work/node-lib/src/main.ts", language, exists, path.posix), language);
    }
    assert.ok(!belongsToApp("/work/vue/src/main.css", "css", exists, path.posix));
    // build configs by name, whatever their language (.browserslistrc is plain text)
    assert.ok(belongsToApp("/work/vue/package.json", "json", exists, path.posix));
    assert.ok(belongsToApp("/work/vue/.browserslistrc", "plaintext", exists, path.posix));
    assert.ok(belongsToApp("/work/vue/browserslist", "plaintext", exists, path.posix));
    assert.ok(belongsToApp("/work/kai3/tsconfig.json", "jsonc", exists, path.posix));
    assert.ok(belongsToApp("/work/flat/package.json", "json", exists, path.posix));
    assert.ok(!belongsToApp("/work/node-lib/package.json", "json", exists, path.posix));
    assert.ok(!belongsToApp("/work/node-lib/.browserslistrc", "plaintext", exists, path.posix));
    assert.ok(!belongsToApp("/work/mono/packages/lib/package.json", "json", exists, path.posix));
    assert.ok(!belongsToApp("/work/vue/notes.txt", "plaintext", exists, path.posix));
  });

  it("shows the diagnostics of build configs inside apps only", () => {
    assert.ok(isReportedFile("/work/vue/package.json", exists, path.posix));
    assert.ok(isReportedFile("/work/kai3/tsconfig.json", exists, path.posix));
    assert.ok(!isReportedFile("/work/node-lib/package.json", exists, path.posix));
    assert.ok(!isReportedFile("/work/node-lib/tsconfig.json", exists, path.posix));
    // other files: as the server says (it finds nothing to report outside an app)
    assert.ok(isReportedFile("/work/node-lib/src/index.ts", exists, path.posix));
    assert.ok(isReportedFile("/work/podcast/manifest.webapp", exists, path.posix));
  });

  it("hands TypeScript, JSX and the build configs to the server", () => {
    const languages = DOCUMENT_SELECTOR.flatMap((f) => ("language" in f ? [f.language] : []));
    assert.deepEqual(languages.sort(), ["html", "javascript", "javascriptreact", "typescript", "typescriptreact"]);
    const patterns = DOCUMENT_SELECTOR.flatMap((f) => ("pattern" in f ? [f.pattern] : []));
    for (const name of BUILD_CONFIG_NAMES) assert.ok(patterns.includes(`**/${name}`), name);
    assert.ok(DOCUMENT_SELECTOR.every((f) => f.scheme === "file"));
  });
});
