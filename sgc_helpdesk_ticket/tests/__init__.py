from . import test_install
from . import test_routing
from . import test_state_machine
from . import test_daily_work
from . import test_access
from . import test_portal
