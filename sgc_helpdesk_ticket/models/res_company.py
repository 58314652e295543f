# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    helpdesk_ticket_prefix = fields.Char(
        string="Ticket Code Prefix",
        default="SGC",
        help="Prefix of this company's ticket codes (one sequence per company).",
    )
    helpdesk_hotline = fields.Char(string="Support Hotline", default="1900 1713")
    helpdesk_support_email = fields.Char(
        string="Support Email", default="hotro@hsevn.com.vn"
    )
    helpdesk_form_url = fields.Char(
        string="Support Form URL",
        default="https://hsevn.com.vn/yeu-cau-ho-tro-dich-vu",
    )
