// The import graph of the sources: no circle anywhere, and no import that runs back up the
// layers (the core never imports a shell over it: the CLI, the Lambda handlers, the site,
// the infrastructure, the scripts or the tests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['functions', 'site/src', 'infra', 'scripts', 'tests'];
const RELATIVE_IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(path);
    return /\.(ts|astro)$/.test(entry.name) ? [path] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root)))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)]
      .map((match) => resolve(dirname(file), match[1] ?? ''))
      .filter((target) => existsSync(target));
    graph.set(
      relative(ROOT, file),
      targets.map((target) => relative(ROOT, target)),
    );
  }
  return graph;
}

/** Every circle of the graph, as the files of one strongly connected component (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) visit(target);
      if (stack.includes(target)) low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = stack.splice(stack.indexOf(file));
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the import graph', () => {
  const graph = importGraph();

  it('reads the sources it claims to', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('site/src/lib/format.ts')).toContain('site/src/lib/lang.ts');
  });

  it('has no circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const planted = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(circles(planted).map((component) => component.sort())).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('never runs back up from the core to a shell over it', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      file.startsWith('functions/core/')
        ? targets
            .filter((target) => !target.startsWith('functions/core/'))
            .map((target) => `${file} → ${target}`)
        : [],
    );
    expect(upward).toEqual([]);
  });
});
