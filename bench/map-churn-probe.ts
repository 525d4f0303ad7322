/**
 * `node --expose-gc --trace-gc --import tsx bench/map-churn-probe.ts <none|map|setclear|array>`: 4 s of the same
 * garbage per event-loop turn plus one pattern on a long-lived collection (three keys set and deleted, a Set
 * filled and cleared, an array filled and emptied). Count the mark-compacts in the trace: V8 allocates a Map's
 * or Set's replacement tables in the old generation once its table is old (issue 15, ninth round).
 */
const mode = process.argv[2] ?? 'none';
const map = new Map<string, number>();
const set = new Set<object>();
const array: object[] = [];
let sink: unknown;
let turns = 0;
// As after any mark-compact (the bench forces some before each visit): the collections' tables are now old.
(globalThis as { gc?: () => void }).gc?.();
const start = Date.now();

function turn(): void {
  for (let i = 0; i < 200; i++) sink = { a: i, b: [i, i], c: `x${i}` };
  if (mode === 'map') {
    for (let p = 0; p < 3; p++) map.set(`t|${p}`, 1);
    for (let p = 0; p < 3; p++) map.delete(`t|${p}`);
  } else if (mode === 'setclear') {
    for (let p = 0; p < 3; p++) set.add({ p });
    set.clear();
  } else if (mode === 'array') {
    for (let p = 0; p < 3; p++) array.push({ p });
    array.length = 0;
  }
  turns++;
  if (Date.now() - start < 4_000) setImmediate(turn);
  else console.log(`${mode}: ${turns} turns`, sink !== undefined);
}
turn();
