# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The addon is installed with its data, views and menus."""

    def test_module_installed(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "sgc_helpdesk_ticket")]
        )
        self.assertEqual(module.state, "installed")

    def test_stages_one_per_state(self):
        stages = self.env["helpdesk.ticket.stage"].search([])
        self.assertEqual(
            sorted(set(stages.mapped("state"))),
            sorted(["new", "in_progress", "paused", "done", "cancelled"]),
        )
        self.assertEqual(len(stages), 5, "five active stages, one per state")

    def test_departments_data(self):
        codes = (
            self.env["helpdesk.ticket.team"]
            .search([("is_department", "=", True)])
            .mapped("code")
        )
        self.assertEqual(sorted(codes), sorted(["PTN", "PKT", "PKD", "PKToán"]))
        intake = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_team_intake")
        self.assertEqual(intake.alias_name, "hotro")
        self.assertFalse(intake.is_department)

    def test_categories_routed(self):
        quotation = self.env.ref(
            "sgc_helpdesk_ticket.helpdesk_ticket_category_quotation"
        )
        self.assertTrue(quotation.is_quotation)
        self.assertEqual(
            quotation.team_id,
            self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_team_pkd"),
        )

    def test_views_load(self):
        """Every view of the ticket model renders for the web client."""
        Ticket = self.env["helpdesk.ticket"]
        for view_type in ("form", "list", "kanban", "search", "pivot"):
            arch = Ticket.get_view(view_type=view_type)["arch"]
            self.assertTrue(arch, view_type)
        views = self.env["ir.ui.view"].search(
            [
                ("model_data_id.module", "=", "sgc_helpdesk_ticket"),
                ("type", "!=", "qweb"),
            ]
        )
        self.assertTrue(views)
        for view in views:
            self.env[view.model].get_view(view.id, view.type)

    def test_menus_load(self):
        admin = self.env.ref("base.user_admin")
        menus = self.env["ir.ui.menu"].with_user(admin).load_menus(debug=False)
        monitor = self.env.ref("sgc_helpdesk_ticket.helpdesk_ticket_monitor_menu")
        self.assertIn(monitor.id, menus)
