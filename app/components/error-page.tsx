// What a person sees when a page cannot be shown: no access, no such page, or a fault.
// No technical detail reaches the page; the server log has it.
import { isRouteErrorResponse, Link } from "@remix-run/react";

const MESSAGES: Record<number, { title: string; text: string }> = {
  403: {
    title: "Bạn không có quyền truy cập trang này",
    text: "Tài khoản của bạn không được giao chức năng này. Nếu cần, hãy liên hệ quản trị hệ thống.",
  },
  404: { title: "Không tìm thấy trang", text: "Địa chỉ này không có trong hệ thống. Hãy kiểm tra lại đường dẫn." },
};

const FAULT = { title: "Đã có lỗi xảy ra", text: "Vui lòng thử lại sau ít phút. Nếu lỗi lặp lại, hãy báo quản trị hệ thống." };

export function ErrorPage({ error }: { error: unknown }) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const { title, text } = MESSAGES[status] ?? FAULT;
  return (
    <div className="error-page" role="alert">
      <p className="code">{status}</p>
      <h1>{title}</h1>
      <p className="muted">{text}</p>
      <p>
        <Link to="/" className="btn">Về trang chính</Link>
      </p>
    </div>
  );
}
