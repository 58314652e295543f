from . import test_stage_validation
