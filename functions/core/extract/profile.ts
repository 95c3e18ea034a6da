// A vendor profile (`--profile FILE`, docs/design.md "Vendor exports"): JSON, checked by zod,
// that adds or overrides header names, status/channel/level words, the slash-date order and
// the delimiter, for an export whose words the built-in vocabulary does not know. Every name
// in it passes the one text-safety rule.
import { z } from 'zod';
import { CHANNELS, DOSSIER_COLUMNS, ONLINE_LEVELS, STATUSES, UNIT_LEVELS } from '../dossier-contract.ts';
import { unsafeText } from './text-safety.ts';
import { readSmallText } from './text-source.ts';
import { UnreadableInputError } from './unreadable-input.ts';
import type { WordKind } from './vocabulary.ts';

const safeName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    const problem = unsafeText(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.reason });
  });
const words = <T extends readonly [string, ...string[]]>(values: T) =>
  z.record(safeName, z.enum(values)).optional();

/** Slash-date formats a profile may declare (day first is the Vietnamese default). */
const DATE_FORMATS = [
  'dd/MM/yyyy',
  'dd/MM/yyyy HH:mm',
  'dd/MM/yyyy HH:mm:ss',
  'MM/dd/yyyy',
  'MM/dd/yyyy HH:mm',
  'MM/dd/yyyy HH:mm:ss',
] as const;

export const ProfileSchema = z
  .object({
    /** Source header → canonical column name. */
    headers: z
      .record(safeName, z.enum(DOSSIER_COLUMNS.map((c) => c.name) as [string, ...string[]]))
      .optional(),
    status: words(STATUSES),
    channel: words(CHANNELS),
    unit_level: words(UNIT_LEVELS),
    online_level: words(ONLINE_LEVELS),
    date_formats: z.array(z.enum(DATE_FORMATS)).min(1).optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
  })
  .strict()
  .refine(
    (p) => {
      const orders = new Set((p.date_formats ?? []).map((f) => f.slice(0, 2)));
      return orders.size <= 1;
    },
    { message: 'date_formats mix day-first and month-first: a file has one order', path: ['date_formats'] },
  );
export type Profile = z.infer<typeof ProfileSchema>;

/** The profile's words by kind, as vocabularyRows() takes them. */
export function profileWords(
  profile: Profile | undefined,
): Partial<Record<WordKind, Record<string, string>>> {
  if (!profile) return {};
  return {
    ...(profile.status ? { status: profile.status } : {}),
    ...(profile.channel ? { channel: profile.channel } : {}),
    ...(profile.unit_level ? { unit_level: profile.unit_level } : {}),
    ...(profile.online_level ? { online_level: profile.online_level } : {}),
  };
}

export const monthFirst = (profile: Profile | undefined) =>
  (profile?.date_formats ?? []).some((f) => f.startsWith('MM/'));

export async function loadProfile(path: string): Promise<Profile> {
  let json: unknown;
  try {
    json = JSON.parse(await readSmallText(path, 1024 * 1024));
  } catch (error) {
    const reason = error instanceof UnreadableInputError ? error.reason : (error as Error).message;
    throw new UnreadableInputError(`profile ${path}: not readable JSON (${reason})`);
  }
  const parsed = ProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnreadableInputError(`profile ${path}: ${issue?.path.join('.') || '(top)'}: ${issue?.message}`);
  }
  return parsed.data;
}
