// The demo province's units: Bắc Giang's 24 province-level agencies and 10 districts with
// the exact names of the Q1/2021 appendix table (../shared/fixtures/bac-giang-2021-q1.csv,
// embedded here: the generator reads nothing at run time), plus real communes of each district.
// Each unit carries the targets the generator aims at, derived from that quarter's figures.
import type { UnitLevel } from '../dossier-contract.ts';
import type { DemoFieldKey } from './fields.ts';
import { Random } from './prng.ts';

export interface DemoUnit {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  /** The district of a commune; null otherwise. */
  parent_code: string | null;
  /** Electronic identifier shaped like the national one; the prefix of its dossier ids. */
  e_identifier: string;
  /** The row of the fixture this unit comes from (agencies and districts). */
  fixture_row: number | null;
  /** received_online / (received_online + received_offline), aimed at over the 24 months. */
  target_online_share: number;
  /** resolved_on_time / resolved_total, aimed at over the 24 months. */
  target_on_time_rate: number;
  /** Share of the province's dossiers this unit receives; all units sum to 1. */
  volume_share: number;
  /** Share of its dossiers that stall and stay open (the fixture's long overdue backlog). */
  stuck_share: number;
  /** Fields it handles, with relative volumes. */
  fields: ReadonlyArray<readonly [DemoFieldKey, number]>;
}

/** Share of all dossiers per level. Province:district follows the fixture (40.723 : 60.890). */
export const LEVEL_SHARES: Readonly<Record<UnitLevel, number>> = {
  province: 0.3,
  district: 0.45,
  commune: 0.25,
};

/** Fixture units with fewer new dossiers than this get plausible default rates instead. */
const MIN_FIXTURE_VOLUME = 20;
/** Quarterly volume (fixture scale) given to units the fixture shows (almost) empty. */
const FLOOR_VOLUME = 60;

// Fixture figures: name, level, received_online, received_offline, resolved_on_time,
// resolved_late, pending_overdue, received_total, and the fields the unit handles.
type FixtureRow = readonly [
  string,
  'province' | 'district',
  number,
  number,
  number,
  number,
  number,
  number,
  ReadonlyArray<readonly [DemoFieldKey, number]>,
];

const DISTRICT_FIELDS: ReadonlyArray<readonly [DemoFieldKey, number]> = [
  ['datDai', 0.35],
  ['chungThuc', 0.22],
  ['dangKyKinhDoanh', 0.12],
  ['hoTich', 0.08],
  ['xayDung', 0.07],
  ['baoTroXaHoi', 0.07],
  ['nguoiCoCong', 0.04],
  ['luuThongHangHoa', 0.03],
  ['giaoDuc', 0.02],
];

const COMMUNE_FIELDS: ReadonlyArray<readonly [DemoFieldKey, number]> = [
  ['chungThuc', 0.5],
  ['hoTich', 0.35],
  ['baoTroXaHoi', 0.07],
  ['nguoiCoCong', 0.04],
  ['datDai', 0.04],
];

