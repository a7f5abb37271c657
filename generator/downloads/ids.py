"""Opaque ids that stay the same from build to build: derived from what a record is, never from when.

They are written in the letters a-p, not in hex: hex is mostly digits, and a run of ten of them
passes the ЕГН or ЛНЧ checksum often enough that the output scan would stop the build.
"""

from __future__ import annotations

import hashlib

# RFC 4151 tag URIs: the Inspectorate's domain and the year these ids were first minted.
# Never change it: every feed reader would show every entry again.
TAG_AUTHORITY = "inspectoratvss.bg,2026"


_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def stable_token(text: str, length: int = 16) -> str:
    """A short token of letters for a text (its SHA-256, four bits a letter), the same in every build."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length].translate(_HEX_AS_LETTERS)


def tag_uri(kind: str, key: str) -> str:
    """A stable Atom id: tag:inspectoratvss.bg,2026:<kind>:<token of key>."""
    return f"tag:{TAG_AUTHORITY}:{kind}:{stable_token(key, 26)}"
