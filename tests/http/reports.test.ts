// The reports over HTTP on the real server: the calendar, a draft made, reviewed and
// submitted by the roles allowed (refused for the others, writing nothing), the frozen
// .xlsx downloaded byte-identical and audited, and the vice chair's "due" list.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client";
import { loadDashboardWard } from "./dashboard-fixture";
import { createTestUsers, startServer, TEST_PASSWORD, type TestServer } from "./server";

let server: TestServer;
const clients: Record<string, Client> = {};
const as = (name: string) => clients[name];
const sha = async (r: Response) => createHash("sha256").update(new Uint8Array(await r.arrayBuffer())).digest("hex");

beforeAll(async () => {
  server = await startServer({ setup: async (db) => { await createTestUsers(db); await loadDashboardWard(db); } });
  for (const name of ["lanhdao", "tramyte", "vanhoa", "congan", "khoi3", "quantri"]) {
    clients[name] = new Client(server.url);
    expect((await clients[name].signIn(name, TEST_PASSWORD)).status, name).toBe(302);
  }
});
afterAll(() => server?.stop());

const count = async (table: "report") => (await server.db.selectFrom(table).select(server.db.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;

describe("reports over HTTP", () => {
  it("shows the calendar with deadlines and states to every report role, nobody else", async () => {
    const page = await (await as("congan").get("/reports")).text();
    expect(page).toContain("Lịch báo cáo");
    expect(page).toContain("Hạn gửi");
    expect(page).toMatch(/Quá hạn|Chưa lập|Chưa đến kỳ/);
    expect(page).not.toContain("Lập báo cáo</button>"); // the police do not draft
    expect((await as("khoi3").get("/reports")).status).toBe(403);
    expect((await as("quantri").get("/reports")).status).toBe(403);
    expect(await (await as("khoi3").get("/reports/due")).json()).toEqual({ items: null });
  });

  it("goes draft → reviewed → submitted in three clicks, each step only for its roles, then downloads unchanged", async () => {
    expect((await as("congan").post("/reports", { kind: "R1", period: "2026-03" })).status).toBe(403);
    expect(await count("report")).toBe(0);
    const made = await as("lanhdao").post("/reports", { kind: "R1", period: "2026-03" }); // click 1
    expect(made.status).toBe(302);
    const href = made.headers.get("location")!;
    expect(href).toMatch(/^\/reports\/\d+$/);
    const draft = await (await as("lanhdao").get(href)).text();
    expect(draft).toContain("BÁO CÁO");
    expect(draft).toContain("Kết quả triển khai thí điểm Sổ sức khỏe điện tử tháng 3 năm 2026");
    expect(draft).toContain("Khối 3");

    expect((await as("vanhoa").post(href, { intent: "edit", difficulties: "Thiếu máy quét.", proposals: "Hỗ trợ kinh phí." })).status).toBe(200);
    expect((await as("congan").post(href, { intent: "edit", difficulties: "x", proposals: "y" })).status).toBe(403);
    expect((await as("tramyte").post(href, { intent: "review" })).status).toBe(403);
    expect((await as("lanhdao").post(href, { intent: "submit" })).status).toBe(409); // not reviewed
    expect((await as("lanhdao").post(href, { intent: "review" })).status).toBe(200); // click 2
    expect((await as("tramyte").post(href, { intent: "submit" })).status).toBe(403);
    const submitted = await as("lanhdao").post(href, { intent: "submit" }); // click 3
    expect(submitted.status).toBe(200);
    expect(await submitted.text()).toContain("Đã gửi báo cáo số 01");

    const id = Number(href.split("/").pop());
    const row = await server.db.selectFrom("report").select(["status", "number", "xlsx_sha256", "difficulties"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "submitted", number: 1, difficulties: "Thiếu máy quét." });
    const first = await as("congan").get(`${href}/xlsx`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("spreadsheetml");
    expect(await sha(first)).toBe(row.xlsx_sha256);
    const again = await as("lanhdao").get(`${href}/xlsx`);
    expect(await sha(again)).toBe(row.xlsx_sha256);
    const page = await (await as("tramyte").get(href)).text();
    expect(page).toContain("Số: 01/BC-UBND");
    expect(page).toContain("Thiếu máy quét.");

    const audit = await server.db.selectFrom("audit_log").select(["action", "username"]).where("target", "=", `report:${id}`).execute();
    const actions = audit.map((a) => `${a.action}:${a.username}`);
    for (const a of ["create:lanhdao", "update:vanhoa", "review:lanhdao", "submit:lanhdao", "view:tramyte", "download:congan", "download:lanhdao", "access_denied:tramyte"]) {
      expect(actions).toContain(a);
    }
    expect((await as("khoi3").get(`${href}/xlsx`)).status).toBe(403);
  });

  it("lets the health station draft R2 and R4 and print them, with their tables", async () => {
    const r2 = await as("tramyte").post("/reports", { kind: "R2", period: "2026-H1" });
    expect(r2.status).toBe(302);
    const page2 = await (await as("tramyte").get(r2.headers.get("location")!)).text();
    for (const t of ["Có thẻ BHYT", "Không có thẻ BHYT", "Khám bệnh ngoại trú", "Khám bệnh, chữa bệnh từ xa", "Tổng cộng"]) expect(page2).toContain(t);
    const r4 = await as("tramyte").post("/reports", { kind: "R4", period: "2026-03" });
    const page4 = await (await as("tramyte").get(r4.headers.get("location")!)).text();
    expect(page4).toContain("TYT0304"); // not sent
    expect(page4).not.toContain("7319"); // never an identifier
    const xlsx = await as("tramyte").get(`${r4.headers.get("location")}/xlsx`);
    expect(xlsx.status).toBe(200);
    expect((await as("tramyte").post("/reports", { kind: "R2", period: "2026-03" })).status).toBe(400);

    // The archive by type, state and period.
    const archiveLinks = async (query: string) =>
      [...(await (await as("congan").get(`/reports?${query}`)).text()).matchAll(/href="\/reports\/(\d+)\/xlsx"/g)].map((m) => Number(m[1]));
    const r2Id = Number(r2.headers.get("location")!.split("/").pop());
    const r4Id = Number(r4.headers.get("location")!.split("/").pop());
    expect(await archiveLinks("kind=R2")).toEqual([r2Id]);
    expect((await archiveLinks("status=draft")).sort()).toEqual([r2Id, r4Id].sort());
    expect(await archiveLinks("status=submitted")).not.toContain(r2Id);
    expect(await archiveLinks("period=2026-H")).toEqual([r2Id]);
  });

  it("lists what the vice chair must sign soon, and the settings keep given numbers", async () => {
    const due = (await (await as("lanhdao").get("/reports/due")).json()) as { items: Array<{ label: string; state: string }> };
    expect(Array.isArray(due.items)).toBe(true);
    for (const item of due.items) expect(["Chưa lập", "Đang soạn", "Đã rà soát, chờ ký", "Quá hạn"]).toContain(item.state);
    expect(await (await as("tramyte").get("/reports/due")).json()).toEqual({ items: null });

    const settings = await (await as("quantri").get("/admin/settings")).text();
    expect(settings).toContain("Báo cáo định kỳ");
    const year = new Date().getFullYear();
    const base = {
      name: "Phường Thí Điểm", code: "00000", placeName: "Thí Điểm", onBehalf: "KT. CHỦ TỊCH", title: "PHÓ CHỦ TỊCH",
      signerName: "Hồ Xuân Hùng", recipients: "UBND thị xã\nTTYT thị xã", symbol_R1: "BC-UBND", symbol_R2: "BC-UBND", symbol_R4: "BC-UBND",
      reportCalendarStart: "2026-01",
    };
    const lowered = await as("quantri").post("/admin/settings", { ...base, [`seq_${year}_BC-UBND`]: "0" });
    expect(lowered.status).toBe(400);
    expect(await lowered.text()).toContain("đã cấp đến số 1");
    expect((await as("quantri").post("/admin/settings", { ...base, [`seq_${year}_BC-UBND`]: "6" })).status).toBe(200);
    const seq = await server.db.selectFrom("report_sequence").select("last_number").where("year", "=", year).executeTakeFirstOrThrow();
    expect(seq.last_number).toBe(6); // the next report gets Số 07
  });
});
