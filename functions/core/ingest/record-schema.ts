// The normalized dossier record in zod: the last gate before the lake. Cell parsing
// (cell-values.ts) produces these values; this schema states what the lake may hold.
import { z } from 'zod';
import { CHANNELS, type DossierRecord, ONLINE_LEVELS, STATUSES, UNIT_LEVELS } from '../dossier-contract.ts';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const code = z.string().min(1).max(100);
const optionalCode = code.nullable();
const name = z.string().min(1).max(1000).nullable();
const timestamp = z.string().regex(TIMESTAMP);

export const DossierRecordSchema = z.object({
  dossier_id: code,
  procedure_code: code,
  procedure_name: name,
  field_code: optionalCode,
  field_name: name,
  unit_code: code,
  unit_name: name,
  unit_level: z.enum(UNIT_LEVELS),
  parent_code: optionalCode,
  channel: z.enum(CHANNELS),
  online_level: z.enum(ONLINE_LEVELS).nullable(),
  received_at: timestamp,
  due_at: timestamp.nullable(),
  resolved_at: timestamp.nullable(),
  status: z.enum(STATUSES),
  result_electronic: z.boolean().nullable(),
  paid_online: z.boolean().nullable(),
  fee_required: z.boolean().nullable(),
  digitized: z.boolean().nullable(),
  updated_at: timestamp.nullable(),
  source_file: z.string().min(1),
  source_line: z.number().int().positive(),
}) satisfies z.ZodType<DossierRecord>;
