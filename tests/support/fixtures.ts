// The province's published figures and the DVCQG sample, copied from shared/fixtures into the
// repo so that the suites run on any clone.
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
