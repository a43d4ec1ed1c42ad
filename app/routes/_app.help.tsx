// Hướng dẫn: what each figure of the dashboard means and how it is counted (METRICS.md in
// plain Vietnamese), what each kind of the work list asks the health station to do, how
// to prepare each import file (FORMATS.md, from the importer's own column list), and a
// glossary. Every "?" beside a figure links to its entry here (#i1, #i4-fullyOnboarded…).
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { WORK_KIND_LABELS } from "~/domain/work-kinds";
import { PageHeader, pageTitle } from "~/components/page";
import { ACCEPTED_DATE_FORMS } from "~/domain/import-messages";
import { requireUser } from "~/server/guard.server";
import { COLUMNS, KIND_LABELS, TABULAR_KINDS } from "~/server/import/kinds";
import dashboardCss from "~/styles/dashboard.css?url";

export const meta: MetaFunction = () => pageTitle("Hướng dẫn");
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Help is for every signed-in account: it shows no figure and no record.
  await requireUser(request);
  return {
    files: TABULAR_KINDS.map((kind) => ({
      kind,
      label: KIND_LABELS[kind],
      columns: COLUMNS[kind].filter((c) => !c.extra).map((c) => ({
        name: c.name, label: c.label, required: c.required, example: c.example ?? null,
        codes: c.codes ? Object.entries(c.codes).map(([code, label]) => `${code} (${label})`).join(", ") : null,
      })),
    })),
  };
}

