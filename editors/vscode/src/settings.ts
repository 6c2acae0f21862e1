/**
 * The extension's settings: what the server gets as its "kaios" configuration section,
 * and what the extension itself uses to start the server. Pure (no `vscode` import) so it
 * runs under plain `node --test`.
 */

/**
 * Reads one key of the "kaios" section. For `serverSettings` it returns only a value the
 * user set (VS Code's `inspect`), `undefined` otherwise: a default sent to the server would
 * override the app's `kaios-lsp.toml`, which ranks below editor settings.
 */
export interface SettingsReader {
  get(key: string): unknown;
}

export type Severity = "error" | "warning" | "info" | "hint" | "off";
export type TraceLevel = "off" | "messages" | "verbose";

/** The "kaios" section as the server reads it (`kaios_lsp/config.py`). */
export interface ServerSettings {
  targetVersion?: string;
  rules?: Record<string, Severity>;
  distribution?: string;
  debounceMs?: number;
  maxFileSize?: number;
  defaultCsp?: Record<string, string>;
  kaios3ManifestCsp?: boolean;
  secureContext?: string;
  checkVendorCode?: boolean;
  exclude?: string[];
  unreachedFiles?: string;
  signatureExpiryDays?: number;
  /** Editor-side keys: forwarded as the issue asks, accepted and ignored by the server. */
  server?: { path: string };
  interpreter?: string;
  trace?: { server: TraceLevel };
}

/** What the extension needs to start the server. */
export interface LaunchSettings {
  serverPath: string | undefined;
  interpreter: string | undefined;
  trace: TraceLevel;
}

const SEVERITIES = new Set<string>(["error", "warning", "info", "hint", "off"]);
const TRACES = new Set<string>(["off", "messages", "verbose"]);

/** Settings whose change needs a new server process (the others are sent to it). */
export const RESTART_SETTINGS = ["kaios.server.path", "kaios.interpreter"] as const;

function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

