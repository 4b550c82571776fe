"""The exception the format checks raise when they refuse a file.

It lives apart from ``validation``, which turns it into a ``ValidationError``, because
``validation`` imports the checks (``pdf``, ``images``, ``office``) and the checks need
the exception: kept here, nothing imports in a circle.
"""


class Refusal(Exception):
    """A refused file, with the French message that names it and the error code.

    Raised inside the checks; ``validation.validate_upload`` adds what is accepted to the
    message (unless ``about_format`` is False) and raises a ``ValidationError`` with the code.
    """

    def __init__(self, message: str, code: str, *, about_format: bool = True):
        super().__init__(message)
        self.message = message
        self.code = code
        # False when the file's kind and size were fine (an antivirus refusal): saying
        # what formats are accepted would send the applicant looking for the wrong fault.
        self.about_format = about_format
