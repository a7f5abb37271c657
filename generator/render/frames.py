"""Pages written outside mkdocs, into a frame that mkdocs renders once.

mkdocs costs about 10 ms a page whatever its content (the theme, the navigation, the hooks):
a minute for the 5,500 declarants' pages of the national register. Those pages differ from one
another only in their title, their feeds and their content, so mkdocs renders one frame page per
folder (and per number of feeds), at the same depth as the pages it stands for — every relative
link the theme writes is then already right — with placeholders where a page's own parts go.
Each standalone page is its frame with its own parts filled in, written straight into the site;
the frame pages themselves are removed. The theme, its overrides and the hooks stay the only
place that decides what a page looks like.

What the hooks do to an mkdocs page is done here or by the templates: a standalone template puts
every URL from an export through the `safe_href` filter (hooks/fragments.py neutralises such links
on mkdocs pages after the fact, at 3 ms a page), and the Content-Security-Policy is the frame's,
recomputed only if the content brings inline scripts or styles of its own (hooks/csp.py). Tables
of standalone templates carry their own scrollable region box (hooks/accessibility.py adds it to
mkdocs pages); tests/test_accessibility.py checks those pages like any other.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from markupsafe import escape

from generator.render.csp import with_policy
from generator.render.page_cache import PageCache
from generator.render.pages import Page, url_of
from generator.search_index import write_search_document

TITLE_SLOT = "portal-slot-title"
CONTENT_SLOT = "<!-- portal:frame-content -->"
_CSP_META = re.compile(r'\n    <meta http-equiv="Content-Security-Policy" content="[^"]*">')
_INLINE_CODE = re.compile(r"<script|<style|\sstyle\s*=", re.IGNORECASE)


class FrameError(Exception):
    """A frame page did not come out of mkdocs as expected (a theme change?)."""


def _feed_href_slot(index: int) -> str:
    return f"portal-slot-feed-{index}.xml"


def _feed_title_slot(index: int) -> str:
    return f"portal-slot-feed-{index}-title"


@dataclass(frozen=True, eq=False)  # a key by identity: its meta is a dict
class Frame:
    """The mkdocs page that stands for every standalone page of one folder with the same kind of meta."""

    src: str
    meta: dict[str, object]

    @property
    def site_path(self) -> str:
        return url_of(self.src)


def _shape(page: Page) -> tuple[str, int, str]:
    """Pages that can share a frame: same folder, same number of feeds, same other meta."""
    folder = str(PurePosixPath(page.src).parent)
    feeds = list(page.meta.get("feeds") or [])  # type: ignore[call-overload]
    rest = {k: v for k, v in page.meta.items() if k != "feeds"}
    return folder, len(feeds), json.dumps(rest, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class FramedPages:
    """The pages mkdocs builds (frames included) and the standalone pages each frame stands for."""

    for_mkdocs: list[Page]
    frames: dict[Frame, list[Page]]


def frame_pages(pages: list[Page]) -> FramedPages:
    """Split the pages into those mkdocs builds and the standalone ones, adding a frame page per shape."""
    groups: dict[tuple[str, int, str], list[Page]] = defaultdict(list)
    for_mkdocs = []
    for page in pages:
        if page.standalone:
            groups[_shape(page)].append(page)
        else:
            for_mkdocs.append(page)
    frames: dict[Frame, list[Page]] = {}
    for number, ((folder, feeds, rest), members) in enumerate(sorted(groups.items())):
        meta = json.loads(rest)
        if feeds:
            meta["feeds"] = [{"title": _feed_title_slot(i), "href": _feed_href_slot(i)} for i in range(feeds)]
        # Numbered across shapes: two shapes of one folder with as many feeds are two frames.
        frame = Frame(src=f"{folder}/portal-frame-{number}.md", meta=meta)
        frames[frame] = members
        for_mkdocs.append(Page(src=frame.src, title=TITLE_SLOT, html=CONTENT_SLOT, meta=meta))
    return FramedPages(for_mkdocs, frames)


def _fill(frame_html: str, frame_path: str, page: Page) -> str:
    content = page.content()
    if CONTENT_SLOT in content or TITLE_SLOT in content:
        raise FrameError(f"{page.src}: съдържанието съдържа запазен маркер на рамката.")
    # The frame's own address (its canonical link, with a site_url) is the page's.
    out = frame_html.replace(frame_path, url_of(page.src))
    # Escaped as mkdocs pages have them: the title as write_pages gives it to mkdocs, feeds by the theme's `| e`.
    out = out.replace(TITLE_SLOT, html.escape(page.title, quote=False))
    for index, feed in enumerate(page.meta.get("feeds") or []):  # type: ignore[attr-defined]
        out = out.replace(_feed_title_slot(index), str(escape(feed["title"])))
        out = out.replace(_feed_href_slot(index), str(escape(feed["href"])))
    out = out.replace(CONTENT_SLOT, content, 1)
    # The frame's policy does not cover a page's own inline code. Substring tests first: the regex
    # costs 1.6 ms a page, lower() 0.5 ms. Export text is escaped, so only a template could write
    # a tag or attribute, and templates write them in lower case or capitals.
    if any(word in content for word in ("script", "SCRIPT", "style", "STYLE")) and _INLINE_CODE.search(content):
        out = with_policy(_CSP_META.sub("", out, count=1))
    return out


@dataclass(frozen=True)
class _Job:
    frame_html: str
    frame_path: str
    frame_digest: str
    page: Page
    site_path: str
    target: Path


# The pages to write (and whether to render each: an unchanged one is linked already), set just
# before the worker processes fork: they inherit them instead of receiving pickled pages (the
# Jinja2 environment and the records behind a deferred page). And where search documents go.
_JOBS: list[tuple[_Job, bool]] = []
_SEARCH_TREE: Path | None = None
PARALLEL_FROM = 200  # below this many pages to write, starting processes costs more than it saves
CHUNK = 50


def _write_range(bounds: tuple[int, int]) -> int:
    """Render and write the jobs in range that need it, and their search documents; how many were rendered."""
    start, stop = bounds
    rendered = 0
    for job, render in _JOBS[start:stop]:
        if render:
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_text(_fill(job.frame_html, job.frame_path, job.page), encoding="utf-8")
            rendered += 1
        if _SEARCH_TREE is not None and job.page.search:
            write_search_document(_SEARCH_TREE, job.site_path, job.page.search)
    return rendered


@dataclass
class Written:
    """What write_framed did: each page's key for the next build's cache, and how many were linked unchanged."""

    keys: dict[str, str | None]
    linked: int

    def __len__(self) -> int:
        return len(self.keys)


def write_framed(
    site_dir: Path,
    framed: FramedPages,
    advance: Callable[[int], None] = lambda count: None,
    workers: int | None = None,
    cache: PageCache | None = None,
    search_tree: Path | None = None,
) -> Written:
    """Write every standalone page into the built site from its frame (or link it from the live site
    when unchanged, with a `cache`), then remove the frames.

    Keys are computed and unchanged pages linked here, so a rebuild renders only the pages that
    changed; those are rendered and written by one process per core (forked, so they share the
    records). Each file's bytes do not depend on which process wrote it. With a `search_tree`, the
    same processes write each page's search document there, for Pagefind (see index_site): 5,500
    small files that would otherwise be written by one process while Pagefind waits."""
    global _JOBS, _SEARCH_TREE
    jobs: list[_Job] = []
    for frame, members in framed.frames.items():
        frame_dir = site_dir / frame.site_path
        try:
            frame_html = (frame_dir / "index.html").read_text(encoding="utf-8")
        except OSError as error:
            raise FrameError(f"рамката {frame.src} липсва в изградения сайт ({error}).") from error
        if CONTENT_SLOT not in frame_html:
            raise FrameError(f"рамката {frame.src} е изградена без място за съдържанието; темата промени ли се?")
        shutil.rmtree(frame_dir)
        digest = hashlib.sha256(frame_html.encode()).hexdigest()
        jobs += [_Job(frame_html, frame.site_path, digest, page, url_of(page.src), site_dir / url_of(page.src) / "index.html") for page in members]
    cache = cache or PageCache(None, "")
    keys = cache.keys((job.page, job.frame_digest) for job in jobs)
    written = Written({}, 0)
    work = []
    for job, key in zip(jobs, keys):
        written.keys[job.site_path] = key
        linked = cache.link_unchanged(job.site_path, key, job.target)
        written.linked += linked
        if not linked or (search_tree is not None and job.page.search):
            work.append((job, not linked))
    advance(written.linked)
    if search_tree is not None:
        # Made here, in order: Pagefind numbers the pages in the order it finds them, which on some
        # file systems (tmpfs, XFS) is the order their folders were made, not their names'.
        for site_path in sorted(job.site_path for job, _ in work if job.page.search):
            (search_tree / site_path).mkdir(parents=True, exist_ok=True)
    workers = workers or os.cpu_count() or 1
    ranges = [(start, min(start + CHUNK, len(work))) for start in range(0, len(work), CHUNK)]
    _JOBS, _SEARCH_TREE = work, search_tree
    try:
        if workers > 1 and len(work) >= PARALLEL_FROM:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for count in pool.imap_unordered(_write_range, ranges):
                    advance(count)
        else:
            for count in map(_write_range, ranges):
                advance(count)
    finally:
        _JOBS, _SEARCH_TREE = [], None
    written.keys = dict(sorted(written.keys.items()))
    _list_in_sitemap(site_dir, framed.frames)
    return written


_SITEMAP_URL_RE = re.compile(r"\n *<url>\n *<loc>(?P<loc>[^<]*)</loc>.*?</url>", re.DOTALL)


def _list_in_sitemap(site_dir: Path, frames: dict[Frame, list[Page]]) -> None:
    """mkdocs listed each frame in sitemap.xml (when the site has a site_url); list its pages instead."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    paths = {frame.site_path: members for frame, members in frames.items()}

    def pages_of(match: re.Match[str]) -> str:
        loc = html.unescape(match.group("loc"))
        frame = next((path for path in paths if loc.endswith("/" + path)), None)
        if frame is None:
            return match.group(0)
        prefix = loc[: -len(frame)]
        return "".join(match.group(0).replace(match.group("loc"), str(escape(prefix + url_of(page.src)))) for page in paths[frame])

    listed = _SITEMAP_URL_RE.sub(pages_of, text)
    if listed == text:
        return
    sitemap.write_text(listed, encoding="utf-8")
    packed = sitemap.with_name("sitemap.xml.gz")
    if packed.is_file():  # mkdocs' copy, with the same time in its header (the build date), so the bytes stay stable
        mtime = int.from_bytes(packed.read_bytes()[4:8], "little")
        with packed.open("wb") as raw, gzip.GzipFile(fileobj=raw, filename=str(packed), mode="wb", mtime=mtime) as gz:
            gz.write(listed.encode("utf-8"))
