/**
 * VS Code wiring: finds or installs kaios-lsp, starts it over stdio with
 * vscode-languageclient, forwards the "kaios" settings, and offers "KaiOS: Restart Server"
 * and "KaiOS: Check the Whole Workspace".
 * The decisions live in small modules without `vscode` (apps, discovery, bootstrap,
 * settings, workspaceCheck) that are unit tested with plain node.
 */

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  ResponseError,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";
import { appRoot, belongsToApp, DOCUMENT_SELECTOR, EXCLUDE_GLOB, isReportedFile, MANIFEST_GLOB } from "./apps";
import { BootstrapError, ensureServer, findWheel } from "./bootstrap";
import { describe, discover, type Host, type RunResult } from "./discovery";
import { changeAction, explicitValue, launchSettings, serverSettings, type SettingsReader } from "./settings";
import { CHECK_WORKSPACE_PALETTE_COMMAND, checkWorkspaceParams, checkWorkspaceSummary } from "./workspaceCheck";

let output: vscode.OutputChannel;
let client: LanguageClient | undefined;
/** Start and stop run one after the other. */
let queue: Promise<unknown> = Promise.resolve();

function log(message: string): void {
  output.appendLine(`[${new Date().toISOString()}] ${message}`);
}

function run(command: string, args: string[], options?: { timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: options?.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr),
          error: error && code === null ? String(error.code ?? error.message) : undefined,
        });
      },
    );
  });
}

const host: Host = {
  platform: process.platform,
  env: process.env,
  isExecutable: async (file) => {
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile()) return false;
      if (process.platform !== "win32") await fs.promises.access(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  run,
};

/** The "kaios" settings the user set (for `scope`, a resource URI string). */
function explicitSettings(scope?: string): SettingsReader {
  const uri = scope ? vscode.Uri.parse(scope) : undefined;
  const config = vscode.workspace.getConfiguration("kaios", uri);
  return { get: (key) => explicitValue(config.inspect(key)) };
}

function firstWorkspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function showError(message: string): Promise<void> {
  log(`error: ${message}`);
  const choice = await vscode.window.showErrorMessage(`KaiOS: ${message}`, "Show Output", "Open Settings");
  if (choice === "Show Output") output.show(true);
  if (choice === "Open Settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "@ext:kaios-lsp.kaios-lsp");
  }
}

/** How to run the server, installing the bundled one first if that is what it takes. */
async function serverCommand(
  context: vscode.ExtensionContext,
): Promise<{ command: string; args: string[] } | undefined> {
  const settings = launchSettings(vscode.workspace.getConfiguration("kaios"), {
    home: os.homedir(),
    workspaceFolder: firstWorkspaceFolder(),
    env: process.env,
  });
  log(`looking for the server (PATH=${process.env.PATH ?? ""})`);
  const found = await discover(settings, host);
  log(describe(found));
  switch (found.kind) {
    case "error":
      await showError(found.message);
      return undefined;
    case "executable":
    case "module":
      return { command: found.command, args: found.args };
    case "bootstrap": {
      const wheel = findWheel(path.join(context.extensionPath, "server"));
      if (wheel === undefined) {
        await showError(
          'This build of the extension has no bundled kaios-lsp wheel. Install kaios-lsp ("pip install <kaios-lsp wheel>") and set "kaios.server.path", or reinstall the extension from its .vsix.',
        );
        return undefined;
      }
      try {
        const result = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: "KaiOS: setting up the kaios-lsp server",
            cancellable: false,
          },
          (progress) =>
            ensureServer({
              python: found.python,
              storageDir: context.globalStorageUri.fsPath,
              wheel,
              platform: process.platform,
              run,
              report: (message) => {
                log(message);
                progress.report({ message });
              },
            }),
        );
        log(result.installed ? `installed into ${result.venvDir}` : `reusing ${result.venvDir}`);
        return { command: result.command, args: result.args };
      } catch (error) {
        if (error instanceof BootstrapError) {
          if (error.details) log(error.details);
          await showError(error.message);
        } else {
          await showError(`Setting up kaios-lsp failed: ${String(error)}`);
        }
        return undefined;
      }
    }
  }
}

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // Read before `workspace/configuration` is answered, and all Neovim 0.7 gets.
    initializationOptions: serverSettings(explicitSettings()),
    middleware: {
      // A build config (package.json, tsconfig.json…) of a project that is no KaiOS app
      // gets no diagnostics: the selector has to send every one of them.
      handleDiagnostics: (uri, diagnostics, next) => {
        if (uri.scheme === "file" && !isReportedFile(uri.fsPath, exists)) {
          next(uri, []);
          return;
        }
        next(uri, diagnostics);
      },
      workspace: {
        configuration: async (params, token, next) => {
          const answer = await next(params, token);
          if (answer instanceof ResponseError) return answer;
          return params.items.map((item, index) =>
            item.section === "kaios" ? serverSettings(explicitSettings(item.scopeUri)) : answer[index],
          );
        },
      },
    },
  };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (client !== undefined) return;
  const command = await serverCommand(context);
  if (command === undefined) return;
  const cwd = firstWorkspaceFolder();
  const serverOptions: ServerOptions = {
    command: command.command,
    args: command.args,
    transport: TransportKind.stdio,
    options: cwd !== undefined && fs.existsSync(cwd) ? { cwd } : {},
  };
  const created = new LanguageClient("kaios", "KaiOS (kaios-lsp)", serverOptions, clientOptions());
  client = created;
  log(`starting ${[command.command, ...command.args].join(" ")}`);
  try {
    await created.start();
    log("kaios-lsp is running");
  } catch (error) {
    client = undefined;
    await showError(`kaios-lsp did not start: ${String(error)}`);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) return;
  try {
    await running.stop(5_000);
  } catch (error) {
    log(`stopping the server: ${String(error)}`);
  }
}

