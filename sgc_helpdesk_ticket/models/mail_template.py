# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
import re

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .zalo_message import html_to_text

_logger = logging.getLogger(__name__)

# {key} in a template written as text: a placeholder record's key.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
BOLD = re.compile(r"\*\*(.+?)\*\*")
# What a change of the text (or of its model) compiles again.
TEXT_FIELDS = {"sgc_text_mode", "sgc_subject_text", "sgc_body_text", "model_id"}
# The frame of SGC's shipped mails.
BODY_FRAME = '<div style="margin: 0px; padding: 0px; font-size: 13px;">%s</div>'


class MailTemplate(models.Model):
    _inherit = "mail.template"

    sgc_max_chars = fields.Integer(
        string="Maximum Length (characters)",
        help="For plain-text messages with a length limit, such as a Zalo OA "
        "broadcast (under 400 characters): the body, rendered as text for the "
        "current company, must not be longer. 0: no limit.",
    )
    sgc_text_mode = fields.Boolean(
        string="Edit as Text",
        help="The subject and the message are written as plain text, with "
        "placeholders such as {ma_yeu_cau} for the values of the record; the mail "
        "itself is made from that text each time it is saved.",
    )
    sgc_subject_text = fields.Char(
        string="Subject (text)",
        translate=True,
        help="The subject as plain text; {key} is replaced by the value of the "
        "placeholder of that key.",
    )
    sgc_body_text = fields.Text(
        string="Message (text)",
        translate=True,
        help="The message as plain text: a blank line starts a new paragraph, "
        "lines starting with '- ' make a list, **text** is written in bold and "
        "{key} is replaced by the value of the placeholder of that key. A line "
        "whose placeholders are all empty is left out.",
    )
    sgc_placeholder_ids = fields.Many2many(
        comodel_name="helpdesk.template.placeholder",
        string="Available Placeholders",
        compute="_compute_sgc_placeholder_ids",
    )

    @api.depends("model")
    def _compute_sgc_placeholder_ids(self):
        Placeholder = self.env["helpdesk.template.placeholder"]
        # Only template editors read placeholders: others see none.
        readable = Placeholder.has_access("read")
        for template in self:
            template.sgc_placeholder_ids = (
                Placeholder.search([("model", "=", template.model)])
                if readable and template.model
                else Placeholder
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

    @api.constrains("sgc_text_mode", "sgc_body_text")
    def _check_sgc_body_text(self):
        for template in self.filtered("sgc_text_mode"):
            if not (template.sgc_body_text or "").strip():
                raise ValidationError(
                    self.env._(
                        "Template %(name)s is edited as text: write its message.",
                        name=template.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates.filtered("sgc_text_mode")._sgc_compile()
        return templates

    def write(self, vals):
        """A change of the text compiles it again; an edit of the HTML itself
        (developer mode) ends the text mode: the text no longer says what is sent."""
        compiling = self.env.context.get("sgc_compiling")
        if (
            not compiling
            and {"body_html", "subject"} & vals.keys()
            and not TEXT_FIELDS & vals.keys()
        ):
            vals = dict(vals, sgc_text_mode=False)
        # The languages whose text read as the edited one's follow the edit.
        followers = {
            fname: self._sgc_same_text_langs(fname)
            for fname in ("sgc_subject_text", "sgc_body_text")
            if not compiling and vals.get(fname)
        }
        result = super().write(vals)
        for fname, langs_of in followers.items():
            for template, langs in langs_of.items():
                if langs:
                    template.with_context(
                        sgc_compiling=True
                    )._update_field_translations(
                        fname, dict.fromkeys(langs, vals[fname])
                    )
        if not compiling and TEXT_FIELDS & vals.keys():
            self.filtered("sgc_text_mode")._sgc_compile()
        return result

    def _sgc_same_text_langs(self, fname):
        """{template: the other installed languages in which its text ``fname``
        reads as in the current language}.

        A manager edits the text in Vietnamese; the customers whose language is
        another one (or none, read in English) would otherwise keep getting the
        old text. A language whose text was translated apart keeps its own."""
        lang = self.env.lang or "en_US"
        others = [
            code for code, _name in self.env["res.lang"].get_installed() if code != lang
        ]
        return {
            template: [
                code
                for code in others
                if template.with_context(lang=code)[fname] == template[fname]
            ]
            for template in self
        }

    def _update_field_translations(
        self, fname, translations, digest=None, source_lang=None
    ):
        """The translation dialog of the text writes it without write(): compile."""
        result = super()._update_field_translations(
            fname, translations, digest=digest, source_lang=source_lang
        )
        if (
            fname in TEXT_FIELDS
            and self.sgc_text_mode
            and not self.env.context.get("sgc_compiling")
        ):
            self._sgc_compile()
        return result

    # ---------------------------------------------------
    # Text mode: the text compiled into subject and body
    # ---------------------------------------------------

    def _sgc_placeholders(self):
        """{key: expression} of the placeholders of the template's model."""
        self.ensure_one()
        placeholders = self.env["helpdesk.template.placeholder"].search(
            [("model", "=", self.model)]
        )
        return {p.key: p.expression for p in placeholders}

    def _sgc_compile(self):
        """Compile each language's text into that language's subject and body.

        Runs as the current user: reading the placeholders needs a template
        editor, and writing the result goes through Odoo's own check of dynamic
        templates. Nothing of the text is evaluated: it is escaped, and the only
        expressions are the placeholders' own.
        """
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for template in self:
            placeholders = template._sgc_placeholders()
            for lang in langs:
                localized = template.with_context(lang=lang, sgc_compiling=True)
                vals = {
                    "body_html": template._sgc_compile_body(
                        localized.sgc_body_text, placeholders
                    )
                }
                # No subject text: the subject stays as it is.
                if localized.sgc_subject_text:
                    vals["subject"] = template._sgc_compile_subject(
                        localized.sgc_subject_text, placeholders
                    )
                localized.write(vals)

    def _sgc_unknown_placeholder(self, key, placeholders):
        # sudo: the translated name of the template's model (ir.model, which not
        # every template editor may read), only said in the message.
        model_name = self.model_id.sudo().name
        return ValidationError(
            self.env._(
                "Template %(name)s uses the placeholder {%(key)s}, which does not "
                "exist for %(model)s. Available placeholders: %(keys)s.",
                name=self.name,
                key=key,
                model=model_name,
                keys=", ".join(f"{{{k}}}" for k in sorted(placeholders))
                or self.env._("none"),
            )
        )

    def _sgc_compile_subject(self, text, placeholders):
        """The subject as an inline template: {key} becomes {{ expression }}."""
        text = " ".join((text or "").split())
        if not text:
            return False
        if "{{" in text or "}}" in text:
            raise ValidationError(
                self.env._(
                    "The subject of template %(name)s contains double braces "
                    "({{ or }}): write a placeholder with single braces, such as "
                    "{ma_yeu_cau}.",
                    name=self.name,
                )
            )
        return "".join(
            f"{{{{ {expression} }}}}" if expression else piece
            for piece, expression in self._sgc_split(text, placeholders)
        )

    def _sgc_split(self, text, placeholders):
        """``text`` as (text, None) and (key, expression) pieces, in order; an
        unknown key is refused."""
        position = 0
        for match in PLACEHOLDER.finditer(text):
            key = match.group(1)
            if key not in placeholders:
                raise self._sgc_unknown_placeholder(key, placeholders)
            yield text[position : match.start()], None
            yield key, placeholders[key]
            position = match.end()
        yield text[position:], None

    def _sgc_compile_line(self, line, placeholders):
        """One line of text as QWeb: (markup, expressions of its placeholders).

        QWeb writes a template's static text out as markup (an escaped
        ``&lt;script&gt;`` in the source is sent as ``<script>``): the user's
        text is therefore never static text, but the output of a ``t-out`` of
        a string literal (``repr``), which QWeb escapes. No name, operator or
        call of the user's ever reaches an expression.
        """
        expressions = []

        def literal(text):
            return f'<t t-out="{escape(repr(text))}"/>' if text else ""

        def inline(text):
            parts = []
            for piece, expression in self._sgc_split(text, placeholders):
                if expression:
                    expressions.append(expression)
                    parts.append(f'<t t-out="{escape(expression)}"/>')
                else:
                    parts.append(literal(piece))
            return "".join(parts)

        parts = []
        position = 0
        for match in BOLD.finditer(line):
            parts.append(inline(line[position : match.start()]))
            parts.append(f"<strong>{inline(match.group(1))}</strong>")
            position = match.end()
        parts.append(inline(line[position:]))
        return "".join(parts), expressions

    @staticmethod
    def _sgc_condition(expressions):
        """A t-if attribute true when one of the expressions is not empty."""
        if not expressions:
            return ""
        condition = " or ".join(
            f"({expression})" for expression in dict.fromkeys(expressions)
        )
        return f' t-if="{escape(condition)}"'

    def _sgc_compile_body(self, text, placeholders):
        """The message as QWeb: a blank line separates paragraphs, a line break
        stays one, '- ' lines make a list, **text** is bold, a paragraph of one
        placeholder alone keeps the value's own line breaks, and a line whose
        placeholders all render empty is left out."""
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            return False
        blocks = []
        for block in re.split(r"\n[ \t]*\n", text):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            if not lines:
                continue
            solo = PLACEHOLDER.fullmatch(lines[0])
            if len(lines) == 1 and solo:
                markup, expressions = self._sgc_compile_line(lines[0], placeholders)
                condition = self._sgc_condition(expressions)
                blocks.append(
                    f'<div style="white-space: pre-line;"{condition}>{markup}</div>'
                )
                continue
            if all(line.startswith("- ") for line in lines):
                items = []
                for line in lines:
                    markup, expressions = self._sgc_compile_line(
                        line[2:].strip(), placeholders
                    )
                    items.append(f"<li{self._sgc_condition(expressions)}>{markup}</li>")
                blocks.append(f"<ul>{''.join(items)}</ul>")
                continue
            compiled = [self._sgc_compile_line(line, placeholders) for line in lines]
            if len(compiled) == 1 or all(expressions for _m, expressions in compiled):
                # Every line may be left out: so may the paragraph.
                condition = self._sgc_condition(
                    [e for _m, expressions in compiled for e in expressions]
                )
            else:
                condition = ""
            parts = []
            for index, (markup, expressions) in enumerate(compiled):
                if index:
                    markup = "<br/>" + markup
                if expressions and len(compiled) > 1:
                    markup = f"<t{self._sgc_condition(expressions)}>{markup}</t>"
                parts.append(markup)
            blocks.append(f"<p{condition}>{''.join(parts)}</p>")
        return BODY_FRAME % "\n".join(blocks)

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
