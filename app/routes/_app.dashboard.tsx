// The dashboard (issue 4): the figures of METRICS.md for the chosen period, what changed
// since the previous one and where the ward stands against its targets. A block
// committee sees its own block's onboarding and activities, nothing ward-wide: the
// loader never sends it visit, facility or budget figures.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { ActivitiesPanel } from "~/components/dashboard/ActivitiesPanel";
import { BudgetPanel } from "~/components/dashboard/BudgetPanel";
import { FacilityTable } from "~/components/dashboard/FacilityTable";
import { changeOf, rateOf, recordsHref } from "~/components/dashboard/figures";
import { I1Methods, I2Sending } from "~/components/dashboard/VisitPanels";
import { I3Breakdown } from "~/components/dashboard/I3Panel";
import { KpiCard } from "~/components/dashboard/KpiCard";
import { OnboardingBlocks } from "~/components/dashboard/OnboardingBlocks";
import { OnboardingTrend } from "~/components/dashboard/OnboardingTrend";
import { Panel } from "~/components/dashboard/Panel";
import { ReportsDuePanel } from "~/components/reports/ReportsDuePanel";
import { SelectionError } from "~/components/dashboard/SelectionError";
import { readSelection } from "~/domain/selection";
import { TrendChart } from "~/components/dashboard/TrendChart";
import { TrendSwitch } from "~/components/dashboard/TrendSwitch";
import { pageTitle } from "~/components/page";
import { PrintHeader } from "~/components/print-header";
import { PeriodPicker } from "~/components/period-picker";
import { ReportingGaps } from "~/components/pilot/ReportingGaps";
import { ONBOARDING_STEP_LABELS } from "~/domain/codes";
import { formatDay, formatNumber, formatPercent } from "~/domain/format";
import { ONBOARDING_STEPS, type OnboardingStep } from "~/domain/metrics-types";
import { isBlockScoped } from "~/domain/permissions";
import { landingPeriod } from "~/domain/period-progress";
import { dashboardView, defaultTrendBy, type DashboardView } from "~/server/dashboard/dashboard.server";
import { audit } from "~/server/audit.server";
import { getDb } from "~/server/db.server";
import { clientIp, requireBlockScope, requirePermission } from "~/server/guard.server";
import dashboardCss from "~/styles/dashboard.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: dashboardCss }];
export const meta: MetaFunction = () => pageTitle("Tổng quan");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "view:dashboard");
  if (isBlockScoped(user.role)) requireBlockScope(user, user.blockId);
  const params = new URL(request.url).searchParams;
  const now = Math.floor(Date.now() / 1000);
  // In a month's first days the month just closed is the honest first screen.
  const landing = landingPeriod(now);
  const selection = readSelection(params, now, landing.value);
  const trend = params.get("trend");
  const trendBy = trend === "week" || trend === "month" ? trend : defaultTrendBy(selection.period);
  const db = await getDb();
  const view = await dashboardView(db, user, selection, trendBy);
  // Who saw which period's figures: the audit log answers "who saw what".
  await audit(db, {
    action: "view", wardId: user.wardId, userId: user.id, username: user.username, ip: clientIp(request),
    target: "dashboard", detail: { period: selection.period.key },
  });
  const landingNote = !params.get("period") && landing.early
    ? `Đầu tháng nên trang mở sẵn ${view.period.label}, tháng gần nhất đã kết thúc. Chọn “Tháng này” để xem tháng đang diễn ra.`
    : null;
  return { ...view, landingNote, defaultPeriod: landing.value };
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "loading" && navigation.location.pathname === "/dashboard";
  const figureHref = data.may.records ? (figure: string) => recordsHref(figure, data.period.key, data.linkParams) : null;
  const facilityHref = data.may.records
    ? (figure: string, facility: string) => recordsHref(figure, data.period.key, { ...data.linkParams, facility })
    : null;
  const trendSwitch = <TrendSwitch current={data.trendBy} params={data.linkParams} />;
  const { visits, onboarding } = data;

  return (
    <div className="dash" aria-busy={busy}>
      <PrintHeader
        title={data.scope ? `Tổng quan — ${data.scope.block}` : "Tổng quan thí điểm Sổ sức khỏe điện tử"}
        period={data.progress.note ? `${data.period.label} (${data.progress.note})` : data.period.label}
        asOf={data.asOfText}
      />
      <div className="dash-header">
        <div>
          <h1>{data.scope ? `Tổng quan — ${data.scope.block}` : "Tổng quan thí điểm Sổ sức khỏe điện tử"}</h1>
          <p className="dash-subtitle" data-testid="period-label">
            {data.period.label}
            {data.progress.note ? <strong className="dash-running" data-testid="period-progress"> ({data.progress.note})</strong> : null}
            {" "}· số liệu tính đến {data.asOfText}
          </p>
        </div>
        {busy ? <span className="dash-pending" role="status">Đang tải số liệu…</span> : null}
      </div>
      <PeriodPicker defaultValue={data.defaultPeriod} />
      {data.landingNote ? <p className="notice" data-testid="landing-note">{data.landingNote}</p> : null}
      {data.progress.state === "future" ? (
        <p className="notice notice-warn" data-testid="future-note">
          {data.period.label} chưa bắt đầu (bắt đầu từ ngày {formatDay(data.progress.from)}): chưa có số liệu nào của kỳ này.
        </p>
      ) : null}
      {data.progress.state === "running" ? (
        <p className="dash-panel-note" data-testid="comparison-note">
          Kỳ đang diễn ra: mức thay đổi được so với {data.previousLabel}, cùng số ngày, không so với cả kỳ trước.
        </p>
      ) : null}

      <div className="dash-body">
        <ReportsDuePanel />
        <div className="dash-kpis">
          {visits ? <VisitCards visits={visits} figureHref={figureHref} previousLabel={data.previousLabel} /> : null}
          {(visits ? (["fullyOnboarded"] as const) : ONBOARDING_STEPS).map((step) => (
            <OnboardingCard key={step} step={step} onboarding={onboarding} previousLabel={data.previousLabel} />
          ))}
        </div>

        <div className="dash-grid">
          {visits ? (
            <>
              <Panel
                wide
                title="Diễn biến các tỷ lệ" help="trend"
                testId="trend-panel"
                actions={trendSwitch}
              >
                <TrendChart trend={visits.trend} by={data.trendBy} targets={visits.targets} />
              </Panel>
              <Panel title="Tiếp nhận theo phương thức (I1)" help="i1" testId="i1-panel">
                <I1Methods i1={visits.i1} figureHref={figureHref} />
              </Panel>
              <Panel title="Liên thông lên Cổng giám định BHYT (I2)" help="i2" testId="i2-panel">
                <I2Sending i2={visits.i2} figureHref={figureHref} meanings={visits.rejectMeanings} />
              </Panel>
              <Panel
                wide
                title="Hiển thị trên VNeID trong vòng 24 giờ (I3)"
                help="i3"
                note="Tính từ lúc Cổng tiếp nhận hồ sơ; hồ sơ đang chờ (chưa đủ 24 giờ) không tính vào tỷ lệ."
                testId="i3-panel"
              >
                <I3Breakdown
                  i3={visits.i3}
                  overdue={visits.overdue.rows}
                  overdueTotal={visits.overdue.total}
                  figureHref={figureHref}
                  worklistHref={data.may.worklist ? `/worklist?${new URLSearchParams(data.linkParams)}` : null}
                />
              </Panel>
              <Panel wide title="Kết quả theo cơ sở khám bệnh, chữa bệnh" help="facilities" testId="facility-panel">
                <FacilityTable rows={visits.facilities} figureHref={facilityHref} />
              </Panel>
            </>
          ) : null}
          <Panel
            wide={!data.scope}
            title={data.scope ? `Hỗ trợ người dân — ${data.scope.block} (I4)` : "Hỗ trợ người dân theo khối (I4)"}
            help="i4"
            note={`Số lũy kế đến ngày ${formatDay(onboarding.asOf)}, trên dân số thuộc diện của khối.`}
            testId="onboarding-panel"
          >
            <OnboardingBlocks blocks={onboarding.blocks} />
          </Panel>
          <Panel
            wide={!data.scope}
            title="Số người mới được hỗ trợ trong kỳ" help="i4"
            actions={trendSwitch}
            testId="onboarding-trend-panel"
          >
            <OnboardingTrend trend={onboarding.trend} by={data.trendBy} />
          </Panel>
          <Panel title="Tuyên truyền, tập huấn (I5)" help="i5" testId="i5-panel">
            <ActivitiesPanel i5={data.activities.i5} target={data.activities.target} />
          </Panel>
          {data.reportingGaps ? (
            <Panel title="Chưa gửi số liệu" testId="reporting-panel">
              <ReportingGaps gaps={data.reportingGaps} />
            </Panel>
          ) : null}
          {data.budget ? (
            <Panel title={`Kinh phí năm ${data.budget.year} (I6)`} testId="i6-panel" help="i6">
              <BudgetPanel i6={data.budget} year={data.budgetYear} periodLabel={data.period.label} />
            </Panel>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** I1–I3 as cards: the rate, the counts it comes from, its target and its change. */
function VisitCards({ visits, figureHref, previousLabel }: {
  visits: NonNullable<DashboardView["visits"]>;
  figureHref: ((figure: string) => string) | null;
  previousLabel: string;
}) {
  const { i1, i2, i3 } = visits;
  const cards = [
    { id: "i1", title: "Lượt KCB tiếp nhận bằng định danh", rate: i1.rate, part: i1.identified, whole: i1.total, unit: "lượt khám", figure: "i1.identified" },
    { id: "i2", title: "Hồ sơ đã liên thông lên Cổng giám định BHYT", rate: i2.rate, part: i2.sent, whole: i2.ended, unit: "hồ sơ đã kết thúc", figure: "i2.sent" },
    { id: "i3", title: "Hiển thị trên VNeID trong vòng 24 giờ", rate: i3.rate, part: i3.onTime, whole: i3.onTime + i3.late + i3.overdue, unit: "hồ sơ", figure: "i3.onTime" },
  ] as const;
  return cards.map((c) => (
    <KpiCard
      key={c.id}
      testId={`kpi-${c.id}`}
      title={c.title}
      value={formatPercent(c.rate)}
      href={figureHref?.(c.figure)}
      detail={
        <>
          {formatNumber(c.part)} / {formatNumber(c.whole)} {c.unit}
          {c.id === "i3" ? <span data-testid="kpi-i3-pending"> · đang chờ {formatNumber(i3.pending)}</span> : null}
        </>
      }
      target={visits.targets[c.id]}
      change={changeOf(c.rate, visits.before[c.id])}
      previousLabel={previousLabel}
      help={c.id}
    />
  ));
}

/** One onboarding step as a card: residents with it over the eligible population. */
function OnboardingCard({ step, onboarding, previousLabel }: {
  step: OnboardingStep;
  onboarding: DashboardView["onboarding"];
  previousLabel: string;
}) {
  const now = onboarding.now;
  const before = onboarding.before;
  const rate = now ? rateOf(now[step], now.eligible) : null;
  const title = step === "fullyOnboarded" ? "Người dân hoàn thành cài đặt, kích hoạt, tích hợp" : ONBOARDING_STEP_LABELS[step];
  return (
    <KpiCard
      testId={`kpi-i4-${step}`}
      title={title}
      value={formatPercent(rate)}
      detail={
        now
          ? `${formatNumber(now[step])} / ${now.eligible === null ? "chưa có số dân" : `${formatNumber(now.eligible)} người`}`
          : "Chưa có dữ liệu cho kỳ này"
      }
      target={onboarding.targets[step]}
      change={changeOf(rate, before ? rateOf(before[step], before.eligible) : null)}
      previousLabel={previousLabel}
      help={`i4-${step}`}
    />
  );
}

export function ErrorBoundary() {
  return <SelectionError error={useRouteError()} />;
}
