// The site reads the data folder it is given: two builds in one process, of two folders, each
// show their own data (no module-level cache of the first folder).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../functions/core/site/build-site.ts';
import { DEFAULT_SAMPLE, makeSamplePublishedData, REFORM_SAMPLE } from './make-sample-published-data.ts';

const heading = async (outDir: string, page: string) =>
  /<h1>([^<]*)<\/h1>/.exec(await readFile(join(outDir, page, 'index.html'), 'utf8'))?.[1];

describe('the data folder of a build', () => {
  it('is the one passed to that build, even for a second build in the same process', async () => {
    const before = await mkdtemp(join(tmpdir(), 'congkhai-site-folder-a-'));
    const after = await mkdtemp(join(tmpdir(), 'congkhai-site-folder-b-'));
    await makeSamplePublishedData(before, DEFAULT_SAMPLE);
    await makeSamplePublishedData(after, REFORM_SAMPLE);
    await buildSite({ outDir: before });
    await buildSite({ outDir: after });
    expect(await heading(before, 'dia-phuong')).toBe('Xếp hạng huyện và xã — Quý IV/2024');
    expect(await heading(after, 'dia-phuong')).toBe('Xếp hạng xã, phường — Quý IV/2025');
  }, 300_000); // two whole builds, each page rendered in Vietnamese and under /en/
});
