/** Which files belong to a KaiOS app (pure; no `vscode` import). */

import * as path from "node:path";

export const MANIFEST_NAMES = ["manifest.webapp", "manifest.webmanifest"] as const;

/** The glob of `workspace.findFiles` that tells whether a workspace holds an app. */
export const MANIFEST_GLOB = "**/{manifest.webapp,manifest.webmanifest}";
export const EXCLUDE_GLOB = "**/{node_modules,.git}/**";

/** Languages whose documents are sent to the server (it checks manifests and app pages). */
export const APP_LANGUAGES = ["json", "jsonc", "html", "javascript"] as const;

/** The documents the language client hands to the server. */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", pattern: "**/manifest.webapp" },
  { scheme: "file", pattern: "**/manifest.webmanifest" },
  { scheme: "file", pattern: "**/manifest.*.webmanifest" },
  { scheme: "file", pattern: "**/manifest.json" },
  { scheme: "file", language: "html" },
  { scheme: "file", language: "javascript" },
];

export function isManifestName(file: string): boolean {
  const name = path.basename(file).toLowerCase();
  return (
    name === "manifest.webapp" ||
    name === "manifest.webmanifest" ||
    /^manifest\.[a-z0-9_-]+\.webmanifest$/.test(name)
  );
}

/**
 * The app folder of a file: the nearest folder at or above it that holds a manifest
 * (`undefined` when there is none).
 */
export function appRoot(
  file: string,
  exists: (candidate: string) => boolean,
  pathApi: typeof path.posix = path,
): string | undefined {
  if (isManifestName(file)) return pathApi.dirname(file);
  let dir = pathApi.dirname(file);
  for (;;) {
    if (MANIFEST_NAMES.some((name) => exists(pathApi.join(dir, name)))) return dir;
    const parent = pathApi.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether opening this document should start the server: a KaiOS manifest, a
 * `manifest.json` (the server decides whether it is a KaiOS one), or HTML/JS in an app.
 */
export function belongsToApp(
  file: string,
  languageId: string,
  exists: (candidate: string) => boolean,
  pathApi: typeof path.posix = path,
): boolean {
  if (isManifestName(file) || pathApi.basename(file).toLowerCase() === "manifest.json") return true;
  if (!(APP_LANGUAGES as readonly string[]).includes(languageId)) return false;
  return appRoot(file, exists, pathApi) !== undefined;
}
