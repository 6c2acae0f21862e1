/**
 * "KaiOS: Check the Whole Workspace": the server command it runs and how its answer is
 * reported. Pure (no `vscode` import) so it runs under plain `node --test`.
 */

/** The server's command (`kaios_lsp/lsp/workspace_check.py`, `workspace/executeCommand`, no arguments). */
export const CHECK_WORKSPACE_COMMAND = "kaios-lsp.checkWorkspace";

/** The extension's palette command that sends it. */
export const CHECK_WORKSPACE_PALETTE_COMMAND = "kaios.checkWorkspace";

/** The `workspace/executeCommand` parameters. */
export function checkWorkspaceParams(): { command: string; arguments: unknown[] } {
  return { command: CHECK_WORKSPACE_COMMAND, arguments: [] };
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The message for the server's answer, `{"files": n, "problems": m}`. The server counts
 * only the problems of the files that are not open (open ones keep their own, live
 * results), hence "in closed files". Any other answer gets a message without numbers.
 */
export function checkWorkspaceSummary(result: unknown): string {
  const answer = result !== null && typeof result === "object" ? (result as Record<string, unknown>) : {};
  const files = count(answer.files);
  const problems = count(answer.problems);
  if (files === undefined || problems === undefined) {
    return "Checked the workspace. See the Problems panel.";
  }
  if (files === 0) return "Found no KaiOS manifest, page or script in the workspace.";
  const found = problems === 0 ? "no problems" : plural(problems, "problem", "problems");
  return `Checked ${plural(files, "file", "files")}: ${found} in closed files.`;
}
