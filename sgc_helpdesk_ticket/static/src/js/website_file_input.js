/** @odoo-module **/
/* Copyright 2026 Saigon Technology Services JSC (SGC)
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * The file input of the request form (website_file_input): says which files are
 * chosen, in the page's language, where the browser's own "No file chosen" was.
 * Without script the input still submits its files: only the names are missing.
 */
publicWidget.registry.SgcFileInput = publicWidget.Widget.extend({
    selector: ".o_sgc_file_input",
    events: {"change .o_sgc_file_native": "_onChange"},

    start() {
        this.input = this.el.querySelector(".o_sgc_file_native");
        this.status = this.el.querySelector(".o_sgc_file_status");
        // The server's text, already in the page's language.
        this.emptyText = this.status.textContent;
        // A page restored by the browser's back button may keep its files.
        this._onChange();
        return this._super(...arguments);
    },

    _onChange() {
        const names = Array.from(this.input.files || [], (file) => file.name);
        this.status.textContent = names.length ? names.join(", ") : this.emptyText;
    },
});
