/**
 * Structured JSON logs. Every line names its component; lines about a ticket carry `ticketId`. A format
 * masks secrets in the message and in every field, so a token can never be logged in full, whoever
 * forgot to mask it upstream.
 */
import { Writable } from 'node:stream';
import winston from 'winston';
import { maskField, maskSecrets } from './secrets';

const LEVEL_SYMBOL = Symbol.for('level');
const SPLAT_SYMBOL = Symbol.for('splat');

const maskFormat = winston.format((info) => {
  const masked = info as Record<string | symbol, unknown>;
  for (const key of Object.keys(info)) {
    masked[key] =
      key === 'message' && typeof info.message === 'string' ? maskSecrets(info.message) : maskField(key, info[key]);
  }
  masked[LEVEL_SYMBOL] = info[LEVEL_SYMBOL as unknown as string];
  delete masked[SPLAT_SYMBOL];
  return info;
});

/**
 * Drops a line below the logger's level before anything formats it: winston runs the whole format chain
 * (masking included, several µs) for every call and filters by level only at the transport, which made
 * debug lines on the gateway's per-connection path cost real CPU with debug off.
 */
const levels = winston.config.npm.levels;
/** Whether a line at `level` is dropped by a logger at `loggerLevel` (unknown levels: shown, at info). */
const belowLevel = (level: string, loggerLevel: string) => (levels[level] ?? 0) > (levels[loggerLevel] ?? 2);

const levelGate = (logger: () => winston.Logger) =>
  winston.format((info) => (belowLevel(info.level, logger().level) ? false : info));

/**
 * The same gate, one step earlier: `logger.debug(msg, meta)` is dropped before winston copies its fields and
 * pushes them through its streams, which cost some 40 µs a call with the level above it (the gateway's
 * per-stream lines, issue 9). The gate above stays for `logger.log(level, ...)`.
 */
function dropBelowLevel(logger: winston.Logger): void {
  const methods = logger as unknown as Record<string, winston.LeveledLogMethod>;
  for (const level of Object.keys(levels)) {
    const write = methods[level]!;
    methods[level] = function (this: winston.Logger, ...args: unknown[]) {
      if (belowLevel(level, logger.level)) return this;
      return (write as (...a: unknown[]) => winston.Logger).apply(this, args);
    } as winston.LeveledLogMethod;
  }
}

export type Logger = winston.Logger;

let root: winston.Logger | undefined;

export function rootLogger(): winston.Logger {
  if (!root) {
    root = winston.createLogger({
      level: process.env.LOG_LEVEL ?? 'info',
      format: winston.format.combine(
        levelGate(() => root!)(),
        winston.format.timestamp(),
        winston.format.errors({ stack: true }),
        maskFormat(),
        winston.format.json(),
      ),
      transports: [
        new winston.transports.Console({
          stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'],
        }),
      ],
    });
    dropBelowLevel(root);
  }
  return root;
}

/** A logger for one component; pass `{ ticketId }` (and anything else) for a child that stamps it on each line. */
export function createLogger(component: string, fields: Record<string, unknown> = {}): winston.Logger {
  return rootLogger().child({ component, ...fields });
}

/** For tests: a logger writing into an array, through the same masking format. */
export function createCapturingLogger(component: string): { logger: winston.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  const logger = winston.createLogger({
    level: 'debug',
    format: winston.format.combine(winston.format.timestamp(), maskFormat(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
    defaultMeta: { component },
  });
  return { logger, lines };
}
