// Fields (lĩnh vực) and procedures (thủ tục hành chính) of the demo province. Names are the
// usual Vietnamese ones; codes are shaped like the national ones (field "G09-TP03",
// procedure "2.000815") but invented: the demo must not pretend to be the national catalogue.

export interface DemoProcedure {
  code: string;
  name: string;
  /** Legal duration in working days; 0 = same day; null = no legal deadline. */
  days: number | null;
  fee: boolean;
  /** Offered fully online (toàn trình). */
  fullOnline: boolean;
  /** Relative volume within its field. */
  weight: number;
}

export interface DemoField {
  code: string;
  name: string;
  procedures: readonly DemoProcedure[];
}

function proc(
  code: string,
  name: string,
  days: number | null,
  weight: number,
  options: { fee?: boolean; fullOnline?: boolean } = {},
): DemoProcedure {
  return { code, name, days, weight, fee: options.fee ?? false, fullOnline: options.fullOnline ?? false };
}

const FEE = { fee: true };
const ONLINE = { fullOnline: true };
const FEE_ONLINE = { fee: true, fullOnline: true };

export const CERTIFICATION_FIELD_NAME = 'Chứng thực';

export const DEMO_FIELDS = {
  chungThuc: {
    code: 'G09-TP01',
    name: CERTIFICATION_FIELD_NAME,
    procedures: [
      proc('2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản', 0, 60, FEE_ONLINE),
      proc('2.000884', 'Chứng thực chữ ký trong các giấy tờ, văn bản', 0, 20, FEE),
      proc(
        '2.000913',
        'Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất',
        2,
        12,
        FEE,
      ),
      proc('2.000927', 'Chứng thực văn bản thỏa thuận phân chia di sản', 3, 4, FEE),
      proc(
        '2.000942',
        'Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực',
        0,
        4,
        FEE,
      ),
    ],
  },
  hoTich: {
    code: 'G09-TP02',
    name: 'Hộ tịch',
    procedures: [
      proc('1.001193', 'Đăng ký khai sinh', 0, 30, ONLINE),
      proc('1.000894', 'Đăng ký kết hôn', 0, 10),
      proc('1.000656', 'Đăng ký khai tử', 0, 10, ONLINE),
      proc('2.000635', 'Cấp bản sao trích lục hộ tịch', 0, 20, FEE_ONLINE),
      proc('1.004873', 'Cấp Giấy xác nhận tình trạng hôn nhân', 3, 22, ONLINE),
      proc('1.004884', 'Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch', 3, 8, FEE),
    ],
  },
  lyLichTuPhap: {
    code: 'G09-TP05',
    name: 'Lý lịch tư pháp',
    procedures: [
      proc(
        '2.000488',
        'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam',
        10,
        85,
        FEE_ONLINE,
      ),
      proc('2.000505', 'Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, cơ quan tiến hành tố tụng', 10, 15),
    ],
  },
  quocTich: {
    code: 'G09-TP06',
    name: 'Quốc tịch',
    procedures: [
      proc('1.001931', 'Xác nhận có quốc tịch Việt Nam ở trong nước', 15, 60),
      proc('1.001950', 'Thôi quốc tịch Việt Nam ở trong nước', null, 40, FEE),
    ],
  },
  congChung: {
    code: 'G09-TP07',
    name: 'Công chứng',
    procedures: [
      proc('2.000789', 'Đăng ký hành nghề và cấp Thẻ công chứng viên', 10, 60),
      proc('2.001638', 'Thành lập Văn phòng công chứng', 20, 40, FEE),
    ],
  },
  datDai: {
    code: 'G10-TN01',
    name: 'Đất đai',
    procedures: [
      proc(
        '1.004227',
        'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất',
        10,
        40,
        FEE,
      ),
      proc('2.000983', 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu', 30, 18, FEE),
      proc('1.005398', 'Cấp đổi Giấy chứng nhận quyền sử dụng đất', 7, 14, FEE),
      proc('1.004203', 'Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất', 3, 8),
      proc('1.003010', 'Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất', 0, 16, FEE_ONLINE),
      proc('1.001991', 'Cung cấp thông tin, dữ liệu đất đai', 3, 4, FEE_ONLINE),
    ],
  },
  moiTruong: {
    code: 'G10-TN02',
    name: 'Môi trường',
    procedures: [
      proc('1.010727', 'Cấp giấy phép môi trường', 30, 50, FEE),
      proc('1.010733', 'Thẩm định báo cáo đánh giá tác động môi trường', 30, 30, FEE),
      proc('1.010740', 'Đăng ký môi trường', 15, 20, ONLINE),
    ],
  },
  taiNguyenNuoc: {
    code: 'G10-TN03',
    name: 'Tài nguyên nước',
    procedures: [proc('1.004232', 'Cấp giấy phép khai thác, sử dụng nước dưới đất', 30, 100, FEE)],
  },
  xayDung: {
    code: 'G12-XD01',
    name: 'Xây dựng',
    procedures: [
      proc(
        '1.009994',
        'Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, II, III',
        20,
        25,
        FEE,
      ),
      proc('1.010007', 'Cấp giấy phép xây dựng đối với nhà ở riêng lẻ', 15, 45, FEE),
      proc('1.009972', 'Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng', 30, 15, FEE),
      proc('1.009987', 'Cấp chứng chỉ hành nghề hoạt động xây dựng', 20, 15, FEE_ONLINE),
    ],
  },
  nhaO: {
    code: 'G12-XD02',
    name: 'Nhà ở',
    procedures: [
      proc('1.007750', 'Công nhận chủ đầu tư dự án xây dựng nhà ở', 30, 40),
      proc('1.007763', 'Mua, thuê mua nhà ở xã hội', 30, 60, ONLINE),
    ],
  },
  dangKyKinhDoanh: {
    code: 'G06-KH01',
    name: 'Đăng ký kinh doanh',
    procedures: [
      proc('2.001610', 'Đăng ký thành lập công ty trách nhiệm hữu hạn', 3, 30, FEE_ONLINE),
      proc('2.002040', 'Đăng ký thay đổi nội dung đăng ký doanh nghiệp', 3, 40, FEE_ONLINE),
      proc('2.002045', 'Thông báo tạm ngừng kinh doanh', 3, 15, ONLINE),
      proc('2.000575', 'Đăng ký thành lập hộ kinh doanh', 3, 15, FEE_ONLINE),
    ],
  },
  dauTu: {
    code: 'G06-KH02',
    name: 'Đầu tư tại Việt Nam',
    procedures: [
      proc('1.009645', 'Cấp Giấy chứng nhận đăng ký đầu tư', 15, 60, ONLINE),
      proc('1.009650', 'Điều chỉnh Giấy chứng nhận đăng ký đầu tư', 10, 40, ONLINE),
    ],
  },
  giaoThong: {
    code: 'G16-GT01',
    name: 'Giao thông vận tải',
    procedures: [
      proc('1.002804', 'Đổi giấy phép lái xe do ngành Giao thông vận tải cấp', 5, 60, FEE_ONLINE),
      proc('1.002835', 'Cấp giấy phép lái xe quốc tế', 5, 10, FEE_ONLINE),
      proc('1.001777', 'Cấp phù hiệu xe kinh doanh vận tải', 2, 20, ONLINE),
      proc('1.002869', 'Cấp giấy phép kinh doanh vận tải bằng xe ô tô', 5, 10, FEE_ONLINE),
    ],
  },
  duongThuy: {
    code: 'G16-GT02',
    name: 'Đường thủy nội địa',
    procedures: [proc('1.003930', 'Đăng ký phương tiện thủy nội địa lần đầu', 3, 100, FEE)],
  },
  anNinhTratTu: {
    code: 'G01-CA01',
    name: 'Quản lý ngành nghề kinh doanh có điều kiện về an ninh, trật tự',
    procedures: [
      proc('1.000425', 'Cấp Giấy chứng nhận đủ điều kiện về an ninh, trật tự', 5, 70, FEE_ONLINE),
      proc('1.000396', 'Đăng ký mẫu con dấu', 3, 30),
    ],
  },
  xuatNhapCanh: {
    code: 'G01-CA02',
    name: 'Xuất nhập cảnh',
    procedures: [proc('2.002157', 'Cấp hộ chiếu phổ thông ở trong nước', 8, 100, FEE_ONLINE)],
  },
  baoHiemXaHoi: {
    code: 'G21-BH01',
    name: 'Thu bảo hiểm xã hội, bảo hiểm y tế',
    procedures: [
      proc(
        '1.004250',
        'Cấp lại, đổi, điều chỉnh thông tin sổ bảo hiểm xã hội, thẻ bảo hiểm y tế',
        10,
        70,
        ONLINE,
      ),
      proc('1.004226', 'Giải quyết hưởng chế độ ốm đau', 6, 30),
    ],
  },
  dienLuc: {
    code: 'G23-EV01',
    name: 'Cấp điện',
    procedures: [
      proc('2.002176', 'Cấp điện mới từ lưới điện trung áp', 5, 70, ONLINE),
      proc('2.002177', 'Thỏa thuận đấu nối vào lưới điện', 5, 30),
    ],
  },
  thiDuaKhenThuong: {
    code: 'G11-NV01',
    name: 'Thi đua – khen thưởng',
    procedures: [
      proc('1.000775', 'Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh', 20, 70),
      proc('1.000748', 'Tặng danh hiệu Tập thể lao động xuất sắc', 20, 30),
    ],
  },
  toChucPhiChinhPhu: {
    code: 'G11-NV02',
    name: 'Tổ chức phi chính phủ',
    procedures: [proc('1.003822', 'Phê duyệt điều lệ hội', 30, 100)],
  },
  tonGiao: {
    code: 'G11-NV03',
    name: 'Tôn giáo',
    procedures: [proc('1.001078', 'Đăng ký hoạt động tín ngưỡng', 15, 100)],
  },
  khieuNai: {
    code: 'G20-TT01',
    name: 'Giải quyết khiếu nại, tố cáo',
    procedures: [
      proc('2.002310', 'Giải quyết khiếu nại lần đầu', null, 60),
      proc('2.002311', 'Giải quyết tố cáo', null, 40),
    ],
  },
  luuThongHangHoa: {
    code: 'G14-CT01',
    name: 'Lưu thông hàng hóa trong nước',
    procedures: [
      proc('2.000633', 'Cấp Giấy phép bán lẻ sản phẩm rượu', 10, 40, FEE_ONLINE),
      proc('2.000620', 'Cấp Giấy phép bán lẻ sản phẩm thuốc lá', 15, 25, FEE_ONLINE),
      proc('2.000190', 'Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu', 15, 35, FEE_ONLINE),
    ],
  },
  xucTienThuongMai: {
    code: 'G14-CT02',
    name: 'Xúc tiến thương mại',
    procedures: [proc('2.000033', 'Đăng ký thực hiện khuyến mại', 5, 100, ONLINE)],
  },
  quanLyGia: {
    code: 'G07-TC01',
    name: 'Quản lý giá',
    procedures: [proc('1.005423', 'Đăng ký giá của doanh nghiệp', 5, 100, ONLINE)],
  },
  tinHocThongKe: {
    code: 'G07-TC02',
    name: 'Tin học – thống kê',
    procedures: [proc('1.005397', 'Đăng ký mã số đơn vị có quan hệ với ngân sách', 2, 100, ONLINE)],
  },
  thuY: {
    code: 'G05-NN01',
    name: 'Thú y',
    procedures: [
      proc('1.003577', 'Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật', 15, 50, FEE_ONLINE),
      proc('1.003619', 'Cấp chứng chỉ hành nghề thú y', 5, 50, FEE_ONLINE),
    ],
  },
  baoVeThucVat: {
    code: 'G05-NN02',
    name: 'Bảo vệ thực vật',
    procedures: [
      proc(
        '1.004363',
        'Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật',
        20,
        100,
        FEE_ONLINE,
      ),
    ],
  },
  baoChi: {
    code: 'G17-TT01',
    name: 'Báo chí',
    procedures: [proc('1.003687', 'Cho phép xuất bản bản tin', 15, 100, ONLINE)],
  },
  xuatBan: {
    code: 'G17-TT02',
    name: 'Xuất bản, in và phát hành',
    procedures: [proc('1.004664', 'Cấp giấy phép xuất bản tài liệu không kinh doanh', 10, 100, ONLINE)],
  },
  tieuChuanDoLuong: {
    code: 'G18-KH01',
    name: 'Tiêu chuẩn đo lường chất lượng',
    procedures: [proc('1.001268', 'Đăng ký công bố hợp chuẩn dựa trên kết quả chứng nhận', 5, 100, ONLINE)],
  },
  anToanBucXa: {
    code: 'G18-KH02',
    name: 'An toàn bức xạ và hạt nhân',
    procedures: [
      proc('1.003123', 'Cấp giấy phép sử dụng thiết bị X-quang chẩn đoán trong y tế', 15, 100, FEE),
    ],
  },
  vanBangChungChi: {
    code: 'G08-GD01',
    name: 'Văn bằng, chứng chỉ',
    procedures: [
      proc('2.001914', 'Cấp bản sao văn bằng, chứng chỉ từ sổ gốc', 0, 70, ONLINE),
      proc('1.005092', 'Chỉnh sửa nội dung văn bằng, chứng chỉ', 5, 30),
    ],
  },
  giaoDuc: {
    code: 'G08-GD02',
    name: 'Giáo dục và Đào tạo',
    procedures: [
      proc('1.004552', 'Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục', 20, 50),
      proc('1.001088', 'Chuyển trường đối với học sinh trung học cơ sở', 3, 50, ONLINE),
    ],
  },
  vanHoa: {
    code: 'G15-VH01',
    name: 'Văn hóa',
    procedures: [proc('1.001029', 'Cấp giấy phép tổ chức lễ hội', 15, 100)],
  },
  duLich: {
    code: 'G15-VH02',
    name: 'Du lịch',
    procedures: [proc('1.004628', 'Cấp thẻ hướng dẫn viên du lịch nội địa', 10, 100, FEE_ONLINE)],
  },
  khamChuaBenh: {
    code: 'G19-YT01',
    name: 'Khám bệnh, chữa bệnh',
    procedures: [
      proc('1.003730', 'Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh', 30, 60, FEE_ONLINE),
      proc('1.003765', 'Cấp giấy phép hoạt động phòng khám chuyên khoa', 30, 40, FEE),
    ],
  },
  duoc: {
    code: 'G19-YT02',
    name: 'Dược phẩm',
    procedures: [proc('1.004587', 'Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược', 20, 100, FEE_ONLINE)],
  },
  anToanThucPham: {
    code: 'G19-YT03',
    name: 'An toàn thực phẩm',
    procedures: [
      proc('1.002425', 'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 15, 100, FEE_ONLINE),
    ],
  },
  viecLam: {
    code: 'G13-LD01',
    name: 'Việc làm',
    procedures: [
      proc('1.001978', 'Giải quyết hưởng trợ cấp thất nghiệp', 20, 80, ONLINE),
      proc('1.001973', 'Tạm dừng hưởng trợ cấp thất nghiệp', 3, 20),
    ],
  },
  laoDongNuocNgoai: {
    code: 'G13-LD02',
    name: 'Lao động nước ngoài',
    procedures: [
      proc(
        '1.000105',
        'Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam',
        5,
        70,
        FEE_ONLINE,
      ),
      proc(
        '1.000459',
        'Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động',
        3,
        30,
        ONLINE,
      ),
    ],
  },
  nguoiCoCong: {
    code: 'G13-LD03',
    name: 'Người có công',
    procedures: [
      proc('1.010801', 'Giải quyết chế độ trợ cấp đối với thân nhân liệt sĩ', 12, 50),
      proc('1.010815', 'Cấp lại giấy chứng nhận người có công', 10, 50),
    ],
  },
  baoTroXaHoi: {
    code: 'G13-LD04',
    name: 'Bảo trợ xã hội',
    procedures: [
      proc('1.001776', 'Trợ giúp xã hội thường xuyên tại cộng đồng', 15, 60),
      proc('2.000751', 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', 3, 40),
    ],
  },
  lanhSu: {
    code: 'G22-NG01',
    name: 'Lãnh sự',
    procedures: [proc('2.001467', 'Cho phép tổ chức hội nghị, hội thảo quốc tế', 15, 100)],
  },
  congTacDanToc: {
    code: 'G24-DT01',
    name: 'Công tác dân tộc',
    procedures: [proc('1.004949', 'Công nhận người có uy tín trong đồng bào dân tộc thiểu số', 15, 100)],
  },
  thue: {
    code: 'G07-TH01',
    name: 'Thuế',
    procedures: [
      proc('1.007717', 'Khai, nộp lệ phí trước bạ nhà, đất', 5, 50),
      proc('1.007738', 'Hoàn thuế giá trị gia tăng', 6, 20),
      proc('1.007759', 'Miễn, giảm tiền sử dụng đất', 15, 30),
    ],
  },
} as const satisfies Record<string, DemoField>;

export type DemoFieldKey = keyof typeof DEMO_FIELDS;
