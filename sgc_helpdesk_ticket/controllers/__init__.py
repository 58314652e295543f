from . import portal
from . import zalo
from . import main
from . import customer_report
