"""Outside-in: the KPI reconciliation PDF, rendered by wkhtmltopdf on a real server,
read back with pdftotext."""

import html
import re
import subprocess

import pytest
from odoo_rpc import OdooRpc


def _ref(rpc, xmlid):
    return rpc.xmlid(*xmlid.split("."))


def _pdf(rpc, report, record_id, tmp_path):
    """The report's PDF as the server renders it (wkhtmltopdf), saved to a file."""
    resp = rpc.session.get(f"{rpc.url}/report/pdf/{report}/{record_id}", timeout=300)
    assert resp.status_code == 200, resp.text[:2000]
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    pdf = tmp_path / f"{report.rsplit('.', 1)[-1]}-{record_id}.pdf"
    pdf.write_bytes(resp.content)
    return pdf


def _pdftotext(pdf, *args):
    return subprocess.run(
        ["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _pages_and_words(pdf):
    """Each page's size, and each word with its box, as pdftotext -bbox says."""
    out = _pdftotext(pdf, "-bbox")
    pages = [
        (float(w), float(h))
        for w, h in re.findall(r'<page width="([\d.]+)" height="([\d.]+)"', out)
    ]
    words = [
        (html.unescape(text), float(x0), float(x1))
        for x0, x1, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
            r"([^<]*)</word>",
            out,
        )
    ]
    return pages, words


def _company(rpc, company_id):
    [company] = rpc(
        "res.company",
        "read",
        [company_id],
        ["name", "helpdesk_hotline", "helpdesk_support_email", "website"],
    )
    return company


def _assert_letterhead(text, company):
    """The company's letterhead is drawn in the page: Debian's wkhtmltopdf
    (unpatched Qt) draws no separate header, where web.external_layout puts it."""
    flat = " ".join(text.split())
    assert company["name"] in flat, flat[:2000]
    if company["helpdesk_hotline"]:
        assert f"Hotline: {company['helpdesk_hotline']}" in flat, flat[:2000]
    for value in (company["helpdesk_support_email"], company["website"]):
        if value:
            assert value in flat, flat[:2000]


@pytest.fixture(scope="module")
def rpc(odoo_server):
    return OdooRpc(odoo_server)


def test_kpi_pdf_holds_the_figures(rpc, tmp_path):
    lab = _ref(rpc, "sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis")
    field = _ref(rpc, "sgc_helpdesk_ticket.helpdesk_ticket_category_field_sampling")
    partner = rpc("res.partner", "create", {"name": "Công ty KPI Outside-in"})
    # Period 03/2024: 26/02/2024 00:00 to 25/03/2024 23:59:59, Vietnam time.
    received = [
        (lab, "2024-02-25 17:00:00", "2024-02-25 18:30:00"),  # first second
        (lab, "2024-03-10 02:00:00", "2024-03-10 03:30:00"),
        (field, "2024-03-25 16:59:59", False),  # last second
        (field, "2024-03-25 17:00:00", False),  # next period
    ]
    for category, when, contact in received:
        # Past requests, as staff enter them: the milestones are given when the
        # ticket is created (a write of SOP facts is refused, SOP_FIELDS).
        rpc(
            "helpdesk.ticket",
            "create",
            {
                "name": "Yêu cầu KPI outside-in",
                "description": "<p>Phân tích mẫu.</p>",
                "partner_id": partner,
                "category_id": category,
                "received_date": when,
                "first_contact_date": contact,
            },
        )
    period = rpc("helpdesk.kpi.period", "open_period", 2024, 3)
    rpc("helpdesk.kpi.period", "action_close", [period])
    state = rpc("helpdesk.kpi.period", "read", [period], ["state", "name"])[0]
    assert state == {"id": period, "state": "closed", "name": "03/2024"}

    pdf = _pdf(rpc, "sgc_helpdesk_ticket.report_helpdesk_kpi_period", period, tmp_path)
    text = _pdftotext(pdf, "-layout")
    assert "Đối soát KPI tháng 03/2024" in text
    assert "26/02/2024 00:00:00 - 25/03/2024 23:59:59" in text
    lines = text.splitlines()

    def row(label):
        found = [line for line in lines if line.strip().startswith(label)]
        assert found, f"no row {label!r} in:\n{text}"
        return found[0]

    # Received: 2 laboratory requests (PTN), 1 field request (PKT) in the period.
    assert re.match(r"\s*PTN - Laboratory\s+2\s", row("PTN - Laboratory"))
    # (a long name may wrap in its cell: only its first words are on the row)
    assert re.match(r"\s*PKT - Field[^\d]*\s1\s", row("PKT - Field"))
    assert re.match(r"\s*Total\s+3\s", row("Total"))
    # First contact 1.5 clock hours after each laboratory request, but in working
    # time (the SOP's measure): 00:00-01:30 on a Monday night and 09:00-10:30 on a
    # Sunday hold no working minute: mean / median 0.00 working hours.
    assert "0.00 / 0.00" in row("PTN - Laboratory")
    [company_id] = rpc("helpdesk.kpi.period", "read", [period], ["company_id"])[0][
        "company_id"
    ][:1]
    _assert_letterhead(text, _company(rpc, company_id))
    # A4 landscape, and the last column (GTHĐ) inside the page's width.
    pages, words = _pages_and_words(pdf)
    assert pages and all(abs(w - 842) < 2 and abs(h - 595) < 2 for w, h in pages)
    last = [x1 for word, _x0, x1 in words if word == "GTHĐ"]
    assert last, "no GTHĐ column"
    assert max(last) < pages[0][0] - 10


def test_customer_report_pdf_has_the_letterhead(rpc, tmp_path):
    customer = rpc(
        "res.partner",
        "create",
        {"name": "Công ty Báo cáo Outside-in", "is_company": True},
    )
    lab = _ref(rpc, "sgc_helpdesk_ticket.helpdesk_ticket_category_lab_analysis")
    ticket = rpc(
        "helpdesk.ticket",
        "create",
        {
            "name": "Phân tích mẫu báo cáo tháng",
            "description": "<p>Phân tích mẫu.</p>",
            "partner_id": customer,
            "category_id": lab,
            "received_date": "2024-04-10 02:00:00",
        },
    )
    report = rpc(
        "helpdesk.customer.report",
        "create",
        {
            "partner_id": customer,
            "month": "2024-04-01",
            "ticket_ids": [[6, 0, [ticket]]],
        },
    )
    pdf = _pdf(
        rpc, "sgc_helpdesk_ticket.report_helpdesk_customer_report", report, tmp_path
    )
    text = _pdftotext(pdf, "-layout")
    assert "GIÁM SÁT DỊCH VỤ KHÁCH HÀNG THÁNG 04/2024" in text
    assert "Công ty Báo cáo Outside-in" in text
    [company_id] = rpc("helpdesk.customer.report", "read", [report], ["company_id"])[0][
        "company_id"
    ][:1]
    _assert_letterhead(text, _company(rpc, company_id))
