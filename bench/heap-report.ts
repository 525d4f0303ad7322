/**
 * `npx tsx bench/heap-report.ts <file.heapprofile> [records]`: where a sampled heap profile's bytes were
 * allocated, by the innermost frame outside node_modules and node internals (the code of ours that asked),
 * and by the innermost frame of all. With `BENCH_PROFILE_HEAP=survivors` (phase-profile.ts) the profile holds
 * only what outlived a scavenge, so bytes / records is what each record leaves to the old generation.
 */
import fs from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Node {
  callFrame: Frame;
  selfSize: number;
  children: Node[];
}

const [file, recordsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: heap-report.ts <file.heapprofile> [records]');
const { head } = JSON.parse(fs.readFileSync(file, 'utf8')) as { head: Node };
const records = Number(recordsArg ?? 0);

const where = (f: Frame) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/)?/, '$1')}:${f.lineNumber + 1}`;
const ours = (f: Frame) => f.url !== '' && !f.url.includes('node_modules') && !f.url.startsWith('node:');
const byOurs = new Map<string, number>();
const byLeaf = new Map<string, number>();
let total = 0;

function walk(node: Node, stack: Frame[]): void {
  const here = [...stack, node.callFrame];
  if (node.selfSize > 0) {
    total += node.selfSize;
    const leaf = where(node.callFrame);
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + node.selfSize);
    const mine = [...here].reverse().find(ours);
    const key = `${mine ? where(mine) : '(no frame of ours)'}  <-  ${leaf}`;
    byOurs.set(key, (byOurs.get(key) ?? 0) + node.selfSize);
  }
  for (const c of node.children) walk(c, here);
}
walk(head, []);

const perRecord = (b: number) => (records > 0 ? `  ${(b / records).toFixed(0)} B/record` : '');
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, b] of [...m].sort((a, z) => z[1] - a[1]).slice(0, 15))
    console.log(
      `${(b / 1024).toFixed(0).padStart(8)} KiB ${((100 * b) / total).toFixed(1).padStart(5)} %${perRecord(b)}  ${k}`,
    );
};
console.log(`${file}: ${(total / 1024 / 1024).toFixed(2)} MiB sampled${perRecord(total)}`);
show('by the innermost frame of ours  <-  the allocating frame', byOurs);
show('by the allocating frame', byLeaf);
