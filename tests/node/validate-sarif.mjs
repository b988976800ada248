// Validates SARIF files against the SARIF 2.1.0 JSON schema (vendored in
// tests/reports/, the copy Microsoft's SARIF multitool ships) with ajv,
// then with the multitool itself (its SARIF and GitHub rule sets).
// Prints one line per file: "valid FILE" or "invalid FILE: reasons";
// exits 1 if any file is invalid.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;
const here = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(path.join(here, "..", "reports", "sarif-schema-2.1.0.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const multitool = path.join(here, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");

let bad = 0;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    console.log(`invalid ${file}: not JSON: ${e.message}`);
    bad++;
    continue;
  }
  if (!validate(doc)) {
    const why = validate.errors.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`).join("; ");
    console.log(`invalid ${file}: schema: ${why}`);
    bad++;
    continue;
  }
  // The multitool: errors fail; warnings are listed.
  const out = file + ".validation.sarif";
  const r = spawnSync(multitool, ["validate", file, "--rule-kind", "Sarif;Gh", "-o", out,
    "--log", "ForceOverwrite"], { encoding: "utf8", timeout: 120000 });
  if (r.error || r.status !== 0) {
    console.log(`invalid ${file}: multitool did not run: ${r.error ? r.error.message : r.status} ${r.stdout} ${r.stderr}`);
    bad++;
    continue;
  }
  const lines = (r.stdout || "").split("\n");
  const errors = lines.filter((l) => /: error /.test(l));
  const warnings = lines.filter((l) => /: warning /.test(l)).map((l) => l.replace(/^.*: warning /, "").slice(0, 120));
  if (errors.length) {
    console.log(`invalid ${file}: multitool: ${errors.slice(0, 5).join(" | ")}`);
    bad++;
    continue;
  }
  console.log(`valid ${file}` + (warnings.length ? ` (multitool warnings: ${[...new Set(warnings)].join(" | ")})` : ""));
}
process.exit(bad ? 1 : 0);