const FIXTURE: readonly FixtureRow[] = [
  [
    'Công an Tỉnh',
    'province',
    136,
    1508,
    1802,
    64,
    2,
    1902,
    [
      ['anNinhTratTu', 0.6],
      ['xuatNhapCanh', 0.4],
    ],
  ],
  ['Bảo hiểm xã hội', 'province', 0, 0, 0, 0, 0, 0, [['baoHiemXaHoi', 1]]],
  ['Điện lực', 'province', 0, 40, 37, 3, 0, 40, [['dienLuc', 1]]],
  [
    'Văn phòng UBND tỉnh',
    'province',
    0,
    484,
    480,
    16,
    1,
    517,
    [
      ['thiDuaKhenThuong', 0.7],
      ['khieuNai', 0.3],
    ],
  ],
  [
    'Sở Kế hoạch và Đầu tư',
    'province',
    645,
    106,
    484,
    172,
    300,
    1054,
    [
      ['dangKyKinhDoanh', 0.85],
      ['dauTu', 0.15],
    ],
  ],
  [
    'Sở Tư pháp',
    'province',
    0,
    2360,
    2163,
    20,
    207,
    3010,
    [
      ['lyLichTuPhap', 0.85],
      ['quocTich', 0.08],
      ['congChung', 0.07],
    ],
  ],
  ['Thanh tra tỉnh', 'province', 0, 0, 0, 0, 0, 0, [['khieuNai', 1]]],
  [
    'Sở Công thương',
    'province',
    2098,
    61,
    2162,
    0,
    0,
    2171,
    [
      ['luuThongHangHoa', 0.6],
      ['xucTienThuongMai', 0.4],
    ],
  ],
  [
    'Sở Tài chính',
    'province',
    631,
    1,
    632,
    0,
    0,
    632,
    [
      ['quanLyGia', 0.3],
      ['tinHocThongKe', 0.7],
    ],
  ],
  [
    'Sở Nội vụ',
    'province',
    29,
    51,
    81,
    2,
    0,
    85,
    [
      ['thiDuaKhenThuong', 0.5],
      ['toChucPhiChinhPhu', 0.25],
      ['tonGiao', 0.25],
    ],
  ],
  [
    'Sở Nông nghiệp và PTNT',
    'province',
    220,
    36,
    248,
    0,
    0,
    266,
    [
      ['thuY', 0.6],
      ['baoVeThucVat', 0.4],
    ],
  ],
  [
    'Sở Tài nguyên và Môi trường',
    'province',
    14,
    28016,
    21262,
    6728,
    1361,
    34162,
    [
      ['datDai', 0.9],
      ['moiTruong', 0.07],
      ['taiNguyenNuoc', 0.03],
    ],
  ],
  [
    'Sở Xây dựng',
    'province',
    2,
    137,
    172,
    0,
    0,
    196,
    [
      ['xayDung', 0.7],
      ['nhaO', 0.3],
    ],
  ],
  [
    'Sở Giao thông vận tải',
    'province',
    470,
    94,
    564,
    14,
    14,
    618,
    [
      ['giaoThong', 0.95],
      ['duongThuy', 0.05],
    ],
  ],
  [
    'Sở Thông tin và Truyền thông',
    'province',
    28,
    0,
    28,
    0,
    0,
    30,
    [
      ['baoChi', 0.5],
      ['xuatBan', 0.5],
    ],
  ],
  [
    'Sở Khoa học và Công nghệ',
    'province',
    13,
    95,
    108,
    0,
    0,
    108,
    [
      ['tieuChuanDoLuong', 0.8],
      ['anToanBucXa', 0.2],
    ],
  ],
  [
    'Sở Giáo dục và Đào tạo',
    'province',
    159,
    11,
    173,
    0,
    0,
    175,
    [
      ['vanBangChungChi', 0.7],
      ['giaoDuc', 0.3],
    ],
  ],
  [
    'Sở Văn hóa, Thể thao và DL',
    'province',
    50,
    15,
    70,
    0,
    0,
    72,
    [
      ['vanHoa', 0.4],
      ['duLich', 0.6],
    ],
  ],
  [
    'Sở Y tế',
    'province',
    294,
    91,
    409,
    0,
    0,
    478,
    [
      ['khamChuaBenh', 0.5],
      ['duoc', 0.3],
      ['anToanThucPham', 0.2],
    ],
  ],
  [
    'Sở Lao động - Thương binh XH',
    'province',
    176,
    1374,
    1470,
    57,
    14,
    1727,
    [
      ['viecLam', 0.75],
      ['nguoiCoCong', 0.15],
      ['baoTroXaHoi', 0.1],
    ],
  ],
  ['Sở Ngoại Vụ', 'province', 5, 0, 3, 0, 0, 5, [['lanhSu', 1]]],
  [
    'Ban quản lý các KCN',
    'province',
    399,
    94,
    563,
    4,
    0,
    583,
    [
      ['laoDongNuocNgoai', 0.6],
      ['dauTu', 0.3],
      ['xayDung', 0.1],
    ],
  ],
  ['Ban Dân tộc', 'province', 0, 1, 1, 0, 0, 1, [['congTacDanToc', 1]]],
  ['Cục thuế tỉnh', 'province', 0, 779, 121, 191, 966, 1307, [['thue', 1]]],
  ['UBND Thành phố Bắc Giang', 'district', 162, 4876, 4644, 347, 51, 5629, DISTRICT_FIELDS],
  ['UBND huyện Lạng Giang', 'district', 2, 6899, 6198, 556, 125, 7266, DISTRICT_FIELDS],
  ['UBND huyện Yên Dũng', 'district', 127, 6205, 6178, 41, 20, 6454, DISTRICT_FIELDS],
  ['UBND huyện Tân Yên', 'district', 687, 6223, 6726, 40, 4, 7223, DISTRICT_FIELDS],
  ['UBND huyện Việt Yên', 'district', 1507, 5380, 6928, 87, 12, 7236, DISTRICT_FIELDS],
  ['UBND huyện Hiệp Hoà', 'district', 4, 4717, 3983, 253, 78, 5244, DISTRICT_FIELDS],
  ['UBND huyện Yên Thế', 'district', 63, 4724, 4695, 57, 5, 4910, DISTRICT_FIELDS],
  ['UBND huyện Lục Nam', 'district', 1270, 8979, 10004, 201, 103, 10591, DISTRICT_FIELDS],
  ['UBND huyện Lục Ngạn', 'district', 1, 4373, 3934, 254, 49, 4605, DISTRICT_FIELDS],
  ['UBND huyện Sơn Động', 'district', 50, 4641, 4546, 109, 16, 4751, DISTRICT_FIELDS],
];

