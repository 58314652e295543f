# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import test_python_expr

PLACEHOLDER_KEY = re.compile(r"[a-z][a-z0-9_]*")


class HelpdeskTemplatePlaceholder(models.Model):
    """A name that a mail template written as text may use, as ``{key}``, for a
    value of the record the mail is about.

    The expression is code (QWeb, evaluated on ``object``, the record, and
    ``user``, the sender): only administrators define it; a template editor
    only picks placeholders by their key.
    """

    _name = "helpdesk.template.placeholder"
    _description = "Mail Template Placeholder"
    _order = "model_id, sequence, id"

    sequence = fields.Integer(default=10)
    key = fields.Char(
        string="Placeholder",
        required=True,
        help="What the text of a template writes between braces, e.g. "
        "{ma_yeu_cau}: lower-case letters without accents, digits and "
        "underscores.",
    )
    label = fields.Char(
        required=True,
        translate=True,
        help="What the value is, as template editors read it.",
    )
    model_id = fields.Many2one(
        comodel_name="ir.model",
        string="Template Model",
        required=True,
        ondelete="cascade",
        help="The placeholder is offered to the templates of this model.",
    )
    model = fields.Char(related="model_id.model", store=True, string="Model Name")
    expression = fields.Char(
        required=True,
        help="Technical: the QWeb expression of the value, on object (the record "
        "of the template's model) and user, e.g. object.number.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "key_model_uniq",
            "unique(key, model_id)",
            "A placeholder key is used once per template model.",
        ),
    ]

    @api.constrains("key")
    def _check_key(self):
        for placeholder in self:
            if not PLACEHOLDER_KEY.fullmatch(placeholder.key or ""):
                raise ValidationError(
                    self.env._(
                        "The placeholder key %(key)s may hold only lower-case "
                        "letters without accents, digits and underscores, and "
                        "starts with a letter.",
                        key=placeholder.key,
                    )
                )

    @api.constrains("expression")
    def _check_expression(self):
        for placeholder in self:
            expression = placeholder.expression or ""
            # A subject is an inline template: "}}" would end the expression.
            if "}}" in expression:
                raise ValidationError(
                    self.env._(
                        "The expression of the placeholder %(key)s may not contain "
                        "}}: it ends an expression in a subject.",
                        key=placeholder.key,
                    )
                )
            error = test_python_expr(expression, mode="eval")
            if error:
                raise ValidationError(
                    self.env._(
                        "The expression of the placeholder %(key)s is not a valid "
                        "expression: %(error)s",
                        key=placeholder.key,
                        error=error,
                    )
                )

    def write(self, vals):
        """Templates written as text use the new expression at once (and a
        placeholder still in use cannot be archived or renamed)."""
        models_before = set(self.mapped("model"))
        result = super().write(vals)
        if {"key", "expression", "model_id", "active"} & vals.keys():
            self._sgc_compile_templates(models_before | set(self.mapped("model")))
        return result

    def unlink(self):
        models_before = set(self.mapped("model"))
        result = super().unlink()
        self._sgc_compile_templates(models_before)
        return result

    @api.model
    def _sgc_compile_templates(self, model_names):
        """Compile again the templates written as text of these models, as the
        current user (an administrator: only they change placeholders)."""
        templates = self.env["mail.template"].search(
            [("sgc_text_mode", "=", True), ("model", "in", list(model_names))]
        )
        templates._sgc_compile()

    @api.depends("key", "label")
    def _compute_display_name(self):
        for placeholder in self:
            placeholder.display_name = f"{{{placeholder.key}}} {placeholder.label}"
