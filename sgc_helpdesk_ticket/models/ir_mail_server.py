# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import email.policy
from email.header import Header

from odoo import models


class _VietnameseSubjectPolicy(type(email.policy.SMTP)):
    """Odoo's SMTP policy, folding a non-ASCII Subject with ``email.header``.

    The ``email`` package of Python 3.11 folds a long non-ASCII subject into
    encoded words separated by the very space between two words; mail readers
    drop whitespace between encoded words (RFC 2047, 6.2), so a Vietnamese
    subject such as "... yêu cầu của Quý Khách ..." reached customers as
    "... yêu cầucủa Quý Khách ...". ``Header`` keeps the spaces inside the
    encoded words.
    """

    def _fold(self, name, value, *args, **kwargs):
        if name.lower() == "subject" and not str(value).isascii():
            encoded = Header(str(value), "utf-8", header_name=name).encode(
                linesep=self.linesep
            )
            return f"{name}: {encoded}{self.linesep}"
        return super()._fold(name, value, *args, **kwargs)


SMTP_POLICY = _VietnameseSubjectPolicy(linesep=email.policy.SMTP.linesep)


class IrMailServer(models.Model):
    _inherit = "ir.mail_server"

    def build_email(self, *args, **kwargs):
        message = super().build_email(*args, **kwargs)
        message.policy = SMTP_POLICY
        return message
