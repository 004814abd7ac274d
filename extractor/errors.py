"""Errors the extractor raises for input it cannot read: one line, naming the file and the reason."""


class ReportError(Exception):
    """A file that cannot be read as a report; str() is the one line to show the user."""

    def __init__(self, path: str, reason: str, status: str = "unreadable"):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.status = status  # unreadable | unsupported | not_a_report | encrypted
