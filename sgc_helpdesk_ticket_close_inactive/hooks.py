# Copyright 2026 Saigon Technology Services JSC (SGC)
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Teams that existed before helpdesk_ticket_close_inactive (SGC's departments)
    did not get its default warning template, and its run fails on a team without
    one: give them the module's own template."""
    template = env.ref(
        "helpdesk_ticket_close_inactive.warning_inactive_ticket_template",
        raise_if_not_found=False,
    )
    if template:
        teams = env["helpdesk.ticket.team"].with_context(active_test=False)
        teams.search([("warning_inactive_mail_template_id", "=", False)]).write(
            {"warning_inactive_mail_template_id": template.id}
        )
