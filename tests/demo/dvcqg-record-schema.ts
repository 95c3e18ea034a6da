// A DongBoHoSoMC record as former Bắc Ninh's system sends it, checked strictly: DVCQG field
// names only, status and channel codes, yyyyMMddHHmmss dates, MaHoSo prefixed by a Bắc Ninh
// e-identifier, the citizen fields a real payload carries (ingest must drop them), and the
// cross-field rules of the portal's shape.
import { z } from 'zod';
import { DVCQG_CHANNEL, DVCQG_STATUS } from '../../functions/core/dossier-contract.ts';

const compact = z.string().regex(/^20(24|25)\d{10}$/);
const optionalCompact = z.union([z.literal(''), z.string().regex(/^20\d{12}$/)]);
const flag = z.enum(['0', '1']);

export const DvcqgRecordSchema = z
  .object({
    MaHoSo: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.H07-\d{6}-\d{5}$/),
    MaTTHC: z.string().regex(/^[12]\.\d{6}$/),
    TenTTHC: z.string().min(5),
    MaLinhVuc: z.string().regex(/^G\d{2}-[A-Z]{2}\d{2}$/),
    TenLinhVuc: z.string().min(3),
    KenhThucHien: z.enum(Object.keys(DVCQG_CHANNEL) as [string, ...string[]]),
    MucDo: z.enum(['3', '4']).optional(),
    ChuHoSo: z.string().regex(/^\p{Lu}\p{Ll}* \p{Lu}\p{Ll}* \p{Lu}\p{Ll}*$/u),
    SoGiayToChuHoSo: z.string().regex(/^027\d{9}$/),
    SoDienThoai: z.union([z.literal(''), z.string().regex(/^0\d{9}$/)]),
    Email: z.union([z.literal(''), z.email()]),
    TrichYeuHoSo: z.string().min(10),
    NgayTiepNhan: compact,
    NgayHenTra: optionalCompact,
    TrangThaiHoSo: z.enum(Object.keys(DVCQG_STATUS) as [string, ...string[]]),
    NgayKetThucXuLy: compact.optional(),
    NgayTra: compact.optional(),
    DonViXuLy: z.string().min(5),
    DanhSachGiayToKetQua: z
      .array(z.object({ TenGiayTo: z.string(), DuongDanTepTinKetQua: z.string().optional() }).strict())
      .optional(),
    DanhSachLePhi: z.array(z.object({ TenPhiLePhi: z.string(), Gia: z.number().positive() }).strict()),
    DuocThanhToanTrucTuyen: flag,
    HoSoCoThanhPhanSoHoa: flag,
  })
  .strict()
  .superRefine((r, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
    const status = DVCQG_STATUS[r.TrangThaiHoSo]!;
    const closed = status === 'resolved' || status === 'withdrawn' || status === 'stopped';
    if (closed !== (r.NgayKetThucXuLy !== undefined)) fail('NgayKetThucXuLy exactly for closed dossiers');
    if (r.NgayTra !== undefined && r.TrangThaiHoSo !== '10')
      fail('NgayTra only once the result is handed over');
    if ((status === 'resolved') !== (r.DanhSachGiayToKetQua !== undefined))
      fail('result documents only with a result');
    if (r.NgayKetThucXuLy !== undefined && r.NgayKetThucXuLy < r.NgayTiepNhan) fail('closed before received');
    if (r.NgayHenTra !== '' && r.NgayHenTra < r.NgayTiepNhan) fail('due before received');
    if ((r.KenhThucHien === '2') !== (r.MucDo !== undefined)) fail('MucDo only for online dossiers');
    if (r.DuocThanhToanTrucTuyen === '1' && r.DanhSachLePhi.length === 0) fail('paid online without a fee');
    if (r.NgayTiepNhan > '20250630235959') fail('received after the former system closed');
    if (!r.TrichYeuHoSo.includes(r.ChuHoSo)) fail('the summary names the applicant, as real ones do');
  });
