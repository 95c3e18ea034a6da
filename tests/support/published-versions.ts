// Every published version under <out>/data — the live data/v1, every kept version folder, every
// dated copy reachable from data/v1/archive/ and every archive version folder — checked
// against its own datapackage.json: each resource present with its byte count and sha256, and
// no table file the datapackage does not name.
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

interface Resource {
  path: string;
  bytes: number;
  hash: string;
}

const isDir = async (path: string) => (await stat(path).catch(() => undefined))?.isDirectory() === true;
const visible = async (dir: string) =>
  (await readdir(dir).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();

/** Problems of one version folder (empty when it is consistent). */
export async function versionProblems(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'datapackage.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return [`${dir}: no datapackage.json`];
  let resources: Resource[];
  try {
    resources = (JSON.parse(text) as { resources: Resource[] }).resources;
  } catch {
    return [`${dir}: datapackage.json is not JSON`];
  }
  const problems: string[] = [];
  for (const resource of resources) {
    const bytes = await readFile(join(dir, resource.path)).catch(() => undefined);
    if (!bytes) problems.push(`${dir}/${resource.path}: missing`);
    else if (bytes.byteLength !== resource.bytes)
      problems.push(`${dir}/${resource.path}: ${bytes.byteLength} bytes, datapackage says ${resource.bytes}`);
    else if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== resource.hash)
      problems.push(`${dir}/${resource.path}: sha256 differs from datapackage.json`);
  }
  // A resource in a subfolder (units/<slug>.zip, the per-unit kits) names its top folder.
  const named = new Set([...resources.map((r) => r.path.split('/')[0]!), 'datapackage.json', 'archive']);
  for (const name of await visible(dir))
    if (!named.has(name)) problems.push(`${dir}/${name}: not in datapackage.json`);
  return problems;
}

/** The version folders under <out>/data, each once (by real path). */
export async function publishedVersionDirs(out: string): Promise<string[]> {
  const data = join(out, 'data');
  const dirs = new Set<string>();
  const add = async (path: string) => {
    if (await isDir(path)) dirs.add(await realpath(path));
  };
  await add(join(data, 'v1'));
  for (const date of await visible(join(data, 'v1', 'archive'))) await add(join(data, 'v1', 'archive', date));
  for (const stamp of await visible(join(data, 'v1-versions'))) await add(join(data, 'v1-versions', stamp));
  for (const date of await visible(join(data, 'v1-archive-versions')))
    for (const stamp of await visible(join(data, 'v1-archive-versions', date)))
      await add(join(data, 'v1-archive-versions', date, stamp));
  return [...dirs].sort();
}

export async function publishedProblems(out: string): Promise<{ versions: number; problems: string[] }> {
  const dirs = await publishedVersionDirs(out);
  const problems: string[] = [];
  for (const dir of dirs) problems.push(...(await versionProblems(dir)));
  return { versions: dirs.length, problems };
}

/** Hidden entries (names starting with '.') anywhere under `dir`, as paths relative to it. */
export async function hiddenEntries(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter(
      (path) =>
        !path
          .split('/')
          .slice(0, -1)
          .some((p) => p.startsWith('.')),
    ) // topmost only
    .sort();
}
