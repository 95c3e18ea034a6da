import type { Profile } from './profile.ts';
import type { RawRecord } from './raw-record.ts';
import { UnreadableInputError } from './unreadable-input.ts';

export async function* readXlsx(
  _path: string,
  _options: { hasRegistry: boolean; profile: Profile | undefined },
): AsyncGenerator<RawRecord[]> {
  yield [];
  throw new UnreadableInputError('xlsx');
}
