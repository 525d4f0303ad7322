/**
 * Builds the UI into ui/dist: esbuild bundles the two pages' TypeScript and the stylesheet with content
 * hashes in their names (so the gateway can cache them forever), then the HTML pages are written with those
 * names filled in. No CDN, no fonts from elsewhere: everything the pages load is in ui/dist.
 *
 * `npm run build:ui` (add `--watch` to rebuild on change while working on the UI).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const uiDir = __dirname;
const outDir = path.join(uiDir, 'dist');
const pagesDir = path.join(uiDir, 'pages');

const entryPoints = {
  console: path.join(uiDir, 'src', 'console', 'main.ts'),
  customer: path.join(uiDir, 'src', 'customer', 'main.ts'),
  styles: path.join(uiDir, 'src', 'styles.css'),
};

const options: esbuild.BuildOptions = {
  entryPoints,
  bundle: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: path.join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Maps "console.js" / "styles.css" to the hashed file written for that entry. */
function assetNames(metafile: esbuild.Metafile): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const entryPoint = output.entryPoint;
    if (!entryPoint || file.endsWith('.map')) continue;
    const entry = Object.entries(entryPoints).find(([, p]) => p === path.resolve(entryPoint));
    if (!entry) continue;
    names[`${entry[0]}${path.extname(file)}`] = '/assets/' + path.basename(file);
  }
  return names;
}

function writePages(names: Record<string, string>): void {
  for (const page of fs.readdirSync(pagesDir)) {
    const source = fs.readFileSync(path.join(pagesDir, page), 'utf8');
    const html = source.replace(/\{\{([\w.-]+)\}\}/g, (_m, key: string) => {
      const name = names[key];
      if (!name) throw new Error(`${page}: no built asset for {{${key}}}`);
      return name;
    });
    fs.writeFileSync(path.join(outDir, page), html);
  }
}

export async function buildUi(
  opts: { quiet?: boolean } = {},
): Promise<{ outDir: string; assets: Record<string, string> }> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build(options);
  const assets = assetNames(result.metafile!);
  writePages(assets);
  if (!opts.quiet)
    process.stdout.write(
      `ui built into ${path.relative(process.cwd(), outDir) || outDir}: ${Object.values(assets).join(', ')}\n`,
    );
  return { outDir, assets };
}

async function watch(): Promise<void> {
  const ctx = await esbuild.context({
    ...options,
    plugins: [
      {
        name: 'pages',
        setup: (b) =>
          b.onEnd((r) => {
            if (r.metafile) writePages(assetNames(r.metafile));
          }),
      },
    ],
  });
  await ctx.watch();
  process.stdout.write('watching ui/src for changes\n');
}

if (require.main === module) {
  const run = process.argv.includes('--watch') ? watch() : buildUi();
  run.catch((err: unknown) => {
    process.stderr.write(`ui build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
