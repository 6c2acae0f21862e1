import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CHECK_WORKSPACE_COMMAND,
  CHECK_WORKSPACE_PALETTE_COMMAND,
  checkWorkspaceParams,
  checkWorkspaceSummary,
} from "../workspaceCheck";

describe("checkWorkspace", () => {
  it("sends the server's command without arguments", () => {
    assert.equal(CHECK_WORKSPACE_COMMAND, "kaios-lsp.checkWorkspace");
    assert.deepEqual(checkWorkspaceParams(), { command: "kaios-lsp.checkWorkspace", arguments: [] });
  });

  it("has its own palette command, not the id the language client registers for the server's", () => {
    assert.notEqual(CHECK_WORKSPACE_PALETTE_COMMAND, CHECK_WORKSPACE_COMMAND);
  });

  it("sums up the server's answer", () => {
    assert.equal(
      checkWorkspaceSummary({ files: 12, problems: 3 }),
      "Checked 12 files: 3 problems in closed files.",
    );
    assert.equal(
      checkWorkspaceSummary({ files: 1, problems: 1 }),
      "Checked 1 file: 1 problem in closed files.",
    );
    assert.equal(
      checkWorkspaceSummary({ files: 2, problems: 0 }),
      "Checked 2 files: no problems in closed files.",
    );
    assert.equal(
      checkWorkspaceSummary({ files: 0, problems: 0 }),
      "Found no KaiOS manifest, page or script in the workspace.",
    );
  });

  it("does without numbers when the answer has none", () => {
    for (const answer of [null, undefined, "done", { files: "3" }, { files: 2 }, { files: -1, problems: 0 }]) {
      assert.equal(checkWorkspaceSummary(answer), "Checked the workspace. See the Problems panel.");
    }
  });
});
