# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "SGC Helpdesk Ticket - Template",
    "summary": "Glue: helpdesk_mgmt_template's request types and templates "
    "the way SGC routes and keeps customers' words",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "author": "Saigon Technology Services JSC (SGC)",
    "website": "https://hsevn.com.vn",
    "category": "After-Sales",
    "depends": ["sgc_helpdesk_ticket", "helpdesk_mgmt_template"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
