"""Reading a content file: bytes to a JSON document, or ImportFailed saying why not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .problems import ImportFailed, Problem


class JSONObject(dict):
    """A JSON object as read from the file, remembering keys it held more than once."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> JSONObject:
    result = JSONObject(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(
            dict.fromkeys(key for key, _value in pairs if key in seen or seen.add(key))
        )
    return result


def read_document(source: str | Path) -> dict:
    """The file's top-level JSON object; raise ImportFailed if it cannot be read as one."""
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark is harmless
    except FileNotFoundError:
        raise ImportFailed([Problem(str(path), "no such file")]) from None
    except IsADirectoryError:
        raise ImportFailed([Problem(str(path), "is a directory, not a file")]) from None
    except UnicodeDecodeError as error:
        raise ImportFailed([Problem(str(path), f"not UTF-8 text (byte {error.start})")]) from None
    except OSError as error:
        raise ImportFailed([Problem(str(path), error.strerror or str(error))]) from None
    try:
        document = json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            [
                Problem(
                    f"line {error.lineno}, column {error.colno}",
                    f"not valid JSON: {error.msg}",
                )
            ]
        ) from None
    except RecursionError:
        raise ImportFailed([Problem("$", "not a content file: nested too deeply")]) from None
    except ValueError as error:  # e.g. a number with thousands of digits
        raise ImportFailed([Problem("$", f"not valid JSON: {error}")]) from None
    if not isinstance(document, dict):
        raise ImportFailed([Problem("$", "expected a JSON object with a schema_version")])
    return document
