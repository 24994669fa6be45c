"""Logs that cannot be forged and do not leak: control characters shown, request data kept out.

A user name or a note with a line break and a fake date, or with terminal escape sequences, must
stay one visible record in every log view and export (`visible_controls`). The text log of the
server never holds what a request carried (`WithholdRequestData`, configured in settings.LOGGING):
a form with a note about someone's debts that ends in a server error leaves only the route and the
code location in the log.
"""

import logging
import re
import traceback

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible_controls(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with each control character written out ("\\n", "\\x1b"), so it cannot start a new line
    or drive a terminal; with `keep_newlines`, line breaks stay (multi-line notes in an HTML cell)."""

    def show(match: re.Match[str]) -> str:
        char = match.group()
        if keep_newlines and char == "\n":
            return char
        return _NAMED.get(char, f"\\x{ord(char):02x}")

    return _CONTROL.sub(show, text)


def traceback_without_messages(error: BaseException) -> str:
    """The traceback of `error` and the exceptions it came from, with every exception message left out
    (a database error quotes the value it refused; a value may be someone's social data)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for exception in reversed(chain):
        if lines:
            lines.append("\nThe above exception led to the following exception:\n\n")
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(exception.__traceback__))
        kind = type(exception)
        lines.append(f"{kind.__module__}.{kind.__qualname__} (message withheld)\n")
    return "".join(lines).rstrip("\n")


class WithholdRequestData(logging.Filter):
    """On the logger django.request: drop the request (its form data, cookies and headers) from the
    record, and exception messages from the traceback; the route and the code location remain."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = traceback_without_messages(record.exc_info[1])
        return True
