/** Java 17+ for the Kafka broker: found on PATH or under JAVA_HOME, installed from Debian when we may. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { aptInstall, canAptInstall } from './apt';
import { isExecutable, which } from './proc';

const MIN_MAJOR = 17;

function javaOnMachine(): string | undefined {
  const home = process.env.JAVA_HOME;
  if (home && isExecutable(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return which('java');
}

export function javaMajorVersion(java: string): number | undefined {
  // `java -version` writes to stderr.
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr ?? ''}${result.stdout ?? ''}`);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] ? Number(m[2]) : major; // "1.8.0" is Java 8
}

/** Path to a java binary of version 17 or later; throws a message saying how to get one. */
export function requireJava(): string {
  let java = javaOnMachine();
  if (!java && canAptInstall()) {
    aptInstall(['openjdk-17-jre-headless']);
    java = javaOnMachine();
  }
  if (!java)
    throw new Error(
      `Kafka needs Java ${MIN_MAJOR}+ and no java was found (PATH, JAVA_HOME). Install e.g. openjdk-17-jre-headless, or set KAFKA_BROKERS to use an existing broker.`,
    );
  const major = javaMajorVersion(java);
  if (major === undefined || major < MIN_MAJOR) {
    throw new Error(
      `Kafka needs Java ${MIN_MAJOR}+, but ${java} is version ${major ?? 'unknown'}. Install a newer JDK/JRE, point JAVA_HOME at it, or set KAFKA_BROKERS.`,
    );
  }
  return java;
}
