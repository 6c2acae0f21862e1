/** Which files belong to a KaiOS app (pure; no `vscode` import). */

import * as path from "node:path";

export const MANIFEST_NAMES = ["manifest.webapp", "manifest.webmanifest"] as const;

/** The glob of `workspace.findFiles` that tells whether a workspace holds an app. */
export const MANIFEST_GLOB = "**/{manifest.webapp,manifest.webmanifest}";
export const EXCLUDE_GLOB = "**/{node_modules,.git}/**";

/**
 * Build config files that hold the build's syntax targets (browserslist, Babel's
 * preset-env targets, TypeScript's `target`): the server reports there when the build
 * keeps syntax the phone cannot run (`TARGET_CONFIG_NAMES` in
 * `kaios_lsp/app/project.py`). Their folder is the root of a build project.
 */
export const BUILD_CONFIG_NAMES = [
  "package.json",
  ".browserslistrc",
  "browserslist",
  ".babelrc",
  ".babelrc.json",
  "babel.config.json",
  "tsconfig.json",
] as const;

/**
 * Subfolders of a build project that may hold the app's manifest (a Vue CLI or Vite app
 * keeps it in `public/`, others in `src/`, `static/`…); the server looks in the same
 * places (`COPY_FOLDERS` in `kaios_lsp/app/project.py`, plus the output folders).
 */
export const MANIFEST_FOLDERS = ["public", "static", "src", "app", "assets", "dist", "build", "source"] as const;

/** Folders that end the search for a build project (as the server's does). */
const VCS_FOLDERS = [".git", ".hg", ".svn"] as const;

/** Languages whose documents inside an app start the server (manifests, pages, scripts). */
export const APP_LANGUAGES = [
  "json",
  "jsonc",
  "html",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
] as const;

/**
 * The documents the language client hands to the server. TypeScript and JSX (`.ts`,
 * `.tsx`, `.mts`, `.cts`, `.jsx`) come by language; the build configs by name, whatever
 * language VS Code gives them (`tsconfig.json` is jsonc, `.browserslistrc` plain text).
 * A selector cannot say "inside an app": the server finds nothing to report in files
 * outside one, and the client drops what it would publish for a build config of a project
 * that is no KaiOS app (`isReportedFile`).
 */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", pattern: "**/manifest.webapp" },
  { scheme: "file", pattern: "**/manifest.webmanifest" },
  { scheme: "file", pattern: "**/manifest.*.webmanifest" },
  { scheme: "file", pattern: "**/manifest.json" },
  { scheme: "file", language: "html" },
  { scheme: "file", language: "javascript" },
  { scheme: "file", language: "javascriptreact" },
  { scheme: "file", language: "typescript" },
  { scheme: "file", language: "typescriptreact" },
  ...BUILD_CONFIG_NAMES.map((name) => ({ scheme: "file", pattern: `**/${name}` })),
];

export function isManifestName(file: string): boolean {
  const name = path.basename(file).toLowerCase();
  return (
    name === "manifest.webapp" ||
    name === "manifest.webmanifest" ||
    /^manifest\.[a-z0-9_-]+\.webmanifest$/.test(name)
  );
}

/** Whether a file is one of the build configs the server checks (exact names). */
export function isBuildConfigName(file: string, pathApi: typeof path.posix = path): boolean {
  return (BUILD_CONFIG_NAMES as readonly string[]).includes(pathApi.basename(file));
}

/**
 * The app folder of a file (`undefined` when there is none): walking up from the file,
 * the first folder that holds a manifest, or the nearest build project (a folder with a
 * `package.json` or one of the build configs, not above a `.git`) whose `public/`,
 * `static/`, `src/`… subfolder holds the manifest. For a build config that means: a
 * manifest beside it, in one of those subfolders, or above it. The app folder is the
 * project's: the build project's folder when the manifest is in such a subfolder of it
 * (the sources and the build configs are beside that subfolder), else the manifest's.
 * The Neovim plugin's `root_dir` is the same rule.
 */
export function appRoot(
  file: string,
  exists: (candidate: string) => boolean,
  pathApi: typeof path.posix = path,
): string | undefined {
  const isProject = (dir: string) => BUILD_CONFIG_NAMES.some((name) => exists(pathApi.join(dir, name)));
  const hasManifest = (dir: string) => MANIFEST_NAMES.some((name) => exists(pathApi.join(dir, name)));
  const projectOf = (dir: string) => {
    const parent = pathApi.dirname(dir);
    const inSubfolder = (MANIFEST_FOLDERS as readonly string[]).includes(pathApi.basename(dir));
    return parent !== dir && inSubfolder && !isProject(dir) && isProject(parent) ? parent : dir;
  };
  if (isManifestName(file)) return projectOf(pathApi.dirname(file));
  let dir = pathApi.dirname(file);
  // The file itself marks its folder as a project (even before it is saved).
  let lookForProject = true;
  let projectHere = isBuildConfigName(file, pathApi);
  for (;;) {
    if (hasManifest(dir)) return projectOf(dir);
    if (lookForProject) {
      projectHere = projectHere || isProject(dir);
      if (projectHere) {
        lookForProject = false; // only the nearest project counts
        if (MANIFEST_FOLDERS.some((sub) => hasManifest(pathApi.join(dir, sub)))) return dir;
      } else if (VCS_FOLDERS.some((name) => exists(pathApi.join(dir, name)))) {
        lookForProject = false;
      }
    }
    const parent = pathApi.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Whether opening this document should start the server: a KaiOS manifest, a
 * `manifest.json` (the server decides whether it is a KaiOS one), a build config of an
 * app, or a page or script (HTML, JavaScript, TypeScript, JSX) in an app.
 */
export function belongsToApp(
  file: string,
  languageId: string,
  exists: (candidate: string) => boolean,
  pathApi: typeof path.posix = path,
): boolean {
  if (isManifestName(file) || pathApi.basename(file).toLowerCase() === "manifest.json") return true;
  if (!isBuildConfigName(file, pathApi) && !(APP_LANGUAGES as readonly string[]).includes(languageId)) {
    return false;
  }
  return appRoot(file, exists, pathApi) !== undefined;
}

/**
 * Whether the server's diagnostics for a file are shown. All of them but those of a build
 * config outside any app: the `package.json` of a project that is no KaiOS app (in the
 * same workspace as one) gets none, whatever the server says.
 */
export function isReportedFile(
  file: string,
  exists: (candidate: string) => boolean,
  pathApi: typeof path.posix = path,
): boolean {
  return !isBuildConfigName(file, pathApi) || appRoot(file, exists, pathApi) !== undefined;
}
