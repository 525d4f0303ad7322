/**
 * Runtime settings given to one embedded server on top of the infra's own, so a bench can run two stacks whose
 * servers differ in nothing else (bench/e2e/ab.ts). The product never passes any: `npm run up`, the tests and
 * the chaos run start each server with the defaults written where it is started (temporal.ts, kafka.ts).
 */
export interface TemporalTuning {
  /** Environment for the dev server's process (the Go runtime's GOGC, GOMEMLIMIT, GOMAXPROCS). */
  env?: Record<string, string>;
  /** More `--dynamic-config-value` settings (`key=value`). */
  dynamicConfig?: string[];
}

export interface KafkaTuning {
  /** JVM heap, GC and JIT flags, in place of the infra's own (two collectors on one command line are refused). */
  jvm?: string[];
  /** server.properties entries over the infra's own. */
  props?: Record<string, string>;
}

export interface ServerTuning {
  temporal?: TemporalTuning;
  kafka?: KafkaTuning;
}
