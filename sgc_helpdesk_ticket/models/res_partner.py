# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools.sql import create_index


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_code = fields.Char(
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="SGC customer code (KH-xxxx), given when the customer is first followed "
        "in the CRM or the helpdesk.",
    )
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
    zalo_profile_date = fields.Datetime(
        string="Zalo Profile Checked On",
        copy=False,
        readonly=True,
        help="When the customer's Zalo profile (the OA's user-profile API) was "
        "read for their name and picture, or Zalo said it has none to give.",
    )

    _sql_constraints = [
        (
            "customer_code_unique",
            "unique(customer_code)",
            "A customer code is given to one customer only.",
        )
    ]

    def init(self):
        res = super().init()
        # Intake finds the customer by email (mail gateway, website form) and, for
        # an unknown email, by phone digits (the form): without these indexes each
        # lookup scans every contact (bench/). The expressions are those of
        # controllers/main.py's _sgc_partner_by_phone.
        create_index(
            self.env.cr,
            "res_partner_email_normalized_idx",
            self._table,
            ["email_normalized"],
            where="email_normalized IS NOT NULL",
        )
        for column in ("phone", "mobile"):
            create_index(
                self.env.cr,
                f"res_partner_{column}_digits_idx",
                self._table,
                [f"regexp_replace(COALESCE({column}, ''), '\\D', '', 'g')"],
            )
        return res

    def _sgc_ensure_customer_code(self):
        """Give the commercial partners a KH-xxxx code if they have none yet."""
        companies = self.commercial_partner_id.filtered(lambda p: not p.customer_code)
        for partner in companies:
            # sudo: the next KH-xxxx number only, stamped once on a customer the
            # staff member handles but may not edit (partner managers may).
            partner.sudo().customer_code = (
                self.env["ir.sequence"].sudo().next_by_code("sgc.customer.code")
            )
        return True
