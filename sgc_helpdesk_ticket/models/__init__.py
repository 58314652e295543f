from . import helpdesk_ticket_stage
from . import helpdesk_ticket_team
from . import helpdesk_ticket_category
from . import helpdesk_ticket
from . import res_company
from . import res_partner