/** Communes (xã, phường, thị trấn) of each district, in fixture order. */
const COMMUNES: readonly (readonly string[])[] = [
  [
    'phường Trần Phú',
    'phường Ngô Quyền',
    'phường Hoàng Văn Thụ',
    'phường Lê Lợi',
    'phường Xương Giang',
    'xã Dĩnh Trì',
    'xã Song Mai',
  ],
  [
    'thị trấn Vôi',
    'thị trấn Kép',
    'xã Tân Dĩnh',
    'xã Phi Mô',
    'xã Quang Thịnh',
    'xã Xuân Hương',
    'xã Yên Mỹ',
  ],
  ['thị trấn Nham Biền', 'thị trấn Tân An', 'xã Lãng Sơn', 'xã Tiến Dũng', 'xã Đồng Phúc', 'xã Tư Mại'],
  [
    'thị trấn Cao Thượng',
    'thị trấn Nhã Nam',
    'xã Cao Xá',
    'xã Liên Chung',
    'xã Phúc Hòa',
    'xã Ngọc Thiện',
    'xã Song Vân',
  ],
  [
    'thị trấn Bích Động',
    'thị trấn Nếnh',
    'xã Hồng Thái',
    'xã Minh Đức',
    'xã Tăng Tiến',
    'xã Vân Trung',
    'xã Quang Châu',
    'xã Việt Tiến',
  ],
  ['thị trấn Thắng', 'xã Đức Thắng', 'xã Mai Đình', 'xã Hương Lâm', 'xã Châu Minh', 'xã Hoàng Vân'],
  ['thị trấn Cầu Gồ', 'thị trấn Bố Hạ', 'xã Đồng Kỳ', 'xã Tam Tiến', 'xã Đồng Lạc'],
  [
    'thị trấn Đồi Ngô',
    'thị trấn Phương Sơn',
    'xã Bảo Đài',
    'xã Cẩm Lý',
    'xã Huyền Sơn',
    'xã Lục Sơn',
    'xã Tam Dị',
    'xã Yên Sơn',
  ],
  ['thị trấn Chũ', 'xã Biển Động', 'xã Giáp Sơn', 'xã Kiên Thành', 'xã Phượng Sơn', 'xã Quý Sơn'],
  ['thị trấn An Châu', 'thị trấn Tây Yên Tử', 'xã Cẩm Đàn', 'xã Dương Hưu', 'xã Long Sơn', 'xã Vân Sơn'],
];

