# The coaching plan's fixtures (fixtures.py), for every test of this folder.
from tests.laureates.plan.fixtures import (  # noqa: F401
    awa_laureate,
    bilal_laureate,
    plan_call,
    report_form,
    sign_in,
)
