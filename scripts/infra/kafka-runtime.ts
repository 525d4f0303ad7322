/**
 * The embedded broker's runtime: JVM flags for a broker that lives and for a throwaway one, and the
 * server.properties entries its heap is sized with (kafka.ts writes and launches them).
 */

/**
 * The broker's heap and GC flags: a long-lived broker (`npm run up`, `npm test`'s, the gateway bench's). The
 * heap starts at 256 MiB so what the broker keeps for its life (45-60 MiB after a young collection, the
 * cleaner's buffer below included) sits well under G1's initiating occupancy (45 % of the heap). At -Xms128m
 * with Kafka's default 128 MiB dedupe buffer, 157-177 MiB of a 260-300 MiB heap stayed live and G1 began a
 * marking cycle after every other young collection for the broker's whole life (a remark pause of 5-52 ms
 * every 6-20 s at 1,000 records/s), reclaiming nothing (docs/benchmarks.md, issue 15, ninth round).
 */
export const KAFKA_JVM_FLAGS = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'] as const;

/**
 * The log cleaner's key map (Kafka's default 128 MiB is sized for a production broker's 1 GiB+ heap): one
 * node compacts only its internal topics (consumer offsets), and 16 MiB holds some 600,000 keys a pass (24
 * bytes a key, 90 % full); a log with more keys is cleaned over several passes (Kafka maps a segment partly
 * since KAFKA-3894), not refused. The heap above is sized with it.
 */
export const KAFKA_HEAP_PROPS = { 'log.cleaner.dedupe.buffer.size': String(16 * 1024 * 1024) } as const;

/**
 * A throwaway broker's (the chaos run's and bench:e2e's stacks, scripts/chaos/stack.ts): the same, compiling with
 * C1 only. A broker minutes old spent 40-44 % of its CPU in the JIT's compiler threads (C2 31-36 %: perf samples
 * by thread during bench/e2e/ab.ts rounds); side by side 40.2 -> 21.8 and 24.8 -> 14.4 ms of the broker's CPU a
 * ticket, every paired round lower (docs/benchmarks.md, issue 9, eighth round). Not for a broker that lives: at
 * the gateway bench's steady 1,000 records/s, C1's code cost the broker 5.4 CPU-s a phase against C2's 4.2 and
 * added ~0.4 ms to every delivery's p50 (docs/benchmarks.md, issue 15, eighth round).
 */
export const SHORT_LIVED_KAFKA_JVM_FLAGS = [...KAFKA_JVM_FLAGS, '-XX:TieredStopAtLevel=1'] as const;
