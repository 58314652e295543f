# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "SGC Helpdesk Ticket - Close Inactive",
    "summary": "Glue: helpdesk_ticket_close_inactive closes only what SGC's SOP allows",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "author": "Saigon Technology Services JSC (SGC)",
    "website": "https://hsevn.com.vn",
    "category": "After-Sales",
    "depends": ["sgc_helpdesk_ticket", "helpdesk_ticket_close_inactive"],
    "data": [],
    "installable": True,
    "auto_install": True,
    "post_init_hook": "post_init_hook",
}
