"""Stable ids of feed entries (tag URIs), built on generator.tokens."""

from __future__ import annotations

from generator.tokens import stable_token

__all__ = ["TAG_AUTHORITY", "stable_token", "tag_uri"]

# RFC 4151 tag URIs: the Inspectorate's domain and the year these ids were first minted.
# Never change it: every feed reader would show every entry again.
TAG_AUTHORITY = "inspectoratvss.bg,2026"


def tag_uri(kind: str, key: str) -> str:
    """A stable Atom id: tag:inspectoratvss.bg,2026:<kind>:<token of key>."""
    return f"tag:{TAG_AUTHORITY}:{kind}:{stable_token(key, 26)}"