function enqueue(task: () => Promise<void>): Promise<void> {
  const next = queue.then(task, task);
  queue = next.catch(() => undefined);
  return next;
}

/**
 * "KaiOS: Check the Whole Workspace": the server analyses every manifest, page and script
 * under the workspace folders, also the closed ones, publishes their diagnostics and
 * shows its work-done progress (in the status bar); the answer is summed up here.
 */
async function checkWorkspace(context: vscode.ExtensionContext): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage("KaiOS: open a folder to check the whole workspace.");
    return;
  }
  // Not started yet (no app found when the extension activated): start it now.
  await enqueue(() => start(context));
  const running = client;
  if (running === undefined) return; // start() has said why
  log("checking the whole workspace");
  try {
    const result: unknown = await running.sendRequest(ExecuteCommandRequest.type, checkWorkspaceParams());
    log(`workspace check: ${JSON.stringify(result)}`);
    void vscode.window.showInformationMessage(`KaiOS: ${checkWorkspaceSummary(result)}`);
  } catch (error) {
    await showError(`Checking the workspace failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function exists(file: string): boolean {
  try {
    return fs.existsSync(file);
  } catch {
    return false;
  }
}

async function workspaceHasApp(): Promise<boolean> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.uri.scheme === "file" && belongsToApp(document.uri.fsPath, document.languageId, exists)) {
      return true;
    }
  }
  if (!vscode.workspace.workspaceFolders?.length) return false;
  const found = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDE_GLOB, 1);
  return found.length > 0;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("KaiOS");
  context.subscriptions.push(output);
  log(`KaiOS extension ${String(context.extension.packageJSON.version)} on ${process.platform}`);

  context.subscriptions.push(
    vscode.commands.registerCommand("kaios.restartServer", () =>
      enqueue(async () => {
        log("restarting the server");
        await stop();
        await start(context);
      }),
    ),
    vscode.commands.registerCommand(CHECK_WORKSPACE_PALETTE_COMMAND, () => checkWorkspace(context)),
    vscode.commands.registerCommand("kaios.showOutput", () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const action = changeAction((section) => event.affectsConfiguration(section));
      if (action === "restart") {
        void enqueue(async () => {
          log("the server path or interpreter changed: restarting the server");
          await stop();
          await start(context);
        });
      } else if (action === "notify" && client !== undefined) {
        const settings = serverSettings(explicitSettings());
        log(`settings changed: ${JSON.stringify(settings)}`);
        void client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { kaios: settings },
        });
      }
    }),
  );

  if (await workspaceHasApp()) {
    await enqueue(() => start(context));
    return;
  }
  // Not an app workspace (yet): start when a manifest or a page inside an app is opened.
  const watcher = vscode.workspace.onDidOpenTextDocument((document) => {
    if (
      client === undefined &&
      document.uri.scheme === "file" &&
      belongsToApp(document.uri.fsPath, document.languageId, exists)
    ) {
      log(`opened ${document.uri.fsPath} in the app at ${appRoot(document.uri.fsPath, exists) ?? "?"}`);
      watcher.dispose();
      void enqueue(() => start(context));
    }
  });
  context.subscriptions.push(watcher);
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}
