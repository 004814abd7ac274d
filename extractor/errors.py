"""Errors the extractor raises for input it cannot read: one line, naming the file and the reason."""


class ReportError(Exception):
    """A file that cannot be read as a report; str() is the one line to show the user."""

    def __init__(self, path: str, reason: str, status: str = "unreadable"):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.status = status  # unreadable | unsupported | not_a_report | encrypted


# Loggers of the parsing libraries, whose complaints about a damaged file stay off the terminal:
# the one-line reason, the file's status and its findings say what went wrong.
QUIET_LOGGERS = ("pdfminer", "pdfplumber", "camelot", "playa", "pypdf", "PIL")


def quiet_parsers() -> None:
    """Silence the parsing libraries' loggers (see QUIET_LOGGERS)."""
    import logging

    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
