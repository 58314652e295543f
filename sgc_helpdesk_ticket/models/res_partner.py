# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    zalo_user_id = fields.Char(
        string="Zalo User ID",
        copy=False,
        index="btree_not_null",
        help="The customer's user id for SGC's Zalo Official Account (kept as text: "
        "Zalo ids are larger than 64-bit integers allow).",
    )
    zalo_followed = fields.Boolean(
        string="Follows Zalo OA",
        help="Set when the customer follows SGC's Zalo OA, cleared on unfollow.",
    )
