// The ingest Lambda's error for extracts that could not be read at all. Its name is what
// Step Functions matches to skip retries (infra/constructs/nightly-pipeline.ts): an
// unreadable file stays unreadable.
export interface RefusedExtract {
  /** Where the extract came from: s3://bucket/key or the pull URL (without its query). */
  file: string;
  reason: string;
}

export const EXTRACT_REFUSED_ERROR = 'ExtractRefusedError';

export class ExtractRefusedError extends Error {
  readonly refused: readonly RefusedExtract[];
  constructor(refused: readonly RefusedExtract[]) {
    super(
      `Extract refused, nothing of it was written: ${refused.map((r) => `${r.file}: ${r.reason}`).join('; ')}`,
    );
    this.name = EXTRACT_REFUSED_ERROR;
    this.refused = refused;
  }
}
