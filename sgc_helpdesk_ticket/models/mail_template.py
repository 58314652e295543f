# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext


class MailTemplate(models.Model):
    _inherit = "mail.template"

    sgc_max_chars = fields.Integer(
        string="Maximum Length (characters)",
        help="For plain-text messages with a length limit, such as a Zalo OA "
        "broadcast (under 400 characters): the body, rendered as text for the "
        "current company, must not be longer. 0: no limit.",
    )

    @api.constrains("body_html", "sgc_max_chars", "model_id")
    def _check_sgc_max_chars(self):
        for template in self.filtered("sgc_max_chars"):
            length = len(template._sgc_render_sample_text())
            if length > template.sgc_max_chars:
                raise ValidationError(
                    self.env._(
                        "The message of template %(name)s is %(length)s characters "
                        "long, longer than its limit of %(limit)s characters.",
                        name=template.name,
                        length=length,
                        limit=template.sgc_max_chars,
                    )
                )

    def _sgc_render_text(self, record):
        """The body rendered for ``record`` in its language, as plain text."""
        self.ensure_one()
        body = self._render_field("body_html", record.ids, compute_lang=True)
        return html2plaintext(body[record.id] or "").strip()

    def _sgc_render_sample_text(self):
        """The body as text, rendered for the current company (a res.company
        template) or any record of the template's model, else unrendered."""
        self.ensure_one()
        if self.model == "res.company":
            record = self.env.company
        else:
            record = self.env[self.model].sudo().search([], limit=1)
        if not record:
            return html2plaintext(self.body_html or "").strip()
        return self.sudo()._sgc_render_text(record)
