/**
 * bench/e2e/ab.ts's settings. `NAME=value` is the apps' environment on both sides (a default that changed
 * between the checkouts is held equal). `A:<server setting>` / `B:<server setting>` give one side's embedded
 * servers a runtime setting the other lacks, so two stacks running the same code compare server settings:
 *   temporal.env.NAME=value   environment of the dev server (GOGC=400, GOMEMLIMIT=1GiB, GOMAXPROCS=1)
 *   temporal.dc=key=value     one more --dynamic-config-value
 *   kafka.jvm=<flags>         the broker's heap/GC/JIT flags, space-separated, in place of the infra's
 *   kafka.prop.NAME=value     a server.properties entry over the infra's
 */
import type { ServerTuning } from '../../scripts/infra/server-tuning';

export interface SideSettings {
  tuning: ServerTuning;
  /** The settings as given, for the report's header. */
  given: string[];
}

function splitPair(p: string): [string, string] {
  const at = p.indexOf('=');
  if (at < 1) throw new Error(`not a NAME=value setting: ${p}`);
  return [p.slice(0, at), p.slice(at + 1)];
}

function addServerSetting(side: SideSettings, setting: string): void {
  const [name, value] = splitPair(setting);
  const t = side.tuning;
  if (name.startsWith('temporal.env.')) {
    t.temporal = { ...t.temporal, env: { ...t.temporal?.env, [name.slice('temporal.env.'.length)]: value } };
  } else if (name === 'temporal.dc') {
    t.temporal = { ...t.temporal, dynamicConfig: [...(t.temporal?.dynamicConfig ?? []), value] };
  } else if (name === 'kafka.jvm') {
    t.kafka = { ...t.kafka, jvm: value.split(/\s+/).filter(Boolean) };
  } else if (name.startsWith('kafka.prop.')) {
    t.kafka = { ...t.kafka, props: { ...t.kafka?.props, [name.slice('kafka.prop.'.length)]: value } };
  } else {
    throw new Error(`not a server setting (temporal.env.X, temporal.dc, kafka.jvm, kafka.prop.X): ${setting}`);
  }
  side.given.push(setting);
}

/** The apps' environment for both sides, and each side's server settings (A first). */
export function parseAbSettings(pairs: string[]): { env: NodeJS.ProcessEnv; sides: [SideSettings, SideSettings] } {
  const sides: [SideSettings, SideSettings] = [
    { tuning: {}, given: [] },
    { tuning: {}, given: [] },
  ];
  const env: NodeJS.ProcessEnv = {};
  for (const p of pairs) {
    const side = /^([AB]):(.*)$/.exec(p);
    if (side) addServerSetting(sides[side[1] === 'A' ? 0 : 1], side[2]!);
    else {
      const [name, value] = splitPair(p);
      env[name] = value;
    }
  }
  return { env, sides };
}
