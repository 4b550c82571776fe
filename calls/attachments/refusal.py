"""The exception the format checks raise when they refuse a file.

It lives apart from ``validation``, which turns it into a ``ValidationError``, because
``validation`` imports the checks (``pdf``, ``images``, ``office``) and the checks need
the exception: kept here, nothing imports in a circle.
"""


class Refusal(Exception):
    """A refused file, with the French message that names it and the error code.

    Raised inside the checks; ``validation.validate_upload`` adds what is accepted to the
    message and raises a ``ValidationError`` with the code.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
