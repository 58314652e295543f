# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _update_translations(self, filter_lang=None, overwrite=False):
        """The addon's translation files give its templates written as text
        their text in each language, bypassing write(): compile it, so that each
        language's mail is made from that language's text."""
        result = super()._update_translations(
            filter_lang=filter_lang, overwrite=overwrite
        )
        if "sgc_helpdesk_ticket" in self.mapped("name"):
            data = self.env["ir.model.data"].search(
                [
                    ("module", "=", "sgc_helpdesk_ticket"),
                    ("model", "=", "mail.template"),
                ]
            )
            templates = self.env["mail.template"].browse(data.mapped("res_id"))
            templates.exists().filtered("sgc_text_mode")._sgc_compile()
        return result