const PROVINCE_EID = 'H22';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function buildUnits(): DemoUnit[] {
  // A fixed stream (not the user's seed): the unit list is the same for every seed.
  const random = new Random(0x0b6a);
  const units: DemoUnit[] = [];
  const volume = (online: number, offline: number) => Math.max(online + offline, FLOOR_VOLUME);
  const levelVolume = { province: 0, district: 0 };
  for (const [, level, online, offline] of FIXTURE) levelVolume[level] += volume(online, offline);

  let agency = 0;
  let district = 0;
  FIXTURE.forEach(
    ([name, level, online, offline, onTime, late, pendingOverdue, receivedTotal, fields], index) => {
      const fresh = online + offline;
      const reliable = fresh >= MIN_FIXTURE_VOLUME && onTime + late >= MIN_FIXTURE_VOLUME;
      const onlineShare = reliable ? online / fresh : 0.3 + 0.3 * random.next();
      const onTimeRate = reliable ? onTime / (onTime + late) : 0.95 + 0.04 * random.next();
      const stuckShare = receivedTotal > 0 ? Math.min(0.02, (0.05 * pendingOverdue) / receivedTotal) : 0.001;
      const share = volume(online, offline) / levelVolume[level];
      if (level === 'province') {
        agency += 1;
        units.push({
          unit_code: `BG-S${pad(agency)}`,
          unit_name: name,
          unit_level: 'province',
          parent_code: null,
          e_identifier: `000.00.${pad(agency)}.${PROVINCE_EID}`,
          fixture_row: index + 1,
          target_online_share: onlineShare,
          target_on_time_rate: onTimeRate,
          volume_share: LEVEL_SHARES.province * share,
          stuck_share: stuckShare,
          fields,
        });
        return;
      }
      district += 1;
      const districtCode = `BG-H${pad(district)}`;
      const districtEid = 20 + district;
      units.push({
        unit_code: districtCode,
        unit_name: name,
        unit_level: 'district',
        parent_code: null,
        e_identifier: `000.${districtEid}.00.${PROVINCE_EID}`,
        fixture_row: index + 1,
        target_online_share: onlineShare,
        target_on_time_rate: onTimeRate,
        volume_share: LEVEL_SHARES.district * share,
        stuck_share: stuckShare,
        fields,
      });
      // Communes share their district's weight in the province, unevenly.
      const communes = COMMUNES[district - 1]!;
      const weights = communes.map(() => 0.6 + 0.8 * random.next());
      const total = weights.reduce((a, b) => a + b, 0);
      communes.forEach((communeName, c) => {
        units.push({
          unit_code: `${districtCode}-X${pad(c + 1)}`,
          unit_name: `UBND ${communeName}`,
          unit_level: 'commune',
          parent_code: districtCode,
          e_identifier: `${pad(c + 1, 3)}.${districtEid}.00.${PROVINCE_EID}`,
          fixture_row: null,
          // Communes receive mostly at the counter and close nearly everything on time.
          target_online_share: 0.03 + 0.09 * random.next(),
          target_on_time_rate: 0.97 + 0.025 * random.next(),
          volume_share: LEVEL_SHARES.commune * share * (weights[c]! / total),
          stuck_share: 0.0005,
          fields: COMMUNE_FIELDS,
        });
      });
    },
  );
  return units;
}

export const DEMO_UNITS: readonly DemoUnit[] = buildUnits();
