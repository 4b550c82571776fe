from tests.moderation.conftest import (  # noqa: F401 - fixtures shared with the moderation tests
    admin_user,
    application,
    call,
    call_index,
    editor,
    moderator,
    other_call,
    reviewer,
)
