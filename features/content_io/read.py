"""Reading a content file: bytes to a JSON document, or ImportFailed saying why not."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .problems import ImportFailed, Problem

# Enough for 10,000 features as the launch content writes them (about 2 KB each, 20 MB in all),
# with room to spare; import_content --max-size raises it for a larger site.
MAX_FILE_MB = 32
MAX_FILE_BYTES = MAX_FILE_MB * 1_000_000


def _size(size: int) -> str:
    return f"{round(size / 1_000_000, 1):g} MB" if size >= 100_000 else f"{size:,} bytes"


def _too_big(size: int | None, limit: int) -> str:
    size_text = _size(size) if size is not None else "larger than that"
    return (
        f"the file is {size_text}; the limit is {_size(limit)} "
        "(import_content --max-size raises it)"
    )


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


def read_document(source: str | Path, max_bytes: int = MAX_FILE_BYTES) -> dict:
    """The file's top-level JSON object; raise ImportFailed if it cannot be read as one.

    A file over `max_bytes` is refused before it is parsed.
    """
    path = Path(source)
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise ImportFailed([Problem(str(path), _too_big(size, max_bytes))])
            data = stream.read(max_bytes + 1)  # a pipe or a growing file says nothing first
        if len(data) > max_bytes:
            raise ImportFailed([Problem(str(path), _too_big(None, max_bytes))])
        text = data.decode("utf-8-sig")  # a byte order mark is harmless
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