function integer(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

/** A string-to-string object (the policies of `defaultCsp`); anything else is left out. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 || entries.some(([, v]) => typeof v !== "string")) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * The glob patterns of `exclude`: the non-blank strings of a list (or one string),
 * trimmed; `undefined` for anything else and for an empty list (the server adds the
 * editor's patterns to those of the app's `kaios-lsp.toml`, so an empty list adds nothing).
 */
function patterns(value: unknown): string[] | undefined {
  const items = typeof value === "string" ? [value] : Array.isArray(value) ? (value as unknown[]) : [];
  const found = items
    .filter((item): item is string => typeof item === "string" && item.trim() !== "")
    .map((item) => item.trim());
  return found.length > 0 ? found : undefined;
}

/**
 * The per-rule severities. A value the server would not understand is passed on unchanged
 * (the server reports it once and uses the default), so a typo is not silently dropped.
 */
export function ruleSeverities(value: unknown): Record<string, Severity> {
  const rules: Record<string, Severity> = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return rules;
  for (const [rule, level] of Object.entries(value as Record<string, unknown>)) {
    if (rule.trim() === "") continue;
    if (level === false) {
      rules[rule] = "off";
    } else if (typeof level === "string") {
      const normalized = level.trim().toLowerCase();
      rules[rule] = (SEVERITIES.has(normalized) ? normalized : level) as Severity;
    }
  }
  return rules;
}

export function traceLevel(value: unknown): TraceLevel {
  return typeof value === "string" && TRACES.has(value) ? (value as TraceLevel) : "off";
}

/**
 * The "kaios" section sent to the server (answer to `workspace/configuration` and the
 * payload of `workspace/didChangeConfiguration`). Keys the user did not set are left out,
 * so the app's `kaios-lsp.toml` applies to them; values are passed on as set (the server
 * reports a wrong one once and uses its default). The editor-only keys are included; the
 * server accepts and ignores them.
 */
export function serverSettings(config: SettingsReader): ServerSettings {
  const settings: ServerSettings = {};
  const target = text(config.get("targetVersion"));
  if (target !== undefined) settings.targetVersion = target;
  const rules = ruleSeverities(config.get("rules"));
  if (Object.keys(rules).length > 0) settings.rules = rules;
  const distribution = text(config.get("distribution"));
  if (distribution !== undefined) settings.distribution = distribution;
  const debounce = integer(config.get("debounceMs"));
  if (debounce !== undefined) settings.debounceMs = Math.max(0, debounce);
  const maxFileSize = integer(config.get("maxFileSize"));
  if (maxFileSize !== undefined) settings.maxFileSize = maxFileSize;
  const defaultCsp = stringMap(config.get("defaultCsp"));
  if (defaultCsp !== undefined) settings.defaultCsp = defaultCsp;
  const manifestCsp = config.get("kaios3ManifestCsp");
  if (typeof manifestCsp === "boolean") settings.kaios3ManifestCsp = manifestCsp;
  const secureContext = text(config.get("secureContext"));
  if (secureContext !== undefined) settings.secureContext = secureContext;
  const vendorCode = config.get("checkVendorCode");
  if (typeof vendorCode === "boolean") settings.checkVendorCode = vendorCode;
  const exclude = patterns(config.get("exclude"));
  if (exclude !== undefined) settings.exclude = exclude;
  const unreachedFiles = text(config.get("unreachedFiles"));
  if (unreachedFiles !== undefined) settings.unreachedFiles = unreachedFiles;
  const expiryDays = integer(config.get("signatureExpiryDays"));
  if (expiryDays !== undefined) settings.signatureExpiryDays = Math.max(0, expiryDays);
  settings.server = { path: text(config.get("server.path")) ?? "" };
  settings.interpreter = text(config.get("interpreter")) ?? "";
  settings.trace = { server: traceLevel(config.get("trace.server")) };
  return settings;
}

/**
 * Expands `~` and `${workspaceFolder}` / `${userHome}` / `${env:NAME}` in a path setting.
 */
export function expandPath(
  value: string,
  vars: { home: string; workspaceFolder?: string; env: Record<string, string | undefined> },
): string {
  let result = value.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (
    match,
    name: string,
    envName: string | undefined,
  ) => {
    if (name === "userHome") return vars.home;
    if (name === "workspaceFolder") return vars.workspaceFolder ?? match;
    return vars.env[envName ?? ""] ?? "";
  });
  if (result === "~" || result.startsWith("~/") || result.startsWith("~\\")) {
    result = vars.home + result.slice(1);
  }
  return result;
}

export function launchSettings(
  config: SettingsReader,
  vars: { home: string; workspaceFolder?: string; env: Record<string, string | undefined> },
): LaunchSettings {
  const serverPath = text(config.get("server.path"));
  const interpreter = text(config.get("interpreter"));
  return {
    serverPath: serverPath === undefined ? undefined : expandPath(serverPath, vars),
    interpreter: interpreter === undefined ? undefined : expandPath(interpreter, vars),
    trace: traceLevel(config.get("trace.server")),
  };
}

/** What a configuration change requires: a restart, a notification, or nothing. */
export function changeAction(affects: (section: string) => boolean): "restart" | "notify" | "none" {
  if (RESTART_SETTINGS.some((key) => affects(key))) return "restart";
  return affects("kaios") ? "notify" : "none";
}

/** What VS Code's `WorkspaceConfiguration.inspect` returns (the parts used here). */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The value the user set, ignoring the default: the folder value over the workspace value
 * over the user value; objects (`rules`) are merged key by key, like VS Code does.
 */
export function explicitValue(inspected: Inspected | undefined): unknown {
  if (inspected === undefined) return undefined;
  const layers = [inspected.globalValue, inspected.workspaceValue, inspected.workspaceFolderValue].filter(
    (value) => value !== undefined && value !== null,
  );
  if (layers.length === 0) return undefined;
  if (layers.every(isPlainObject)) return Object.assign({}, ...layers) as Record<string, unknown>;
  return layers[layers.length - 1];
}
