# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The shipped customer templates written as text (Edit as Text).

They are kept from updates (noupdate): a database installed before has them as
HTML. Each is converted, its text taken from the data file, only if no one has
changed it: every language's body and subject must still be the one shipped by
18.0.1.1.0 (compared without white space, which an editor may move). A template
a manager edited stays HTML as it is, and the log says so."""

import hashlib
import logging
import re

from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

# Digests (SHA-256 of the value without white space) of the body and subject
# that 18.0.1.1.0 shipped, by data file and template.
SHIPPED = {
    "data/mail_template_data.xml": {
        "mail_template_ticket_ack_web": (
            "b29ab377bf937697a87ff87842f3e300f41524582387d4ba2376de7b3431a2fd",
            "51958776322263ec52fecc330bea36b08e9bf4fbd7ef7718ed78e7ef8da45ef6",
        ),
        "mail_template_ticket_ack_email": (
            "693034cb1bd33dcb4fb7050c243a85ad137ded97ccb9c1d131cdc6d56674ac87",
            "8b08521396072e9fcff191eed0d4449877c17dd1ed9147333aa7939a040fa788",
        ),
        "mail_template_ticket_ack_zalo": (
            "b51168d16de7fac6be389e3d59d52f7b1444b219180cf676c2483b32e83bf882",
            "30be71382d95d53c3826aa0323fa279465025bf47a7536871a1fb220b4577e53",
        ),
        "mail_template_announcement_customer": (
            "6bbb2e8e726cb567a1edcf2814462d1bb2eca52a3e428151dbcb459eb0fbd322",
            "d0a4dbaf32c95f867ec232fb787e23f9c76acfb0db027e16b9ec4c45ff1bc446",
        ),
        "mail_template_announcement_staff": (
            "6d2d8297b815eafb6c088f250118017e97018000593f6a30f502fee325943ca6",
            "b71d688714afaebe4b002e1fed769785076ef50a66cab487d8c2967d9bff0c85",
        ),
        "mail_template_zalo_broadcast": (
            "cb1a63303f281d1d262ed6b233fc737eb192d0a543c0992e61f81e2c0739f483",
            "ab17486fbdb4f5f504b57ebab8edeb17b3d88fc5de47e253b3461b12d7304fb7",
        ),
    },
    "data/mail_template_closing_data.xml": {
        "mail_template_ticket_closed": (
            "59612ee561bbb1e62829b053bf2bc41effcae1044d8e3469b7429dcff2b6856b",
            "1698a2d54cfc11dcd021c4b04e8f6631d9f2ecc02c4b10f3d9681c8334d7fbf9",
        ),
        "mail_template_ticket_cancelled": (
            "48b01f75e1a61819f686f8bc27885321b3efa2d99a589cad33f1b769fa34d0ad",
            "85683446627c0bb1b8c8005f1084ee8f166d1e1e801f148171312eb5fc73ce1b",
        ),
    },
}
TEXT_FIELDS = ("sgc_subject_text", "sgc_body_text")


def _digest(value):
    return hashlib.sha256(re.sub(r"\s+", "", value or "").encode()).hexdigest()


def _shipped_texts(path):
    """{template name: {field: text}} of the text fields in a data file."""
    with file_open(f"sgc_helpdesk_ticket/{path}", "rb") as data:
        tree = etree.parse(data)
    texts = {}
    for record in tree.iterfind(".//record[@model='mail.template']"):
        fields = {
            field.get("name"): field.text or ""
            for field in record.iterfind("field")
            if field.get("name") in TEXT_FIELDS
        }
        if fields:
            texts[record.get("id")] = fields
    return texts


def _unchanged(cr, template, body_digest, subject_digest):
    cr.execute(
        "SELECT body_html, subject FROM mail_template WHERE id = %s", [template.id]
    )
    body, subject = cr.fetchone()
    return all(_digest(v) == body_digest for v in (body or {}).values()) and all(
        _digest(v) == subject_digest for v in (subject or {}).values()
    )


def migrate(cr, version):
    if not version:
        return
    # The shipped texts, compiled by the module's own code: nothing a user wrote.
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    for path, templates in SHIPPED.items():
        texts = _shipped_texts(path)
        for name, (body_digest, subject_digest) in templates.items():
            template = env.ref(f"sgc_helpdesk_ticket.{name}", raise_if_not_found=False)
            if not template or template.sgc_text_mode or name not in texts:
                continue
            if not _unchanged(cr, template, body_digest, subject_digest):
                _logger.info(
                    "Template %s was edited: it stays HTML (Edit as Text converts "
                    "only the shipped text).",
                    name,
                )
                continue
            template.write(dict(texts[name], sgc_text_mode=True))
            _logger.info("Template %s is now written as text.", name)