function Entry({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="help-entry" data-testid={`entry-${id}`}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

export default function Help() {
  const { files } = useLoaderData<typeof loader>();
  return (
    <div className="help">
      <PageHeader title="Hướng dẫn" />
      <nav className="help-toc" aria-label="Mục lục">
        <a href="#chi-so">Các chỉ số</a> · <a href="#ky">Kỳ báo cáo</a> · <a href="#worklist">Hồ sơ cần xử lý</a> ·{" "}
        <a href="#nhap">Chuẩn bị tệp nhập</a> · <a href="#thuat-ngu">Thuật ngữ</a>
      </nav>

      <h2 id="chi-so">Các chỉ số trên trang Tổng quan</h2>
      <p>
        Mọi tỷ lệ tính từ số đếm chính xác và hiện với một chữ số thập phân (ví dụ 87,5 %). Khi không có hồ sơ nào để chia
        (mẫu số bằng 0), tỷ lệ hiện “—”, không phải 0 %.
      </p>
      <Entry id="i1" title="I1 — Lượt KCB tiếp nhận bằng định danh">
        <p>
          <b>Đếm những lượt nào:</b> các lượt khám có thời điểm vào khám (NGAY_VAO) nằm trong kỳ.
        </p>
        <p>
          <b>Thế nào là “bằng định danh”:</b> lượt khám có số định danh cá nhân 12 chữ số hợp lệ (cũng là số thẻ căn cước),
          hoặc nếu không có thì có số thẻ BHYT 15 ký tự hợp lệ.
        </p>
        <p><b>Tỷ lệ</b> = số lượt bằng định danh / tổng số lượt khám trong kỳ. Bảng phương thức cho biết bao nhiêu lượt dùng thẻ căn cước, số định danh, thẻ BHYT hay không có định danh.</p>
      </Entry>
      <Entry id="i2" title="I2 — Hồ sơ đã liên thông lên Cổng giám định BHYT">
        <p><b>Đếm những hồ sơ nào:</b> các lượt khám đã kết thúc (NGAY_RA) trong kỳ. Lượt chưa kết thúc chưa được tính.</p>
        <p>
          Mỗi hồ sơ thuộc đúng một nhóm: <b>đã liên thông</b> (Cổng đã chấp nhận ít nhất một lần), <b>bị từ chối</b> (đã gửi
          nhưng chưa lần nào được chấp nhận — kèm mã lỗi và thông điệp của Cổng), <b>chưa gửi</b>.
        </p>
        <p><b>Tỷ lệ</b> = đã liên thông / đã kết thúc. Thời gian gửi tính từ lúc kết thúc khám đến lần Cổng chấp nhận đầu tiên.</p>
      </Entry>
      <Entry id="i3" title="I3 — Hiển thị trên VNeID trong vòng 24 giờ">
        <p><b>Đếm những hồ sơ nào:</b> hồ sơ được Cổng chấp nhận lần đầu trong kỳ. Đồng hồ 24 giờ bắt đầu từ lúc đó.</p>
        <ul>
          <li><b>Đúng hạn:</b> đã hiển thị, trong vòng 24 giờ (đúng 24 giờ vẫn là đúng hạn).</li>
          <li><b>Trễ hạn:</b> đã hiển thị nhưng sau hơn 24 giờ.</li>
          <li><b>Quá hạn:</b> chưa hiển thị và đã quá 24 giờ.</li>
          <li><b>Đang chờ:</b> chưa hiển thị, chưa đủ 24 giờ — không tính vào tỷ lệ.</li>
        </ul>
        <p><b>Tỷ lệ</b> = đúng hạn / (đúng hạn + trễ hạn + quá hạn).</p>
      </Entry>
      <Entry id="i4" title="I4 — Người dân được hỗ trợ theo khối">
        <p>
          Mỗi người dân (một số định danh) thuộc khối của lần hỗ trợ gần nhất. Ba bước: cài đặt VNeID, kích hoạt định danh
          mức 2, tích hợp thẻ BHYT; mỗi bước tính theo ngày làm sớm nhất. Số liệu là <b>lũy kế</b> đến ngày cuối kỳ (hoặc hôm
          nay nếu kỳ chưa hết).
        </p>
        <p><b>Tỷ lệ mỗi bước</b> = số người đã làm bước đó / dân số trong diện của khối có hiệu lực vào ngày đó. Thanh ngang luôn có thang 0–100 %; vạch đỏ là chỉ tiêu, số bên cạnh là giá trị chỉ tiêu.</p>
        <p>Biểu đồ “Số người mới được hỗ trợ trong kỳ” đếm người hoàn thành từng bước trong mỗi tuần hoặc tháng.</p>
      </Entry>
      <Entry id="i4-vneidInstalled" title="Đã cài đặt VNeID">
        <p>Người dân đã cài ứng dụng VNeID, đến ngày tính, trên dân số trong diện.</p>
      </Entry>
      <Entry id="i4-level2Activated" title="Đã kích hoạt định danh mức 2">
        <p>Người dân đã kích hoạt tài khoản định danh điện tử mức 2 (xem Thuật ngữ), trên dân số trong diện.</p>
      </Entry>
      <Entry id="i4-bhytLinked" title="Đã tích hợp thẻ BHYT">
        <p>Người dân đã tích hợp thẻ BHYT vào VNeID, trên dân số trong diện.</p>
      </Entry>
      <Entry id="i4-fullyOnboarded" title="Hoàn thành cả 3 bước">
        <p>Người dân đã làm đủ ba bước; người đó được tính là hoàn thành vào ngày của bước làm sau cùng.</p>
      </Entry>
      <Entry id="i5" title="I5 — Tuyên truyền, tập huấn">
        <p>Các hoạt động có ngày trong kỳ, đếm theo loại (hội nghị, bài viết, loa/FM, mạng xã hội, tập huấn, khác) và theo đơn vị thực hiện, cùng tổng số người tham dự hoặc tiếp cận nếu có ghi.</p>
      </Entry>
      <Entry id="i6" title="I6 — Kinh phí">
        <p>
          Theo năm ngân sách (năm dương lịch): dự toán (các dòng của bản dự toán mới nhất), được duyệt (bản đã phê duyệt),
          đã chi (các khoản chi có ngày trong kỳ). <b>Tỷ lệ giải ngân</b> = đã chi / được duyệt. Chi phí cho mỗi người hoàn
          thành 3 bước và mỗi hồ sơ liên thông tính trên số mới trong kỳ. Tiền tính bằng đồng chẵn.
        </p>
      </Entry>
      <Entry id="trend" title="Diễn biến các tỷ lệ">
        <p>
          I1, I2, I3 theo từng tuần (ghi rõ ngày, ví dụ “Tuần 47 (16/11–22/11)”) hoặc từng tháng. Tuần hoặc tháng <b>chưa đủ
          kỳ</b> — chưa kết thúc, hoặc chỉ một phần nằm trong kỳ đang xem — được tô nền xám và nối bằng nét đứt: số liệu còn
          đang về, không phải là sụt giảm. Đường chấm là chỉ tiêu.
        </p>
      </Entry>
      <Entry id="facilities" title="Kết quả theo cơ sở khám bệnh, chữa bệnh">
        <p>I1, I2, I3 của từng cơ sở trong kỳ, cùng cách đếm như trên.</p>
      </Entry>

      <h2 id="ky">Kỳ báo cáo và so sánh</h2>
      <p>
        Số liệu tính đến cuối kỳ, hoặc đến lúc xem nếu kỳ chưa kết thúc. Kỳ đang diễn ra ghi “kỳ chưa kết thúc — 2/31 ngày”
        và được so với <b>cùng số ngày đầu</b> của kỳ trước (ví dụ 2 ngày đầu tháng 12 so với 2 ngày đầu tháng 11), không so
        với cả kỳ trước. Trong 5 ngày đầu tháng, trang Tổng quan mở sẵn tháng vừa kết thúc vì số liệu tháng mới còn ít; chọn
        “Tháng này” để xem tháng đang chạy.
      </p>

      <h2 id="worklist">Hồ sơ cần xử lý — mỗi loại cần làm gì</h2>
      <dl className="help-dl">
        <dt>{WORK_KIND_LABELS.not_sent}</dt>
        <dd>Lượt khám đã kết thúc nhưng chưa gửi lên Cổng giám định BHYT. Trạm Y tế kiểm tra hồ sơ trên phần mềm KCB và gửi lên Cổng.</dd>
        <dt>{WORK_KIND_LABELS.rejected}</dt>
        <dd>Cổng đã từ chối, chưa lần nào chấp nhận. Đọc mã lỗi và thông điệp của Cổng bên cạnh, sửa hồ sơ (thường là số thẻ BHYT, số định danh hoặc mã cơ sở) rồi gửi lại.</dd>
        <dt>{WORK_KIND_LABELS.overdue}</dt>
        <dd>Cổng đã chấp nhận hơn 24 giờ mà hồ sơ chưa hiển thị trên VNeID. Kiểm tra trên VNeID của người bệnh hoặc báo BHXH; khi đã thấy, nhập xác nhận hiển thị.</dd>
      </dl>
      <p>Thời gian chờ tính từ lúc kết thúc khám (chưa gửi, bị từ chối) hoặc từ lúc Cổng chấp nhận (quá hạn hiển thị). Nút “Tải Excel” xuất đúng danh sách đang lọc.</p>

      <h2 id="nhap">Chuẩn bị tệp nhập</h2>
      <ul>
        <li>Loại tệp được nhận biết theo <b>dòng tiêu đề</b> (dòng 1), không theo tên tệp. Tiêu đề có thể là tên cột (ví dụ ma_lk) hoặc tên tiếng Việt trong mẫu (ví dụ “Mã lượt KCB”).</li>
        <li>CSV phải lưu dạng <b>CSV UTF-8</b> (trong Excel: Lưu thành → “CSV UTF-8 (Comma delimited)”). Tệp .xls cũ phải lưu lại thành .xlsx.</li>
        <li>Ngày giờ viết một trong các dạng: {ACCEPTED_DATE_FORMS}. Giờ không ghi múi giờ là giờ Việt Nam.</li>
        <li>Cột số định danh, số thẻ, mã cơ sở nên định dạng <b>Văn bản (Text)</b> trong Excel, để không mất chữ số 0 ở đầu.</li>
        <li>Hồ sơ XML gửi Cổng (XML1 theo QĐ 130/4750) và tệp check-in nhập nguyên tệp, hoặc nén nhiều tệp thành một .zip.</li>
        <li>Dòng lỗi không được nhập; các dòng đúng vẫn được nhập (“Nhập một phần”). Sửa các dòng lỗi rồi nhập lại cả tệp: dòng đã có không bị nhân đôi.</li>
        <li>
          Hoặc bấm <b>Tải tệp lỗi (.xlsx)</b> cạnh tệp trên trang Nhập dữ liệu: tệp chỉ gồm các dòng lỗi, đủ các cột của tệp
          gốc và thêm cột <b>Lỗi</b> ghi lý do. Sửa ngay trong tệp đó rồi tải lên lại (cột Lỗi được bỏ qua). Tệp lỗi có số định
          danh nên chỉ tải được trong 1 giờ sau khi tải lên, và chỉ bởi người đã tải lên.
        </li>
      </ul>
      {files.map((f) => (
        <section key={f.kind} id={`nhap-${f.kind}`} className="help-entry">
          <h3>{f.label}</h3>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr><th>Tiêu đề cột</th><th>Tên cột</th><th>Bắt buộc</th><th>Ví dụ / giá trị</th></tr>
              </thead>
              <tbody>
                {f.columns.map((c) => (
                  <tr key={c.name}>
                    <td>{c.label}</td>
                    <td><code>{c.name}</code></td>
                    <td>{c.required ? "Có" : "Không"}</td>
                    <td>{c.codes ?? c.example ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      <h2 id="thuat-ngu">Thuật ngữ</h2>
      <dl className="help-dl" data-testid="glossary">
        <dt id="ma-lk">MA_LK (mã lượt KCB, mã liên kết)</dt>
        <dd>Mã phần mềm của cơ sở KCB đặt cho mỗi lượt khám. Cùng với mã cơ sở, nó xác định một hồ sơ; nhập lại cùng MA_LK thì cập nhật, không tạo hồ sơ mới.</dd>
        <dt>Mã cơ sở KCB (MA_CSKCB)</dt>
        <dd>Mã 5 ký tự của cơ sở khám bệnh, chữa bệnh do BHXH cấp.</dd>
        <dt>Số định danh cá nhân</dt>
        <dd>12 chữ số, cũng là số thẻ căn cước / CCCD. Ứng dụng chỉ lưu dạng mã hóa và 4 số cuối.</dd>
        <dt id="muc-2">Định danh mức 2</dt>
        <dd>Tài khoản định danh điện tử được công an xác thực trực tiếp (có ảnh chân dung, vân tay); đủ để dùng Sổ sức khỏe điện tử trên VNeID.</dd>
        <dt>Thẻ BHYT</dt>
        <dd>Số thẻ 15 ký tự (2 chữ cái, mức hưởng, mã tỉnh, 10 chữ số mã số BHXH), hoặc chỉ 10 chữ số mã số BHXH.</dd>
        <dt>Cổng giám định BHYT</dt>
        <dd>Hệ thống của BHXH nhận hồ sơ KCB. Mã kết quả 200 là chấp nhận; mã khác là từ chối, kèm thông điệp lý do.</dd>
        <dt>VNeID, Sổ sức khỏe điện tử</dt>
        <dd>Ứng dụng định danh điện tử của Bộ Công an; Sổ sức khỏe điện tử trong đó hiển thị các lần khám của người dân.</dd>
        <dt>Dân số trong diện</dt>
        <dd>Số người dân của khối thuộc diện hỗ trợ, theo số liệu có hiệu lực gần nhất; là mẫu số của các tỷ lệ I4.</dd>
        <dt>Thời điểm tính (số liệu tính đến)</dt>
        <dd>Mọi biên nhận, xác nhận và ngày hỗ trợ sau thời điểm này không được tính. Mặc định là cuối kỳ, hoặc lúc xem nếu kỳ chưa hết.</dd>
      </dl>
    </div>
  );
}
