"""The exceptions harmgraph raises for user errors.

``graph/`` raises these and never prints or exits; the CLI (``harmgraph.cli``) catches them once,
prints one line to stderr and exits with the error's ``exit_code``. Any other
exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class HarmgraphError(Exception):
    """Base class of every user-facing harmgraph error."""

    exit_code = 2


class InputError(HarmgraphError):
    """A file is missing, unreadable, of an unknown format or not parseable.

    >>> str(InputError("bad token", path=Path("kb/x.ttl"), line=4, column=2))
    'kb/x.ttl:4:2: bad token'
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return where + self.message


class UsageError(HarmgraphError):
    """A command was called with options that cannot work together."""


class QueryRefused(HarmgraphError):
    """A SPARQL query asks for something harmgraph does not allow (writes, remote calls)."""


class QueryFailed(HarmgraphError):
    """A SPARQL query could not be parsed or run, or ran out of time."""


class UnknownEntity(HarmgraphError):
    """An entity named by the user is not in the graph."""

    exit_code = 1


class ValidationFailed(HarmgraphError):
    """The data does not conform to the shapes; ``report`` holds the findings."""

    exit_code = 1

    def __init__(self, message: str, report: object) -> None:
        self.report = report
        super().__init__(message)
