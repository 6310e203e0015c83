"""The few inline scripts of the public pages, allowed by the CSP by their hash.

A nonce would do too, but a page that uses one is different bytes for every reader: it could
not be compressed once and served as stored (ignite.compression). A hash is the same for
everyone. The settings list these hashes in `script-src`; templates write a script with
`{% inline_script "name" %}`, so the text allowed and the text sent are one string. Plain
Python (no Django imports): the settings module reads it.
"""

import base64
import hashlib

INLINE_SCRIPTS = {
    # Folds the catalog's filters on phones before the first paint, so the results do not
    # jump down and back up.
    "fold-filters-on-phones": (
        'if (matchMedia("(max-width: 59.99rem)").matches) '
        "document.currentScript.previousElementSibling.open = false;"
    ),
}


def source_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


SCRIPT_HASHES = [source_hash(script) for script in INLINE_SCRIPTS.values()]
