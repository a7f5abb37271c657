"""Read Markdown exports (opinions): YAML front matter gives the fields, the body the text."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from generator.read.json_yaml import DuplicateKey, TolerantSafeLoader, normalise_record, read_utf8_text, yaml_error_place
from generator.read.table import RawRow, RawTable, ReadError

FRONT_MATTER_HINT = (
    "Файлът трябва да започва с ред „---“, после полетата по едно на ред (например „number: 12/2025“, "
    "„title: …“), пак ред „---“, и след него текстът на становището."
)


class _FrontMatter(YAMLHandler):
    """YAML front matter read with the same tolerant safe loader as YAML exports."""

    def load(self, fm: str, **kwargs: object) -> object:
        return yaml.load(fm, Loader=TolerantSafeLoader)  # noqa: S506 - a SafeLoader subclass


def read_markdown(path: Path) -> RawTable:
    """Read a Markdown file with YAML front matter as a one-row table; the body becomes "text"."""
    text = read_utf8_text(path)
    metadata, body = _split(text)
    try:
        values = normalise_record(metadata)
    except DuplicateKey as duplicate:
        raise ReadError(f"Полето „{duplicate.name}“ се среща два пъти в заглавната част.", "Оставете полето само веднъж.") from duplicate
    except RecursionError as error:
        raise ReadError("Заглавната част съдържа стойност, вложена сама в себе си.", FRONT_MATTER_HINT) from error
    body = body.strip()
    if body or "text" not in values:  # a body wins; an empty body keeps a "text" field of the front matter
        values["text"] = body or None
    return RawTable(source=path, format="markdown", columns=list(values), rows=[RawRow(number=1, values=values)])


def _split(text: str) -> tuple[dict[object, object], str]:
    handler = _FrontMatter()
    stripped = text.strip()
    if not handler.detect(stripped):
        raise ReadError("Файлът няма заглавна част (front matter) с полетата на становището.", FRONT_MATTER_HINT)
    try:
        metadata, body = frontmatter.parse(stripped, handler=handler)
    except yaml.YAMLError as error:
        # The parser's line 1 is the opening "---" line of the stripped text; count the blank lines stripped.
        offset = text[: len(text) - len(text.lstrip())].count("\n")
        where = yaml_error_place(error, offset)
        raise ReadError(f"Заглавната част (front matter) не е валиден YAML: грешка{where}.", FRONT_MATTER_HINT) from error
    except (RecursionError, ValueError) as error:
        raise ReadError("Заглавната част (front matter) е повредена.", FRONT_MATTER_HINT) from error
    if not metadata:  # no closing "---", or front matter that is not "key: value" lines
        raise ReadError("Заглавната част (front matter) липсва, не е затворена с ред „---“ или няма полета.", FRONT_MATTER_HINT)
    return metadata, body
