"""Opaque tokens that stay the same from build to build: derived from what a thing is, never from when.

They are written in the letters a-p, not in hex: hex is mostly digits, and a run of ten of them
passes the ЕГН or ЛНЧ checksum often enough that the output scan would stop the build.
"""

from __future__ import annotations

import hashlib

_HEX_AS_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def stable_token(text: str, length: int = 16) -> str:
    """A short token of letters for a text (its SHA-256, four bits a letter), the same in every build."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length].translate(_HEX_AS_LETTERS)
