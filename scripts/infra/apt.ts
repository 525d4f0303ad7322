/**
 * Debian packages the infrastructure may need (a JRE, Maven, Chromium, docker-compose, nginx). Installed only
 * when we are root on a machine with apt-get; otherwise the caller gets a message saying what to install.
 */
import { run, which } from './proc';

let updated = false;

export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && which('apt-get') !== undefined;
}

export function aptInstall(packages: string[]): void {
  if (!canAptInstall()) throw new Error(`missing ${packages.join(', ')}: install with apt-get (needs root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!updated) {
    process.stderr.write('infra: apt-get update\n');
    run('apt-get', ['update', '-q'], { env });
    updated = true;
  }
  process.stderr.write(`infra: apt-get install ${packages.join(' ')}\n`);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env });
}
