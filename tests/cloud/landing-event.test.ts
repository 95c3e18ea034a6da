// S3 event parsing for the landing area (zod): which objects are extracts, and their real keys.
import { describe, expect, it } from 'vitest';
import { decodeS3Key, landedExtracts, unitsKeyBeside } from '../../functions/core/cloud/landing-event.ts';

const record = (key: string, eventName = 'ObjectCreated:Put') => ({
  eventSource: 'aws:s3',
  eventName,
  s3: { bucket: { name: 'landing-bucket' }, object: { key, size: 10 } },
});

describe('landing events', () => {
  it('decodes keys the way S3 encodes them in events', () => {
    expect(decodeS3Key('landing/h%E1%BB%93+s%C6%A1+2021-04-01.csv')).toBe('landing/hồ sơ 2021-04-01.csv');
    expect(decodeS3Key('landing/a%2Bb.csv')).toBe('landing/a+b.csv');
  });

  it('keeps created extracts, drops folders, units.csv and other event types', () => {
    const event = {
      Records: [
        record('landing/a.csv'),
        record('landing/sub/'),
        record('landing/units.csv'),
        record('landing/b.json', 'ObjectRemoved:Delete'),
        record('landing/c+d.ndjson', 'ObjectCreated:CompleteMultipartUpload'),
      ],
    };
    expect(landedExtracts(event)).toEqual([
      { bucket: 'landing-bucket', key: 'landing/a.csv', size: 10 },
      { bucket: 'landing-bucket', key: 'landing/c d.ndjson', size: 10 },
    ]);
  });

  it('refuses what is not an S3 event', () => {
    expect(() => landedExtracts({ Records: [] })).toThrow(/Not an S3 event/);
    expect(() => landedExtracts({ Records: [{ eventSource: 'aws:sqs' }] })).toThrow(/Not an S3 event/);
  });

  it('looks for the units registry in the extract’s folder', () => {
    expect(unitsKeyBeside('landing/2021/x.csv')).toBe('landing/2021/units.csv');
    expect(unitsKeyBeside('x.csv')).toBe('units.csv');
  });
});
