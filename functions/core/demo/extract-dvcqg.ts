// Former Bắc Ninh's extracts in the national portal's sync shape (DongBoHoSoMC, docs/design.md):
// DVCQG field names, status and channel codes, yyyyMMddHHmmss dates, MaHoSo prefixed by the
// unit's e-identifier, the unit's name in DonViXuLy and no unit code or level (ingest takes
// them from units.csv), the result and fee lists, and the citizen fields a real payload
// carries (ChuHoSo, SoGiayToChuHoSo, SoDienThoai, Email, TrichYeuHoSo) that ingest must drop.
import type { Status } from '../dossier-contract.ts';
import { formatLocal } from './calendar.ts';
import type { DemoDossier, DossierState } from './dossier.ts';
import type { DemoUnit } from './units.ts';

/** The JSON document around the records: `{"service":"DongBoHoSoMC",…,"data":[ … ]}`. */
export const DVCQG_HEAD = '{"service":"DongBoHoSoMC","isUpdating":false,"data":[';
export const DVCQG_TAIL = '\n]}\n';

const compact = (ms: number) => formatLocal(ms).replace(/\D/g, '');

/** A stable 32-bit hash of the dossier id, for choices that must not consume the random stream. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function statusCode(status: Status, d: DemoDossier, state: DossierState): string {
  switch (status) {
    case 'submitted':
      return '1';
    case 'rejected_at_intake':
      return '3';
    case 'supplement_requested':
      return '5';
    case 'withdrawn':
      return '7';
    case 'stopped':
      return '8';
    case 'resolved':
      // Most results are handed over (10); some are done but not yet collected (9).
      return idHash(d.id) % 5 === 0 ? '9' : '10';
    default:
      // 2: just received; 4: being processed (after a first step, or after a supplement).
      return state.updatedAt === d.receivedAt && idHash(d.id) % 3 === 0 ? '2' : '4';
  }
}

/** A 12-digit identity number shaped like a citizen's (invented; ingest must drop it). */
function identityNumber(d: DemoDossier): string {
  const h = idHash(`${d.id}#cccd`);
  return `027${h % 2}${String(h % 100).padStart(2, '0')}${String((h >>> 8) % 1_000_000).padStart(6, '0')}`;
}

/** One DongBoHoSoMC record: the dossier as `unit` (a former Bắc Ninh unit) holds it. */
export function dvcqgRecord(d: DemoDossier, state: DossierState, unit: DemoUnit): Record<string, unknown> {
  const received = d.kind === 'normal';
  const status = statusCode(state.status, d, state);
  const record: Record<string, unknown> = {
    MaHoSo: d.id,
    MaTTHC: d.procedure.code,
    TenTTHC: d.procedure.name,
    MaLinhVuc: d.field.code,
    TenLinhVuc: d.field.name,
    // Some systems leave the channel empty for counter dossiers (direct).
    KenhThucHien:
      d.channel === 'online' ? '2' : d.channel === 'postal' ? '3' : idHash(d.id) % 10 === 0 ? '' : '1',
    ChuHoSo: d.applicant.name,
    SoGiayToChuHoSo: identityNumber(d),
    SoDienThoai: d.applicant.phone,
    Email: d.applicant.email,
    TrichYeuHoSo: `${d.procedure.name} cho ông/bà ${d.applicant.name}`,
    NgayTiepNhan: compact(d.receivedAt),
    NgayHenTra: d.dueAt === null || !received ? '' : compact(d.dueAt),
    TrangThaiHoSo: status,
    DonViXuLy: unit.unit_name,
    DanhSachLePhi: d.feeRequired ? [{ TenPhiLePhi: 'Lệ phí giải quyết thủ tục hành chính', Gia: 50000 }] : [],
    DuocThanhToanTrucTuyen: d.paidOnline && state.status !== 'submitted' ? '1' : '0',
    HoSoCoThanhPhanSoHoa: d.digitized && received ? '1' : '0',
  };
  if (d.onlineLevel !== null) record['MucDo'] = d.onlineLevel === 'full' ? '4' : '3';
  if (state.resolvedAt !== null) {
    record['NgayKetThucXuLy'] = compact(state.resolvedAt);
    if (status === '10') record['NgayTra'] = compact(state.resolvedAt + 30 * 60_000);
  }
  if (state.status === 'resolved') {
    record['DanhSachGiayToKetQua'] = d.resultElectronic
      ? [{ TenGiayTo: 'Kết quả giải quyết (bản điện tử)', DuongDanTepTinKetQua: `ketqua/${d.id}.pdf` }]
      : [{ TenGiayTo: 'Kết quả giải quyết (bản giấy)' }];
  }
  return record;
}
