// Province-level agencies across the 2025 reforms. Each former province had the same set of
// departments (sở) and central agencies; in 2025 departments merged (Kế hoạch và Đầu tư into
// Tài chính, Tài nguyên và Môi trường with Nông nghiệp into Nông nghiệp và Môi trường, Giao
// thông vận tải into Xây dựng, Thông tin và Truyền thông into Khoa học và Công nghệ; Lao
// động - Thương binh và Xã hội shared out between Nội vụ and Y tế; a new Sở Dân tộc và Tôn
// giáo), and on 1 July 2025 the two provinces' agencies became new Bắc Ninh's. The demo
// dates every change 1 July 2025 (the department mergers of 1 March 2025 are folded into it).

export type AgencyKind =
  | 'congAn'
  | 'baoHiemXaHoi'
  | 'dienLuc'
  | 'vanPhongUbnd'
  | 'keHoachDauTu'
  | 'tuPhap'
  | 'thanhTra'
  | 'congThuong'
  | 'taiChinh'
  | 'noiVu'
  | 'nongNghiep'
  | 'taiNguyenMoiTruong'
  | 'xayDung'
  | 'giaoThongVanTai'
  | 'thongTinTruyenThong'
  | 'khoaHocCongNghe'
  | 'giaoDucDaoTao'
  | 'vanHoaTheThaoDuLich'
  | 'yTe'
  | 'laoDongThuongBinh'
  | 'ngoaiVu'
  | 'khuCongNghiep'
  | 'danToc'
  | 'thue';

/** A former agency's name without its province ("Sở Tư pháp"), and how "tỉnh X" follows it. */
const FORMER_NAMES: Readonly<Record<AgencyKind, string>> = {
  congAn: 'Công an tỉnh',
  baoHiemXaHoi: 'Bảo hiểm xã hội tỉnh',
  dienLuc: 'Công ty Điện lực',
  vanPhongUbnd: 'Văn phòng UBND tỉnh',
  keHoachDauTu: 'Sở Kế hoạch và Đầu tư',
  tuPhap: 'Sở Tư pháp',
  thanhTra: 'Thanh tra tỉnh',
  congThuong: 'Sở Công Thương',
  taiChinh: 'Sở Tài chính',
  noiVu: 'Sở Nội vụ',
  nongNghiep: 'Sở Nông nghiệp và Phát triển nông thôn',
  taiNguyenMoiTruong: 'Sở Tài nguyên và Môi trường',
  xayDung: 'Sở Xây dựng',
  giaoThongVanTai: 'Sở Giao thông vận tải',
  thongTinTruyenThong: 'Sở Thông tin và Truyền thông',
  khoaHocCongNghe: 'Sở Khoa học và Công nghệ',
  giaoDucDaoTao: 'Sở Giáo dục và Đào tạo',
  vanHoaTheThaoDuLich: 'Sở Văn hóa, Thể thao và Du lịch',
  yTe: 'Sở Y tế',
  laoDongThuongBinh: 'Sở Lao động - Thương binh và Xã hội',
  ngoaiVu: 'Sở Ngoại vụ',
  khuCongNghiep: 'Ban Quản lý các khu công nghiệp',
  danToc: 'Ban Dân tộc',
  thue: 'Cục Thuế',
};

/** Every kind, in the order of the Bắc Giang fixture's agencies. */
export const AGENCY_KINDS = Object.keys(FORMER_NAMES) as readonly AgencyKind[];

/** "Sở Tư pháp tỉnh Bắc Giang", "Công an tỉnh Bắc Ninh", "Công ty Điện lực Bắc Giang". */
export function formerAgencyName(kind: AgencyKind, province: string): string {
  const name = FORMER_NAMES[kind];
  if (name.endsWith(' tỉnh') || kind === 'dienLuc') return `${name} ${province}`;
  return `${name} tỉnh ${province}`;
}

