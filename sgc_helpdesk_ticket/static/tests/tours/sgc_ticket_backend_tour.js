/** @odoo-module **/
/* Copyright 2026 Saigon Technology Services JSC (SGC)
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// A department user walks a ticket from New to Done (closed) in the backend.
registry.category("web_tour.tours").add("sgc_ticket_backend_tour", {
    steps: () => [
        {
            content: "Start the ticket",
            trigger: ".o_form_view button[name='action_start']",
            run: "click",
        },
        {
            content: "The ticket is in progress",
            trigger: ".o_form_view button[name='action_open_progress_wizard']",
        },
        {
            content: "Log today's progress",
            trigger: ".o_form_view button[name='action_open_progress_wizard']",
            run: "click",
        },
        {
            content: "Write the progress",
            trigger: ".modal div[name='note'] textarea",
            run: "edit Đã lấy mẫu, đang phân tích",
        },
        {
            content: "Save the update",
            trigger: ".modal button[name='action_save']",
            run: "click",
        },
        {
            content: "Open the closing tab",
            trigger: ".o_notebook a[name='sgc_closing']",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: "div[name='resolution'] textarea",
            run: "edit Đã gửi kết quả phân tích cho khách",
        },
        {
            content: "Finish the work",
            trigger: ".o_form_view button[name='action_mark_work_done']",
            run: "click",
        },
        {
            content: "Record the customer's satisfaction",
            trigger: ".o_form_view button[name='action_record_satisfaction_wizard']",
            run: "click",
        },
        {
            content: "Confirm through the phone",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
    ],
});
