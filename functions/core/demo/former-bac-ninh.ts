// Former Bắc Ninh province (until 30 June 2025): its agencies (the same departments as Bắc
// Giang's, without a Ban Dân tộc), its 8 districts with real communes of each, and what they
// became on 1 July 2025 (see reform-2025.ts for the notation). Its one-stop system sent its
// dossiers in the national portal's DongBoHoSoMC shape.
import { AGENCY_KINDS, type AgencyKind } from './agency-kinds.ts';
import type { FormerDistrict } from './reform-2025.ts';

/** Bắc Ninh had the same departments as Bắc Giang, without a Ban Dân tộc. */
export const BAC_NINH_AGENCY_KINDS: readonly AgencyKind[] = AGENCY_KINDS.filter((kind) => kind !== 'danToc');

export interface BacNinhDistrict extends FormerDistrict {
  name: string;
  /** Relative volume of the district (office and communes) within the province. */
  volume: number;
}

export const BAC_NINH_DISTRICTS: readonly BacNinhDistrict[] = [
  {
    name: 'UBND thành phố Bắc Ninh',
    volume: 1.35,
    communes: [
      'phường Vũ Ninh',
      'phường Đáp Cầu',
      'phường Suối Hoa',
      'phường Tiền An',
      'phường Đại Phúc',
      'phường Võ Cường',
      'phường Hạp Lĩnh',
      'phường Khắc Niệm',
    ],
    becomes: [
      [
        'phường Kinh Bắc',
        ['phường Vũ Ninh', 'phường Đáp Cầu', 'phường Suối Hoa', 'phường Tiền An', ['phường Đại Phúc', 40]],
      ],
      ['phường Ninh Xá', ['phường Võ Cường', ['phường Đại Phúc', 60]]],
      ['phường Nam Sơn', ['phường Hạp Lĩnh', 'phường Khắc Niệm']],
    ],
  },
  {
    name: 'UBND thành phố Từ Sơn',
    volume: 1.2,
    communes: [
      'phường Đông Ngàn',
      'phường Đồng Kỵ',
      'phường Trang Hạ',
      'phường Đình Bảng',
      'phường Tân Hồng',
      'phường Châu Khê',
      'phường Phù Khê',
    ],
    becomes: [
      ['phường Từ Sơn', ['phường Đông Ngàn', 'phường Tân Hồng', ['phường Đình Bảng', 60]]],
      ['phường Tam Sơn', ['phường Châu Khê', ['phường Đình Bảng', 40]]],
      ['phường Đồng Nguyên', ['phường Đồng Kỵ', 'phường Trang Hạ', 'phường Phù Khê']],
    ],
  },
  {
    name: 'UBND thị xã Quế Võ',
    volume: 1,
    communes: [
      'phường Phố Mới',
      'phường Bằng An',
      'phường Việt Hùng',
      'phường Phương Liễu',
      'xã Chi Lăng',
      'xã Đào Viên',
    ],
    becomes: [
      ['phường Quế Võ', ['phường Phố Mới', 'phường Bằng An', 'phường Việt Hùng']],
      ['phường Nhân Hòa', ['phường Phương Liễu']],
      ['phường Đào Viên', ['xã Đào Viên', 'xã Chi Lăng']],
    ],
  },
  {
    name: 'UBND thị xã Thuận Thành',
    volume: 1,
    communes: [
      'phường Hồ',
      'phường Song Hồ',
      'phường Gia Đông',
      'phường Trạm Lộ',
      'xã Đình Tổ',
      'xã Nghĩa Đạo',
    ],
    becomes: [
      ['phường Thuận Thành', ['phường Hồ', 'phường Song Hồ', ['phường Gia Đông', 50]]],
      ['phường Trí Quả', ['xã Đình Tổ', ['phường Gia Đông', 50]]],
      ['phường Mão Điền', ['phường Trạm Lộ', 'xã Nghĩa Đạo']],
    ],
  },
  {
    name: 'UBND huyện Yên Phong',
    volume: 0.9,
    communes: ['thị trấn Chờ', 'xã Đông Phong', 'xã Tam Đa', 'xã Yên Trung', 'xã Dũng Liệt', 'xã Văn Môn'],
    becomes: [
      ['xã Yên Phong', ['thị trấn Chờ', 'xã Đông Phong', 'xã Yên Trung']],
      ['xã Tam Giang', ['xã Tam Đa', 'xã Dũng Liệt', 'xã Văn Môn']],
    ],
  },
  {
    name: 'UBND huyện Tiên Du',
    volume: 0.9,
    communes: ['thị trấn Lim', 'xã Phật Tích', 'xã Tân Chi', 'xã Đại Đồng', 'xã Nội Duệ', 'xã Cảnh Hưng'],
    becomes: [
      ['xã Tiên Du', ['thị trấn Lim', 'xã Nội Duệ']],
      ['xã Liên Bão', ['xã Phật Tích', 'xã Cảnh Hưng']],
      ['xã Hoàn Sơn', ['xã Tân Chi', 'xã Đại Đồng']],
    ],
  },
  {
    name: 'UBND huyện Gia Bình',
    volume: 0.7,
    communes: [
      'thị trấn Gia Bình',
      'xã Nhân Thắng',
      'xã Đại Lai',
      'xã Đông Cứu',
      'xã Vạn Ninh',
      'xã Cao Đức',
    ],
    becomes: [
      ['xã Gia Bình', ['thị trấn Gia Bình', 'xã Nhân Thắng']],
      ['xã Lãng Ngâm', ['xã Đại Lai', 'xã Đông Cứu']],
      ['xã Song Giang', ['xã Vạn Ninh', 'xã Cao Đức']],
    ],
  },
  {
    name: 'UBND huyện Lương Tài',
    volume: 0.7,
    communes: ['thị trấn Thứa', 'xã Lâm Thao', 'xã Phú Hòa', 'xã Trung Kênh', 'xã Quảng Phú', 'xã Mỹ Hương'],
    becomes: [
      ['xã Lương Tài', ['thị trấn Thứa', 'xã Mỹ Hương']],
      ['xã Trung Chính', ['xã Trung Kênh', 'xã Phú Hòa']],
      ['xã Phú Lương', ['xã Lâm Thao', 'xã Quảng Phú']],
    ],
  },
];
