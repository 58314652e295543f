"""Outside-in: the KPI reconciliation PDF, rendered by wkhtmltopdf on a real server,
read back with pdftotext."""

import re
import subprocess

import pytest
from odoo_rpc import OdooRpc


def _ref(rpc, xmlid):
    return rpc.xmlid(*xmlid.split("."))


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

    resp = rpc.session.get(
        f"{rpc.url}/report/pdf/sgc_helpdesk_ticket.report_helpdesk_kpi_period/{period}",
        timeout=300,
    )
    assert resp.status_code == 200, resp.text[:2000]
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    pdf = tmp_path / "kpi.pdf"
    pdf.write_bytes(resp.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
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
