from . import helpdesk_ticket_cancel_wizard
from . import helpdesk_ticket_pause_wizard
from . import helpdesk_ticket_satisfaction_wizard
from . import helpdesk_ticket_create_lead
