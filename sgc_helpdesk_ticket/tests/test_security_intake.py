# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security findings on the intake side: nothing user-supplied runs as
superuser, and system messages do not open tickets to the desk's company."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import SgcHelpdeskCase
from .jobs import JobsMixin


@tagged("post_install", "-at_install")
class TestTemplateRendering(SgcHelpdeskCase):
    def _template_vals(self, body):
        return {
            "name": "Hostile",
            "model_id": self.env.ref("helpdesk_mgmt.model_helpdesk_ticket").id,
            "sgc_max_chars": 1,
            "body_html": body,
        }

    @mute_logger("odoo.addons.sgc_helpdesk_ticket.models.mail_template")
    def test_length_check_never_renders_a_non_editors_code(self):
        self._ticket()
        # sudo: test set-up and inspection, no user input
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        Template = self.env["mail.template"].with_user(self.accountant)
        payloads = [
            "<p t-out=\"object.env['ir.config_parameter'].sudo()"
            ".get_param('database.secret')\"/>",
            "<p t-out=\"object.env['res.users'].sudo().browse(2).password\"/>",
            "<p t-out=\"object.env.user.sudo().write({'groups_id': "
            "[(4, object.env.ref('base.group_system').id)]})\"/>",
        ]
        for body in payloads:
            with self.subTest(body=body):
                with self.assertRaises(AccessError) as ctx:
                    Template.create(self._template_vals(body))
                self.assertNotIn(secret, str(ctx.exception))
                self.assertNotIn("$pbkdf2", str(ctx.exception))
        self.accountant.invalidate_recordset()
        self.assertFalse(self.accountant.has_group("base.group_system"))
        self.assertFalse(Template.sudo().search([("name", "=", "Hostile")]))

    def test_plain_text_over_the_limit_says_only_its_length(self):
        with self.assertRaisesRegex(ValidationError, "2 characters long") as ctx:
            self.env["mail.template"].with_user(self.accountant).create(
                self._template_vals("<p>ab</p>")
            )
        self.assertNotIn("ab</p>", str(ctx.exception))


@tagged("post_install", "-at_install")
class TestCreateKeepsSopFacts(SgcHelpdeskCase):
    def test_staff_cannot_type_sop_facts_into_a_new_ticket(self):
        for field, value in (
            ("satisfaction_state", "confirmed"),
            ("first_contact_date", "2026-01-01 08:00:00"),
            ("escalation_level", 99),
        ):
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    self._ticket(user=self.user_ptn, **{field: value})
        # When the customer asked is the staff member's to say.
        ticket = self._ticket(user=self.user_ptn, received_date="2026-01-01 08:00:00")
        self.assertEqual(str(ticket.received_date), "2026-01-01 08:00:00")


@tagged("post_install", "-at_install")
class TestCompanyContactsSeeOnlyTheirOwn(JobsMixin, MockEmail, SgcHelpdeskCase):
    def test_acknowledgements_do_not_subscribe_the_desk_company(self):
        company_partner = self.env.company.partner_id
        company_partner.email = "hotro@sgc.example"
        channel_web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        tickets = self.env["helpdesk.ticket"]
        for _index in range(3):
            ticket = self._ticket(
                partner_id=self.customer.id, channel_id=channel_web.id
            )
            ticket._sgc_queue_acknowledgement()
            tickets |= ticket
        with self.mock_mail_gateway():
            self.run_jobs()
        jobs = self.env["queue.job"].search(
            [("method_name", "=", "_sgc_job_acknowledge")]
        )
        self.assertEqual(set(jobs.mapped("state")), {"done"}, jobs.mapped("result"))
        self.assertTrue(all(tickets.mapped("sgc_ack_date")))
        for ticket in tickets:
            self.assertNotIn(company_partner, ticket.message_partner_ids)
        # A portal user of the desk's own company sees only their own tickets.
        insider = new_test_user(
            self.env, login="sgc_portal_own_company", groups="base.group_portal"
        )
        insider.partner_id.parent_id = company_partner
        own = self._ticket(partner_id=insider.partner_id.id)
        visible = self.env["helpdesk.ticket"].with_user(insider).search([])
        self.assertEqual(visible, own)
