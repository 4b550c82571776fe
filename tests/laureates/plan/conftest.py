# The coaching plan's fixtures (fixtures.py), for every test of this folder.
from tests.laureates.plan.fixtures import awa_laureate, bilal_laureate, plan_call, sign_in  # noqa: F401
