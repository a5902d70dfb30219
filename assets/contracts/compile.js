#!/usr/bin/env node
// Compiles every .sol file beside this script with solc-js (the `solc` npm package, pinned in
// package.json) and writes build/<ContractName>.json for each deployable contract:
//   {"contractName", "abi", "bytecode", "deployedBytecode"}
// Usage: node assets/contracts/compile.js [--check]
//   --check  write nothing; exit 1 naming each build file that is missing, stale or extra.
// A compile also writes build/sources.sha256: the SHA-256 of this script, every .sol file, the
// installed solc package's version and every build file it wrote. `--check` compares that first
// and skips solc when it matches: the build files are then, byte for byte, what this script
// compiled from these very sources with this compiler. Any change to one of them (or a missing
// stamp) runs the full compile and comparison. The stamp is only evidence as long as nobody
// writes it by hand.
// Output depends only on the sources and the compiler: sources are keyed by file name, the
// metadata hash is left out of the bytecode, and files are written in a fixed form.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');


const DIR = __dirname;
const BUILD = path.join(DIR, 'build');
const EXPECTED_SOLC = '0.8.37';
const STAMP = path.join(BUILD, 'sources.sha256');

// The SHA-256 that build/sources.sha256 holds when the build files are what this script
// compiled from the sources: over this script, the sources, solc's package version and the
// build files, each with its name.
function stamp(files) {
  const hash = crypto.createHash('sha256');
  const add = (name, bytes) => hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  add('compile.js', fs.readFileSync(__filename));
  for (const f of files) add(f, fs.readFileSync(path.join(DIR, f)));
  add('solc', require('solc/package.json').version);
  const built = fs.existsSync(BUILD) ? fs.readdirSync(BUILD).filter((f) => f.endsWith('.json')).sort() : [];
  for (const f of built) add(`build/${f}`, fs.readFileSync(path.join(BUILD, f)));
  return { hex: hash.digest('hex'), built: built.length };
}

function fail(message) {
  process.stderr.write(`compile.js: ${message}\n`);
  process.exit(1);
}

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) fail(`unknown argument(s): ${unknown.join(' ')} (usage: compile.js [--check])`);
  const check = args.includes('--check');

  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.sol')).sort();
  if (files.length === 0) fail(`no .sol files in ${DIR}`);
  const before = stamp(files);
  const stamped = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, 'utf8').split(/\s/)[0] : '';
  if (check && stamped === before.hex) {
    process.stdout.write(
      `build/ is up to date: ${before.built} contracts; sources, compiler and build unchanged since compiled (build/sources.sha256), solc not run\n`,
    );
    return;
  }

  const solc = require('solc');
  const version = solc.version();
  if (!version.startsWith(`${EXPECTED_SOLC}+`)) {
    fail(`solc ${version} is installed but ${EXPECTED_SOLC} is expected (run npm ci)`);
  }

  const sources = {};
  for (const f of files) sources[f] = { content: fs.readFileSync(path.join(DIR, f), 'utf8') };

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      metadata: { bytecodeHash: 'none' },
      outputSelection: {
        '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] },
      },
    },
  };

  // Every source is given up front; an import of anything else is an error.
  const findImports = (p) => ({ error: `import not found: ${p} (only files in assets/contracts are compiled)` });
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));

  const diagnostics = output.errors || [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics.filter((d) => d.severity !== 'error')) {
    process.stderr.write(`${d.formattedMessage || d.message}\n`);
  }
  if (errors.length > 0) {
    for (const d of errors) process.stderr.write(`${d.formattedMessage || d.message}\n`);
    fail(`${errors.length} compiler error(s)`);
  }

  // One artifact per contract with code (abstract contracts and interfaces have none).
  const artifacts = new Map();
  for (const file of Object.keys(output.contracts || {}).sort()) {
    for (const name of Object.keys(output.contracts[file]).sort()) {
      const c = output.contracts[file][name];
      const bytecode = c.evm.bytecode.object;
      if (!bytecode) continue;
      if (artifacts.has(name)) fail(`contract ${name} is defined twice (${artifacts.get(name).file} and ${file})`);
      if (/__\$[0-9a-f]{34}\$__/.test(bytecode)) fail(`contract ${name} needs library linking, which is not supported`);
      const json = {
        contractName: name,
        abi: c.abi,
        bytecode: `0x${bytecode}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
      artifacts.set(name, { file, text: `${JSON.stringify(json, null, 2)}\n` });
    }
  }
  if (artifacts.size === 0) fail('no deployable contract found');

  const existing = fs.existsSync(BUILD) ? fs.readdirSync(BUILD).filter((f) => f.endsWith('.json')).sort() : [];
  const wanted = new Set([...artifacts.keys()].map((n) => `${n}.json`));
  const rel = (f) => path.posix.join('assets/contracts/build', f);

  if (check) {
    const problems = [];
    for (const [name, { text }] of artifacts) {
      const target = path.join(BUILD, `${name}.json`);
      if (!fs.existsSync(target)) problems.push(`${rel(`${name}.json`)}: missing`);
      else if (fs.readFileSync(target, 'utf8') !== text) problems.push(`${rel(`${name}.json`)}: differs from what the sources compile to`);
    }
    for (const f of existing) if (!wanted.has(f)) problems.push(`${rel(f)}: no contract of that name in the sources`);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`${p}\n`);
      fail(`build/ is out of date (${problems.length} file(s)); run: node assets/contracts/compile.js`);
    }
    process.stdout.write(`build/ is up to date: ${artifacts.size} contracts, solc ${version}\n`);
    if (stamped !== before.hex) {
      process.stdout.write('build/sources.sha256 is missing or stale: run node assets/contracts/compile.js to write it (the check then skips solc)\n');
    }
    return;
  }

  fs.mkdirSync(BUILD, { recursive: true });
  for (const f of existing) {
    if (!wanted.has(f)) {
      fs.unlinkSync(path.join(BUILD, f));
      process.stdout.write(`removed ${rel(f)}\n`);
    }
  }
  for (const [name, { text }] of artifacts) {
    const target = path.join(BUILD, `${name}.json`);
    const same = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
    if (!same) fs.writeFileSync(target, text);
    process.stdout.write(`${same ? 'unchanged' : 'wrote'} ${rel(`${name}.json`)}\n`);
  }
  fs.writeFileSync(STAMP, `${stamp(files).hex}  compile.js, *.sol, solc, build/*.json (see compile.js)\n`);
  process.stdout.write(`${artifacts.size} contracts compiled with solc ${version}; wrote ${path.posix.join('assets/contracts/build', 'sources.sha256')}\n`);
}

main();
