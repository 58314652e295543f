# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .zalo_message import html_to_text

_logger = logging.getLogger(__name__)


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
        """The rendered body fits its limit.

        The body is the caller's own input: it is rendered as the caller, never
        with sudo, and only once Odoo's own rule for dynamic templates (editors
        only) holds; the message says how long it is, never what it rendered.
        """
        for template in self.filtered("sgc_max_chars"):
            # Odoo checks this after create/write, i.e. after constraints: check
            # it first, so that nothing a non-editor wrote is ever evaluated.
            template._check_access_right_dynamic_template()
            try:
                length = len(template._sgc_render_sample_text())
            except AccessError:
                raise
            except Exception as error:
                _logger.info(
                    "Template %s could not be rendered: %s", template.id, error
                )
                raise ValidationError(
                    self.env._(
                        "The message of template %(name)s cannot be rendered, so its "
                        "length cannot be checked. Correct its placeholders.",
                        name=template.name,
                    )
                ) from None
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
        """The body rendered for ``record`` in its language, as plain text, with
        the rights of the environment it is called in."""
        self.ensure_one()
        body = self._render_field("body_html", record.ids, compute_lang=True)
        return html_to_text(body[record.id] or "")

    def _sgc_render_sample_text(self):
        """The body as text, rendered as the current user for the current company
        (a res.company template) or a record of the template's model that this
        user can read, else unrendered."""
        self.ensure_one()
        if self.model == "res.company":
            record = self.env.company
        else:
            record = self.env[self.model].search([], limit=1)
        if not record:
            return html_to_text(self.body_html or "")
        return self._sgc_render_text(record)
