/** @odoo-module **/
/* Copyright 2026 Saigon Technology Services JSC (SGC)
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {StatusBarField} from "@web/views/fields/statusbar/statusbar_field";
import {patch} from "@web/core/utils/patch";

/**
 * A ticket's stage is moved under SGC's state machine (SOP V.3), which may refuse
 * the move. Odoo's statusbar keeps the refused stage in the form: the form stays
 * dirty, and the buttons that follow the state disappear. On a refused move of a
 * ticket, the stage goes back to what it was (the other unsaved edits are kept),
 * and the error is shown as before.
 */
patch(StatusBarField.prototype, {
    async selectItem(item) {
        const {name, record} = this.props;
        if (record.resModel !== "helpdesk.ticket" || record.isNew) {
            return super.selectItem(item);
        }
        const wasDirty = await record.isDirty();
        const previous = record.data[name];
        const value =
            this.field.type === "many2one" ? [item.value, item.label] : item.value;
        await record.update({[name]: value});
        let refused = false;
        try {
            await record.save({
                onError: (error, {discard}) => {
                    refused = true;
                    if (!wasDirty) {
                        discard();
                    }
                    throw error;
                },
            });
        } finally {
            if (refused && wasDirty) {
                await record.update({[name]: previous});
            }
        }
    },
});
