from . import test_template
