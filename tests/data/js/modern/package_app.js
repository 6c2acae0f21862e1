#!/usr/bin/env node
/*
 * tools/package_app.js — zips the app folder into application.zip for the KaiStore
 * and writes metadata.json. A Node.js script in the app repository, started as
 * ./tools/package_app.js, hence the hashbang line.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(process.argv[2] ?? '.');
const out = path.resolve(process.argv[3] ?? 'dist');
const IGNORE = new Set(['.git', 'node_modules', 'dist', 'tools', '.DS_Store']);

function readManifest(dir) {
  for (const name of ['manifest.webmanifest', 'manifest.webapp']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) {
      return { name, ...JSON.parse(fs.readFileSync(file, 'utf8')) };
    }
  }
  throw new Error(`no manifest in ${dir}`);
}

function* walk(dir, prefix = '') {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (IGNORE.has(entry.name)) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(path.join(dir, entry.name), rel);
    else yield rel;
  }
}

function main() {
  const manifest = readManifest(root);
  const version = manifest.version ?? manifest.b2g_features?.version ?? '0.0.0';
  const files = [...walk(root)];
  const size = files.reduce((sum, f) => sum + fs.statSync(path.join(root, f)).size, 0);
  if (size > 20 * 1024 ** 2) {
    console.warn(`⚠️  ${(size / 1024 ** 2).toFixed(1)} MB: the KaiStore may refuse it`);
  }
  fs.mkdirSync(out, { recursive: true });
  const zip = path.join(out, 'application.zip');
  try {
    fs.unlinkSync(zip);
  } catch {
    // nothing to remove
  }
  execFileSync('zip', ['-q', '-X', zip, ...files], { cwd: root, stdio: 'inherit' });
  const metadata = {
    version: 1,
    manifestURL: `app://${manifest.origin?.replace(/^app:\/\//, '') ?? 'example.kaios'}/${manifest.name}`,
  };
  fs.writeFileSync(path.join(out, 'metadata.json'), JSON.stringify(metadata, null, 2));
  console.log(`${manifest.name} ${version}: ${files.length} files, ${size.toLocaleString()} bytes ✅`);
}

try {
  main();
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
}
