/** @odoo-module **/
/* Copyright 2026 Saigon Technology Services JSC (SGC)
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

// The SOP's journeys, one per role, each clicked through by the demo user who
// does it at SGC, on the Vietnamese screens (tests/test_tours.py).
const tours = registry.category("web_tour.tours");

// (a) A customer sends a request from the public form, in Vietnamese.
tours.add("sgc_tour_customer_form", {
    url: "/vi/yeu-cau-ho-tro-dich-vu",
    steps: () => [
        {
            content: "The form is SGC's, in Vietnamese",
            trigger: "h1:contains(Gửi yêu cầu hỗ trợ)",
        },
        {
            content: "The hotline is on the form",
            trigger: ".o_sgc_ticket_form_page p:contains(1900 1713)",
        },
        {
            content: "Type the name",
            trigger: "form.o_sgc_ticket_form input[name=contact_name]",
            run: "edit Lê Văn Khách",
        },
        {
            content: "Type the company",
            trigger: "input[name=company_name]",
            run: "edit Công ty Cổ phần Nước Sạch Tour",
        },
        {
            content: "Type the email",
            trigger: "input[name=email]",
            run: "edit khach.tour@nuocsach.example.com",
        },
        {
            content: "Type the phone",
            trigger: "input[name=phone]",
            run: "edit 0912 345 678",
        },
        {
            content: "The request types are SGC's six, in Vietnamese",
            trigger:
                "select[name=category_id]:has(option:contains(Phân tích mẫu, kiểm nghiệm))",
        },
        {
            content: "Choose the type of request",
            trigger: "select[name=category_id]",
            run: "selectByLabel Phân tích mẫu, kiểm nghiệm",
        },
        {
            content: "Type the title",
            trigger: "input[name=subject]",
            run: "edit Phân tích 3 mẫu nước giếng khoan",
        },
        {
            content: "Describe the request",
            trigger: "textarea[name=description]",
            run: "edit Cần phân tích 3 mẫu nước giếng theo QCVN 09-MT:2023/BTNMT.",
        },
        {
            content: "Send the request",
            trigger: "button.o_sgc_ticket_submit:contains(Gửi yêu cầu)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The thanks are in Vietnamese",
            trigger: ".o_sgc_ticket_form_done h1:contains(Cảm ơn Quý khách)",
        },
        {
            content: "The confirmation shows the request code",
            trigger: ".o_sgc_ticket_form_done .o_sgc_ticket_number:contains(SGC)",
        },
    ],
});

// (b) The ticket monitor routes a mail ticket to its department.
tours.add("sgc_tour_monitor_routes_mail", {
    steps: () => [
        {
            content: "The monitor's overview, in Vietnamese",
            trigger: ".o_breadcrumb:contains(Tổng quan theo dõi ticket)",
        },
        {
            content: "The intake column comes first",
            trigger:
                ".o_kanban_group:first-child .o_column_title:contains(CSKH - Tiếp nhận)",
        },
        {
            content: "The four departments are columns",
            trigger: ".o_kanban_group .o_column_title:contains(PTN - Phòng thí nghiệm)",
        },
        {
            content: "Open the mail ticket",
            trigger: ".o_kanban_record:contains(Cần hỗ trợ hồ sơ tháng trước)",
            run: "click",
        },
        {
            content: "The ticket came by email",
            trigger: ".o_field_widget[name=channel_id] input:value(Email)",
        },
        {
            content: "Choose the request type",
            trigger: ".o_field_widget[name=category_id] input",
            run: "edit Phân tích mẫu",
        },
        {
            content: "Pick the laboratory's request type",
            trigger: ".o-autocomplete--dropdown-item:contains(Phân tích mẫu, kiểm nghiệm)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The ticket is in the laboratory",
            trigger:
                ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible))) .o_field_widget[name=team_id] input:value(PTN - Phòng thí nghiệm)",
        },
        {
            content: "and assigned to its head",
            trigger: ".o_field_widget[name=user_id] input:value(Nguyễn Văn Toàn)",
        },
    ],
});

// (c) A department head takes a ticket from New to Done: a refused move first
// (New cannot be paused), then start, progress, pause with its reason, resume,
// resolution, work finished, the customer's satisfaction by phone, closed.
tours.add("sgc_tour_department_new_to_done", {
    steps: () => [
        {
            content: "The ticket is new",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Mới)",
        },
        {
            content: "Try to pause a new ticket: the SOP refuses it",
            trigger: ".o_form_view .o_statusbar_status button:contains(Tạm dừng)",
            run: "click",
        },
        {
            content: "The refusal is said in Vietnamese",
            trigger: ".modal .modal-body:contains(SOP V.3)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The form is back to New, with its buttons",
            trigger: "body:not(:has(.modal)) .o_form_view button[name=action_start]",
        },
        {
            content: "Nothing is left to save",
            trigger: ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
        {
            content: "Start the ticket",
            trigger: ".o_form_view button[name=action_start]:contains(Bắt đầu)",
            run: "click",
        },
        {
            content: "Log today's progress",
            trigger:
                ".o_form_view button[name=action_open_progress_wizard]:contains(Cập nhật tiến độ)",
            run: "click",
        },
        {
            content: "Write the progress",
            trigger: ".modal div[name=note] textarea",
            run: "edit Đã nhận mẫu, đang phân tích BOD, COD",
        },
        {
            content: "Save the update",
            trigger: ".modal button[name=action_save]",
            run: "click",
        },
        {
            content: "Pause: waiting for the customer's samples",
            trigger: ".o_form_view:not(:has(.modal)) button[name=action_pause_wizard]",
            run: "click",
        },
        {
            content: "Give the reason of the pause",
            trigger: ".modal div[name=reason] textarea, .modal div[name=reason] input",
            run: "edit Chờ khách gửi bổ sung mẫu thứ ba",
        },
        {
            content: "Confirm the pause",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The ticket is paused",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(Tạm dừng)",
        },
        {
            content: "Resume when the sample arrives",
            trigger: ".o_form_view button[name=action_resume]:contains(Tiếp tục)",
            run: "click",
        },
        {
            content: "Open the closing tab",
            trigger: ".o_notebook a[name=sgc_closing]",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: "div[name=resolution] textarea",
            run: "edit Đã gửi phiếu kết quả phân tích 3 mẫu nước thải cho khách",
        },
        {
            content: "Finish the work",
            trigger: ".o_form_view button[name=action_mark_work_done]:contains(Hoàn thành công việc)",
            run: "click",
        },
        {
            content: "Record the customer's satisfaction (by phone)",
            trigger:
                ".o_form_view button[name=action_record_satisfaction_wizard]:contains(Ghi nhận hài lòng)",
            run: "click",
        },
        {
            content: "Confirm what the customer said",
            trigger: ".modal button[name=action_confirm]:contains(Ghi nhận)",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(Đã xử lý (đóng))",
        },
    ],
});

// (d) The PKD head hands a quotation request over to sales (CRM).
tours.add("sgc_tour_pkd_handoff", {
    steps: () => [
        {
            content: "A quotation request, in Vietnamese",
            trigger: ".o_field_widget[name=category_id] input:value(Yêu cầu báo giá)",
        },
        {
            content: "Hand it to sales",
            trigger:
                ".o_form_view button[name=action_handoff_to_crm]:contains(Chuyển Kinh doanh (báo giá))",
            run: "click",
        },
        {
            content: "Create the opportunity",
            trigger: ".modal button[name=action_helpdesk_ticket_to_lead]",
            run: "click",
        },
        {
            content: "The opportunity opens, with the customer's code",
            trigger: ".o_breadcrumb .active:contains([KH-)",
        },
        {
            content: "Back to the ticket",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(Báo giá quan trắc)",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Đã xử lý (đóng))",
        },
        {
            content: "The chatter says where it went, in Vietnamese",
            trigger: ".o-mail-Message-body:contains(bộ phận Kinh doanh thành cơ hội)",
        },
        {
            content: "No second way to the CRM is offered",
            trigger: ".o_form_view:not(:has(button[name=action_handoff_to_crm]))",
        },
    ],
});

// (e) A customer reads the resolution in the portal and confirms satisfaction.
tours.add("sgc_tour_portal_confirms", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "The customer column says so",
            trigger: "thead th[name=th_partner]:contains(Khách hàng yêu cầu)",
        },
        {
            content: "The search bar is in Vietnamese",
            trigger: "#portal_searchbar_sortby:contains(Mới nhất trước)",
        },
        {
            content: "Filters and grouping too",
            trigger:
                "body:has(#portal_searchbar_filters:contains(Tất cả yêu cầu)):has(#portal_searchbar_groupby:contains(Không nhóm))",
        },
        {
            content: "One way to a new request: the SGC form",
            trigger:
                "body:not(:has(button[name=create_new_ticket])) a.o_sgc_ticket_form_link[href$='/yeu-cau-ho-tro-dich-vu']:contains(Gửi yêu cầu mới)",
        },
        {
            content: "Open the resolved request",
            trigger: "a:contains(Kết quả quan trắc nước mặt đợt 2)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The resolution is shown with the question",
            trigger:
                "div[name=sgc_satisfaction]:contains(Đã gửi báo cáo kết quả quan trắc đợt 2)",
        },
        {
            content: "The conversation history shows the staff's message",
            trigger:
                "#task_chat #chatterRoot:shadow .o-mail-Message:contains(Phiếu kết quả đã được gửi qua email)",
        },
        {
            content: "Say a word",
            trigger: "div[name=sgc_satisfaction] textarea[name=note]",
            run: "edit Rất hài lòng, cảm ơn SGC",
        },
        {
            content: "Confirm satisfaction",
            trigger: "button[data-sgc=confirm-satisfied]:contains(Có, tôi hài lòng)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The satisfaction is confirmed",
            trigger: "span.badge:contains(Đã xác nhận hài lòng)",
        },
    ],
});

// (f) The KPI accountant opens, previews and closes the current period.
tours.add("sgc_tour_kpi_period", {
    steps: () => [
        {
            content: "Open the current period",
            trigger: ".o_list_view button[name=action_open_current_period]:contains(Mở kỳ hiện tại)",
            run: "click",
        },
        {
            content: "The period is open",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Đang mở)",
        },
        {
            content: "Preview the figures",
            trigger: ".o_form_view button[name=action_compute]:contains(Tính số liệu (xem trước))",
            run: "click",
        },
        {
            content: "The company line is there",
            trigger: ".o_field_widget[name=line_ids] .o_data_row td:contains(Công ty)",
        },
        {
            content: "Compute and close",
            trigger: ".o_form_view button[name=action_close]:contains(Tính và chốt)",
            run: "click",
        },
        {
            content: "Confirm the freeze",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The period is closed",
            trigger:
                ".o_form_view:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(Đã đóng)",
        },
        {
            content: "A closed period offers her nothing to change",
            trigger:
                ".o_form_view:not(:has(button[name=action_compute])):not(:has(button[name=action_reopen])):not(:has(button[name=action_close]))",
        },
    ],
});
