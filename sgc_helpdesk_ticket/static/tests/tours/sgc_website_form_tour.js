/** @odoo-module **/
/* Copyright 2026 Saigon Technology Services JSC (SGC)
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("sgc_website_form_tour", {
    url: "/yeu-cau-ho-tro-dich-vu",
    steps: () => [
        {
            content: "Type the name",
            trigger: "form.o_sgc_ticket_form input[name=contact_name]",
            run: "edit Trần Thị Tour",
        },
        {
            content: "Type the company",
            trigger: "input[name=company_name]",
            run: "edit Công ty Tour Xanh",
        },
        {
            content: "Type the email",
            trigger: "input[name=email]",
            run: "edit tour.khach@example.com",
        },
        {
            content: "Type the phone",
            trigger: "input[name=phone]",
            run: "edit 0909 123 456",
        },
        {
            content: "Choose the type of request",
            trigger: "select[name=category_id]",
            run: "selectByLabel Sample analysis",
        },
        {
            content: "Type the title",
            trigger: "input[name=subject]",
            run: "edit Phân tích mẫu nước mặt - tour",
        },
        {
            content: "Describe the request",
            trigger: "textarea[name=description]",
            run: "edit Cần phân tích 3 mẫu nước mặt.",
        },
        {
            content: "The file input is the form's own button, nothing chosen yet",
            trigger: ".o_sgc_file_input:has(label.o_sgc_file_button:contains(Choose files)) .o_sgc_file_status:contains(No file chosen)",
        },
        {
            content: "Attach a file",
            trigger: "input[name=attachments]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["Ghi chú của khách"], "ghi-chu-tour.txt", {
                        type: "text/plain",
                    })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The form says which file is chosen, in the page's words",
            trigger: ".o_sgc_file_input .o_sgc_file_status:contains(ghi-chu-tour.txt)",
        },
        {
            content: "Send the request",
            trigger: "button.o_sgc_ticket_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The confirmation shows the request code",
            trigger: ".o_sgc_ticket_form_done .o_sgc_ticket_number:contains(SGC)",
        },
    ],
});
