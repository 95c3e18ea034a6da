// npm run bench — every benchmark of the project, printed as figures (never a timed test):
//   ingest: congkhai ingest vs bare DuckDB CSV→Parquet, 1M and 5M records (issue 2)
//   kpi:    congkhai kpi (whole command) vs a one-pass latest-state query, 1M and 5M dossiers (issue 8)
//   site:   site build time and pages/s for the demo province (issue 4)
// `npm run bench -- ingest` (or kpi, site) runs one; sizes are fixed by the issues.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../functions/cli/run-command.ts';
import { writeDemoData } from '../functions/core/demo/generate.ts';
import { benchIngest } from './bench-ingest.ts';
import { benchKpi } from './bench-kpi.ts';
import { benchSite, formatSiteBench } from './bench-site.ts';

const wanted = new Set(process.argv.slice(2));
const runs = (name: string) => wanted.size === 0 || wanted.has(name);

console.log(`congkhai bench — ${new Date().toISOString()}, Node ${process.version}`);
if (runs('ingest')) {
  console.log('\n## ingest');
  await benchIngest([1_000_000, 5_000_000]);
}
if (runs('kpi')) {
  console.log('\n## kpi');
  await benchKpi([1_000_000, 5_000_000]);
}
if (runs('site')) {
  console.log('\n## site (demo province, 200,000 dossiers)');
  const dir = await mkdtemp(join(tmpdir(), 'congkhai-bench-demo-'));
  try {
    // The demo pipeline without its site build, then the measured build.
    await writeDemoData({ out: join(dir, 'extracts'), dossiers: 200_000, seed: 1 });
    const out = join(dir, 'public');
    const code = await runCommand([join(dir, 'extracts')], { lake: join(dir, 'lake'), out, site: false });
    if (code !== 0) throw new Error(`demo pipeline failed with exit code ${code}`);
    console.log(formatSiteBench(await benchSite(out)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
