# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "SGC Helpdesk Ticket - Stage Validation",
    "summary": "Glue: SGC's staff start tickets with helpdesk_mgmt_stage_validation",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "author": "Saigon Technology Services JSC (SGC)",
    "website": "https://hsevn.com.vn",
    "category": "After-Sales",
    "depends": ["sgc_helpdesk_ticket", "helpdesk_mgmt_stage_validation"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
