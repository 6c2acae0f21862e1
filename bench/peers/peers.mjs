// In-process timings of the peers a KaiOS developer would otherwise run, on the same input
// as kaios-lsp (see bench/peers.py): vscode-json-languageservice validating a manifest with
// kaios-lsp's own JSON Schema, and ESLint (no-eval, no-implied-eval, no-new-func) on a script.
// Each run applies one single-character edit (typed, then deleted) and times parse + validate.
//   node peers.mjs json SCHEMA FILE RUNS   |   node peers.mjs eslint FILE RUNS
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const [mode, ...args] = process.argv.slice(2);

function edits(text, runs) {
  const at = Math.floor(text.length / 2);
  const typed = text.slice(0, at) + "x" + text.slice(at);
  return Array.from({ length: runs }, (_, i) => (i % 2 === 0 ? typed : text));
}

async function jsonService(schemaPath, file, runs) {
  const service_module = await import("vscode-json-languageservice");
  const { getLanguageService } = service_module.default ?? service_module;
  const { TextDocument } = await import("vscode-languageserver-textdocument");
  const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
  const service = getLanguageService({});
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [{ uri: "kaios://manifest.schema.json", fileMatch: ["*.webapp"], schema }],
  });
  const text = readFileSync(file, "utf8");
  const times = [];
  let problems = 0;
  let version = 1;
  for (const variant of [...edits(text, 20), ...edits(text, runs)]) {
    const document = TextDocument.create("file:///bench/manifest.webapp", "json", version++, variant);
    const start = performance.now();
    const parsed = service.parseJSONDocument(document);
    const diagnostics = await service.doValidation(document, parsed);
    times.push(performance.now() - start);
    problems = diagnostics.length;
  }
  return { times: times.slice(20), problems };
}

async function eslint(file, runs) {
  const { Linter } = await import("eslint");
  const linter = new Linter({ configType: "flat" });
  const config = [
    {
      rules: { "no-eval": "error", "no-implied-eval": "error", "no-new-func": "error" },
      languageOptions: { ecmaVersion: "latest", sourceType: "script" },
    },
  ];
  const text = readFileSync(file, "utf8");
  const times = [];
  let problems = 0;
  for (const variant of [...edits(text, 10), ...edits(text, runs)]) {
    const start = performance.now();
    const messages = linter.verify(variant, config);
    times.push(performance.now() - start);
    problems = messages.length;
  }
  return { times: times.slice(10), problems };
}

const result =
  mode === "json"
    ? await jsonService(args[0], args[1], Number(args[2]))
    : await eslint(args[0], Number(args[1]));
result.rss_kb = Math.round(process.memoryUsage().rss / 1024);
process.stdout.write(JSON.stringify(result));
