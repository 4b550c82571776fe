# The team's fixtures (moderation's), for every test of this folder.
from tests.moderation.conftest import editor, moderator, reviewer  # noqa: F401
