# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "SGC Helpdesk Ticket",
    "summary": "SGC customer-request desk: departments, SOP states, intake, SLA, KPI",
    "version": "18.0.1.0.0",
    "license": "AGPL-3",
    "author": "Saigon Technology Services JSC (SGC)",
    "website": "https://hsevn.com.vn",
    "category": "After-Sales",
    "depends": [
        "helpdesk_mgmt",
        "mail",
        "portal",
        "website",
        "crm",
        "resource",
    ],
    "data": [
        "security/sgc_helpdesk_ticket_security.xml",
        "security/ir.model.access.csv",
        "data/helpdesk_ticket_stage_data.xml",
        "data/helpdesk_ticket_team_data.xml",
        "data/helpdesk_ticket_category_data.xml",
        "data/helpdesk_ticket_channel_data.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_category_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/sgc_helpdesk_ticket_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "installable": True,
    "application": False,
}
