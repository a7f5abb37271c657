"""Stage 7: build the site with mkdocs-material from the generated docs folder, in strict mode."""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.utils.yaml import yaml_load


class SiteBuildError(Exception):
    """mkdocs refused to build the site; the message says why."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _source_date(as_of: dt.date) -> Iterator[None]:
    """Dates mkdocs writes (sitemap) come from the build date, so the same input gives the same bytes."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.timezone.utc).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def site_extra(config_file: Path) -> dict[str, object]:
    """The `extra:` settings of the webmaster's mkdocs.yml (licence and the like)."""
    # Read as mkdocs reads it (its YAML tags included), without validating a whole configuration.
    with config_file.open(encoding="utf-8") as stream:
        data = yaml_load(stream) or {}
    return dict(data.get("extra") or {})


def build_site(config_file: Path, docs_dir: Path, site_dir: Path, nav: list[object], as_of: dt.date) -> None:
    """Run mkdocs on docs_dir into site_dir with the webmaster's mkdocs.yml and our nav."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        with _source_date(as_of):
            config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), nav=nav, strict=True)
            mkdocs_build(config)
    except (MkDocsException, OSError) as error:
        detail = "; ".join(collect.messages[:10])
        raise SiteBuildError(f"{error}{': ' + detail if detail else ''}") from error
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)


def public_contacts(config_file: Path) -> list[str]:
    """The Inspectorate's own phone numbers, e-mails and address (`extra.public_contacts`): public, not personal."""
    return [str(value) for value in site_extra(config_file).get("public_contacts") or []]
