import { Link } from "@remix-run/react";

export interface Gap {
  text: string;
  href: string;
}

/** "Khối 7 chưa có số liệu tháng 11": who has not sent data, for leadership to urge. */
export function ReportingGaps({ gaps }: { gaps: Gap[] }) {
  if (gaps.length === 0) return <p className="muted" data-testid="reporting-gaps">Các khối và cơ sở đều đã có số liệu.</p>;
  return (
    <ul className="entry-list" data-testid="reporting-gaps">
      {gaps.slice(0, 12).map((g) => (
        <li key={g.text}><Link to={g.href}>{g.text}</Link></li>
      ))}
      {gaps.length > 12 ? <li><Link to="/reporting">… và {gaps.length - 12} mục khác</Link></li> : null}
    </ul>
  );
}
