// A second reporter for `npm test`'s runner: one line per top-level test, `file<TAB>ms`, so the run can name its
// slowest files at the end (the TAP report names tests, not files). Plain JavaScript: Node loads reporters
// before the tsx hook is in place.
export default async function* fileTimes(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { nesting, file, details } = event.data;
    if (nesting === 0 && file) yield `${file}\t${details?.duration_ms ?? 0}\n`;
  }
}