export type MergedAgencyKey =
  | 'congAn'
  | 'baoHiemXaHoi'
  | 'dienLuc'
  | 'vanPhongUbnd'
  | 'tuPhap'
  | 'thanhTra'
  | 'congThuong'
  | 'taiChinh'
  | 'noiVu'
  | 'nongNghiepMoiTruong'
  | 'xayDung'
  | 'khoaHocCongNghe'
  | 'giaoDucDaoTao'
  | 'vanHoaTheThaoDuLich'
  | 'yTe'
  | 'ngoaiVu'
  | 'khuCongNghiep'
  | 'danTocTonGiao'
  | 'thue';

/** New Bắc Ninh's agencies from 1 July 2025, in the order the registry lists them. */
export const MERGED_AGENCIES: ReadonlyArray<readonly [MergedAgencyKey, string]> = [
  ['congAn', 'Công an tỉnh'],
  ['baoHiemXaHoi', 'Bảo hiểm xã hội tỉnh'],
  ['dienLuc', 'Công ty Điện lực tỉnh Bắc Ninh'],
  ['vanPhongUbnd', 'Văn phòng UBND tỉnh'],
  ['tuPhap', 'Sở Tư pháp'],
  ['thanhTra', 'Thanh tra tỉnh'],
  ['congThuong', 'Sở Công Thương'],
  ['taiChinh', 'Sở Tài chính'],
  ['noiVu', 'Sở Nội vụ'],
  ['nongNghiepMoiTruong', 'Sở Nông nghiệp và Môi trường'],
  ['xayDung', 'Sở Xây dựng'],
  ['khoaHocCongNghe', 'Sở Khoa học và Công nghệ'],
  ['giaoDucDaoTao', 'Sở Giáo dục và Đào tạo'],
  ['vanHoaTheThaoDuLich', 'Sở Văn hóa, Thể thao và Du lịch'],
  ['yTe', 'Sở Y tế'],
  ['ngoaiVu', 'Sở Ngoại vụ'],
  ['khuCongNghiep', 'Ban Quản lý các khu công nghiệp'],
  ['danTocTonGiao', 'Sở Dân tộc và Tôn giáo'],
  ['thue', 'Thuế tỉnh'],
];

/** Where each former agency's work went, in hundredths (summing to 100 per former agency). */
export const AGENCY_SUCCESSORS: Readonly<
  Record<AgencyKind, ReadonlyArray<readonly [MergedAgencyKey, number]>>
> = {
  congAn: [['congAn', 100]],
  baoHiemXaHoi: [['baoHiemXaHoi', 100]],
  dienLuc: [['dienLuc', 100]],
  vanPhongUbnd: [['vanPhongUbnd', 100]],
  keHoachDauTu: [['taiChinh', 100]],
  tuPhap: [['tuPhap', 100]],
  thanhTra: [['thanhTra', 100]],
  congThuong: [['congThuong', 100]],
  taiChinh: [['taiChinh', 100]],
  // Religious affairs (tôn giáo) left Nội vụ for the new Sở Dân tộc và Tôn giáo.
  noiVu: [
    ['noiVu', 80],
    ['danTocTonGiao', 20],
  ],
  nongNghiep: [['nongNghiepMoiTruong', 100]],
  taiNguyenMoiTruong: [['nongNghiepMoiTruong', 100]],
  xayDung: [['xayDung', 100]],
  giaoThongVanTai: [['xayDung', 100]],
  thongTinTruyenThong: [['khoaHocCongNghe', 100]],
  khoaHocCongNghe: [['khoaHocCongNghe', 100]],
  giaoDucDaoTao: [['giaoDucDaoTao', 100]],
  vanHoaTheThaoDuLich: [['vanHoaTheThaoDuLich', 100]],
  yTe: [['yTe', 100]],
  // Labour and war veterans went to Nội vụ; social protection and children to Y tế.
  laoDongThuongBinh: [
    ['noiVu', 85],
    ['yTe', 15],
  ],
  ngoaiVu: [['ngoaiVu', 100]],
  khuCongNghiep: [['khuCongNghiep', 100]],
  danToc: [['danTocTonGiao', 100]],
  thue: [['thue', 100]],
};
