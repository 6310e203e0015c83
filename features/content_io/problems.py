"""What an import reports when it refuses a file: each problem with its place in the file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A file with thousands of problems (a huge list of wrong items) is refused after this many,
# which is plenty to see what is wrong, and keeps the report and its making short.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, at a path such as `features[3].status`."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ImportFailed(Exception):
    """The file was refused; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


TOO_MANY = Problem("…", f"more problems not listed (the first {MAX_PROBLEMS} are)")


def merged(precise: Iterable[Problem], more: Iterable[Problem]) -> list[Problem]:
    """`precise` and those of `more` at a place none of `precise` covers, up to MAX_PROBLEMS.

    A place covers itself, what is inside it and what it is inside: `features[0]: expected an
    object` covers `features[0].name: is missing`, and the reverse.
    """
    precise = list(precise)
    problems = [problem for problem in precise if problem is not TOO_MANY]
    places = {problem.path for problem in problems}
    for problem in more:
        if problem is not TOO_MANY and not any(_related(problem.path, p) for p in places):
            problems.append(problem)
    if len(problems) > MAX_PROBLEMS or TOO_MANY in precise:
        return [*problems[:MAX_PROBLEMS], TOO_MANY]
    return problems


def _related(path: str, other: str) -> bool:
    shorter, longer = sorted((path, other), key=len)
    return longer == shorter or longer.startswith((f"{shorter}.", f"{shorter}["))
