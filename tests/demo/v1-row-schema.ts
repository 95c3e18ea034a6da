// The v1 CSV row as the demo writes it (former Bắc Giang's system and the merged one), checked
// strictly: every contract column present with a valid value, the citizen columns present
// (ingest must drop them), and the cross-field rules a real extract should meet.
import { z } from 'zod';
import {
  CHANNELS,
  CLOSED_STATUSES,
  ONLINE_LEVELS,
  STATUSES,
  UNIT_LEVELS,
} from '../../functions/core/dossier-contract.ts';

const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
const optionalTimestamp = z.union([z.literal(''), timestamp]);
const bool = z.enum(['true', 'false']);
const optionalBool = z.union([z.literal(''), bool]);

export const DemoRowSchema = z
  .object({
    dossier_id: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.H(07|22|27)-\d{6}-\d{5}$/),
    procedure_code: z.string().regex(/^[12]\.\d{6}$/),
    procedure_name: z.string().min(5),
    ChuHoSo: z.string().regex(/^\p{Lu}\p{Ll}* \p{Lu}\p{Ll}* \p{Lu}\p{Ll}*$/u),
    SoDienThoai: z.union([z.literal(''), z.string().regex(/^0\d{9}$/)]),
    Email: z.union([z.literal(''), z.email()]),
    field_code: z.string().regex(/^G\d{2}-[A-Z]{2}\d{2}$/),
    field_name: z.string().min(3),
    unit_code: z.string().regex(/^(BG-(S\d{2}|H\d{2}(-X\d{2})?)|BN25-S\d{2}|\d{5})$/),
    unit_name: z.string().min(3),
    unit_level: z.enum(UNIT_LEVELS),
    parent_code: z.string(),
    channel: z.enum(CHANNELS),
    online_level: z.union([z.literal(''), z.enum(ONLINE_LEVELS)]),
    received_at: timestamp,
    due_at: optionalTimestamp,
    resolved_at: optionalTimestamp,
    status: z.enum(STATUSES),
    result_electronic: optionalBool,
    paid_online: bool,
    fee_required: bool,
    digitized: bool,
    updated_at: timestamp,
  })
  .strict()
  .superRefine((row, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    const closed = (CLOSED_STATUSES as readonly string[]).includes(row.status);
    if (closed !== (row.resolved_at !== '')) fail('resolved_at must be set exactly for closed statuses');
    if (row.resolved_at !== '' && row.resolved_at < row.received_at) fail('resolved before received');
    if (row.due_at !== '' && row.due_at < row.received_at) fail('due before received');
    if (row.updated_at < row.received_at) fail('updated before received');
    if (row.resolved_at !== '' && row.updated_at !== row.resolved_at) fail('closing is the last change');
    if ((row.channel === 'online') !== (row.online_level !== ''))
      fail('online_level only for online dossiers');
    if ((row.status === 'resolved') !== (row.result_electronic !== ''))
      fail('result_electronic only with a result');
    // Former communes name their district; after the reform communes have no parent.
    const formerCommune = /^BG-H\d{2}-X\d{2}$/.test(row.unit_code);
    if (formerCommune !== (row.parent_code !== '')) fail('parent_code only for former communes');
    if (formerCommune && !row.unit_code.startsWith(`${row.parent_code}-`)) fail('commune code');
    if (/^\d{5}$/.test(row.unit_code) && row.unit_level !== 'commune') fail('5-digit codes are communes');
    if (row.paid_online === 'true' && row.fee_required !== 'true') fail('paid online without a fee');
    if (row.received_at < '2024-01-01 00:00:00' || row.received_at > '2026-11-29 23:59:59')
      fail('received out of range');
  });
