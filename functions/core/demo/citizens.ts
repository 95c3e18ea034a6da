// Fake applicants. Real exports carry the applicant's name, phone and e-mail (ChuHoSo,
// SoDienThoai, Email); the demo carries invented ones so that the privacy tests have
// something to look for: ingest must drop these columns.
import type { Random } from './prng.ts';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Ngô',
  'Dương',
  'Lý',
  'Phan',
  'Hà',
  'Thân',
  'Giáp',
];
const FAMILY_WEIGHTED = [0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map(
  (i) => FAMILY[i]!,
);
const MIDDLE_MALE = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thanh', 'Xuân', 'Công', 'Đình', 'Mạnh'];
const MIDDLE_FEMALE = ['Thị', 'Thị', 'Thu', 'Ngọc', 'Thanh', 'Hồng', 'Minh', 'Phương', 'Kim', 'Diệu'];
const GIVEN_MALE = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Đạt',
  'Hải',
  'Hiếu',
  'Hùng',
  'Khánh',
  'Long',
  'Nam',
  'Phong',
  'Phúc',
  'Quân',
  'Sơn',
  'Thắng',
  'Trung',
  'Tuấn',
  'Việt',
  'Vinh',
];
const GIVEN_FEMALE = [
  'Anh',
  'Giang',
  'Hà',
  'Hạnh',
  'Hoa',
  'Hương',
  'Lan',
  'Linh',
  'Mai',
  'Nga',
  'Ngọc',
  'Nhung',
  'Phương',
  'Quỳnh',
  'Tâm',
  'Thảo',
  'Thủy',
  'Trang',
  'Vân',
  'Yến',
];
const MOBILE_PREFIXES = [
  '086',
  '096',
  '097',
  '098',
  '032',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '039',
  '088',
  '091',
  '094',
  '083',
  '084',
  '085',
  '070',
  '079',
  '077',
  '090',
  '093',
  '089',
];
const MAIL_DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com'];

export interface Applicant {
  name: string;
  phone: string;
  email: string;
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

export function fakeApplicant(random: Random): Applicant {
  const female = random.chance(0.5);
  const family = random.pick(FAMILY_WEIGHTED);
  const middle = random.pick(female ? MIDDLE_FEMALE : MIDDLE_MALE);
  const given = random.pick(female ? GIVEN_FEMALE : GIVEN_MALE);
  const name = `${family} ${middle} ${given}`;
  const phone = random.chance(0.9)
    ? random.pick(MOBILE_PREFIXES) + String(random.int(0, 9_999_999)).padStart(7, '0')
    : '';
  const email = random.chance(0.35)
    ? `${ascii(given)}${ascii(family)}${random.int(1960, 2006)}@${random.pick(MAIL_DOMAINS)}`
    : '';
  return { name, phone, email };
}
