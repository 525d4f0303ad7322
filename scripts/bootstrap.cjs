#!/usr/bin/env node
/**
 * First step of `npm run up` and `npm test`, in plain Node with no dependencies (they may not be installed
 * yet): install the npm packages when node_modules is missing or older than the lockfile. Fast when fresh.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'package-lock.json');
const modules = path.join(root, 'node_modules');
const stampFile = path.join(modules, '.ticketflow-installed');

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`ticketflow needs Node.js 20 or later (this is ${process.version})\n`);
  process.exit(1);
}

function hashOf(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function installedIsFresh() {
  if (!fs.existsSync(path.join(modules, '.bin', 'tsx'))) return false;
  if (!fs.existsSync(lockFile)) return fs.existsSync(stampFile);
  const want = hashOf(lockFile);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() === want) return true;
  // Installed by a plain `npm ci` (CI does that first): npm's own record is newer than the lockfile.
  const npmRecord = path.join(modules, '.package-lock.json');
  if (fs.existsSync(npmRecord) && fs.statSync(npmRecord).mtimeMs >= fs.statSync(lockFile).mtimeMs) {
    fs.writeFileSync(stampFile, `${want}\n`);
    return true;
  }
  return false;
}

if (!installedIsFresh()) {
  const args = fs.existsSync(lockFile) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  process.stderr.write(`bootstrap: npm ${args[0]} (node_modules missing or older than the lockfile)\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`bootstrap: npm ${args[0]} failed (exit ${result.status})\n`);
    process.exit(result.status || 1);
  }
  if (fs.existsSync(lockFile)) fs.writeFileSync(stampFile, `${hashOf(lockFile)}\n`);
}
