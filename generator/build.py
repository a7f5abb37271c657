"""The whole build, one stage after another: read → approve → validate → rules → redact →
render → mkdocs → Pagefind → scan → publish. Nothing reaches --out unless every stage passed.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import frontmatter

from generator.background import Background, BackgroundFailed
from generator.discard import discard
from generator.downloads import OpenData, start_open_data
from generator.downloads.data_page import DataPageError
from generator.downloads.reuse import FileReuse, save_reuse
from generator.intake import load_registers
from generator.ledger import SOURCES_SRC, LedgerEntry, SourceLines, build_ledger, sources_page
from generator.manifest import make_manifest, previous_manifest, withheld_records, write_manifest
from generator.redact import Redactor
from generator.redact.records import public_names, redact_records
from generator.render.content import collect_content, content_nav, copy_content
from generator.render.environment import make_environment
from generator.render.frames import FrameError, frame_pages, write_framed
from generator.render.page_cache import PageCache, save_cache
from generator.render.page_keys import record_digests
from generator.render.pages import PublishedRegister, Renderer, build_pages, index_src, url_of, write_pages
from generator.report import BuildReport, Problem
from generator.rules import Withheld, apply_rules
from generator.scan import PlanParts, PrivateValue, ScanPlan, finish_plan, prepare_plan, scan_site
from generator.search_index import SearchIndexError, index_site
from generator.sitebuild import SiteBuildError, build_site, public_contacts, site_extra
from generator.publish import BuildLocked, exclusive_build, replace_directory
from generator.whatsnew import WHATS_NEW_SRC, whats_new_page


class BuildFailed(Exception):
    """The build stopped; --out was left exactly as it was."""


@dataclass(frozen=True)
class BuildOptions:
    """What the webmaster asked for on the command line."""

    registers: Path
    content: Path
    out: Path
    as_of: dt.date
    config: Path
    strict: bool = False
    previous: Path | None = None  # the site (or manifest) whose history this build carries on; None: --out


def build(options: BuildOptions, report: BuildReport) -> None:
    """Build the site into options.out, or raise BuildFailed leaving options.out untouched."""
    try:
        with exclusive_build(options.out):
            _run_stages(options, report)
    except BuildLocked as error:
        raise BuildFailed(str(error)) from error


def _run_stages(options: BuildOptions, report: BuildReport) -> None:
    stage = report.timings.stage
    # 1-3. Read every export, verify its approval, validate it against its register's schema (timed inside).
    intake = load_registers(options.registers, report)
    # A national intake is a million objects that live to the end: the collector need not walk them again.
    gc.freeze()
    if options.strict and report.refused:
        raise BuildFailed(f"--strict: {len(report.refused)} отказани файла или реда; сайтът не е заменен.")

    # The scan's plan (the needles of every private value, what its caches knew) is made in a
    # child process, on the core that the stages up to rendering leave idle (see prepare_plan).
    # Not yielding, unlike the downloads' children: niced, it lived on beside them, and the
    # national rebuild's peak memory rose from 2.2 to 2.4 GiB.
    planning: Background[PlanParts] = Background(
        partial(prepare_plan, intake.private_values, public_contacts(options.config), _scan_cache(options), options.out), "план на проверката", early=True
    )
    options.out.absolute().parent.mkdir(parents=True, exist_ok=True)
    page_cache_file = options.out.absolute().with_name(f".{options.out.name}.page-cache.json")
    reuse_file = options.out.absolute().with_name(f".{options.out.name}.file-reuse.json")
    open_data: OpenData | None = None
    work = Path(tempfile.mkdtemp(prefix=f".{options.out.name}.build-", dir=options.out.absolute().parent))
    try:
        # 4. Apply the publication rules as of the build date.
        published: list[PublishedRegister] = []
        withheld_by: dict[str, list[Withheld]] = {}
        with stage("rules"):
            for name, loaded in intake.registers.items():
                tables, withheld = apply_rules(loaded.register.rules, loaded.tables, options.as_of)
                summary = report.registers[name]
                summary.published = {t: len(r) for t, r in tables.items()}
                for item in withheld:
                    summary.withheld[item.reason] = summary.withheld.get(item.reason, 0) + 1
                withheld_by[name] = withheld
                published.append(PublishedRegister(loaded.register, tables))

        # 5. Redact every text; magistrates' names stay, private persons become initials.
        with stage("redact"):
            redactor = Redactor(public_names(t for p in published for t in p.tables.values()))
            for register in published:
                register.tables = {t.name: redact_records(t, register.tables[t.name], redactor) for t in register.register.tables}
            gc.freeze()  # the redacted copies too

        # 5b. Ledger and manifest: the approved exports behind this build, an id and hash per published
        # record, the changes since the site in --out (whose history is carried on), withheld ids for the report.
        with stage("manifest"):
            ledger = build_ledger(intake, published, report.problems)
            previous, notes = previous_manifest(options.previous or options.out)
            report.add(notes)
            manifest = make_manifest(published, ledger, previous, options.as_of.isoformat())
            report.manifest = manifest.build_id
            for name, withheld in withheld_by.items():
                report.registers[name].withheld_records = withheld_records(intake.registers[name].register, withheld, redactor)

        docs_dir, site_dir = work / "docs", work / "site"
        # Open data is written beside docs/, not into it: mkdocs would copy its 900 MB file by file.
        open_dir = work / "open"
        # 6. Render pages: content/ as written, registers through Jinja2 templates.
        with stage("render"):
            copy_content(options.content, docs_dir)
            content = collect_content(options.content)
            renderer = Renderer(make_environment(), SourceLines(ledger))
            pages, unknown_bodies = build_pages(published, renderer, options.as_of, _home_intro(options.content))
        report.add([Problem(file="generator/data/appellate_regions.yaml", message=f"органът „{body}“ не е в списъка на апелативните райони; показан е под „други“.", hint="Добавете органа или града му в generator/data/appellate_regions.yaml.", severity="note") for body in unknown_bodies])
        # 6b. Open data: downloads, data package, JSON API and feeds, from the same safe records. The
        # biggest are written by child processes while mkdocs runs and the pages are written (finished at 8).
        with stage("downloads"):
            reuse = FileReuse.load(reuse_file, options.out.absolute())
            pages, open_data = start_open_data(published, pages, open_dir, renderer, options.as_of, site_extra(options.config), reuse)
            report.files_unchanged = reuse.linked
        # 6c. What changed ("Какво ново"), where the data came from ("Източници на данните"), data/manifest.json.
        with stage("manifest"):
            pages += [whats_new_page(renderer, manifest.builds, published, {p.src for p in pages}), sources_page(renderer, [(b.as_of, b.ledger) for b in manifest.builds])]
            write_manifest(manifest, open_dir)
        if (docs_dir / "index.md").exists():
            (docs_dir / "index.md").unlink()
        with stage("render"):
            # Declarants' pages skip mkdocs: it renders one frame for them (generator/render/frames.py).
            framed = frame_pages(pages)
            write_pages(framed.for_mkdocs, docs_dir, Path(str(docs_dir) + "_fragments"))
        report.pages = len(pages) + len([c for c in content if c.src != "index.md"])
        nav = [{"Начало": "index.md"}]
        nav += [{p.register.title: index_src(p.register)} for p in published]
        nav += [{"Органи на съдебната власт": "organi/index.md"}, {"Отворени данни": "otvoreni-danni.md"}]
        nav += content_nav(content)
        nav += [{"Какво ново": WHATS_NEW_SRC}, {"Източници на данните": SOURCES_SRC}]
        nav += [{"Търсене": "tarsene.md"}]

        # 7. Build the site with mkdocs-material, strict: a broken link fails the build.
        with stage("mkdocs"):
            build_site(options.config, docs_dir, site_dir, nav, options.as_of)

        with stage("render", total=sum(len(m) for m in framed.frames.values())) as advance:
            # A page unchanged since the site in --out is linked from it, not rendered (page_cache.py);
            # the manifest's hash of a declaration and its items stands for them in the page's key.
            page_cache = PageCache.load(page_cache_file, options.out.absolute(), _source_salt(ledger), record_digests(manifest.records, published))
            # The declarants' search documents are written beside their pages, for Pagefind (stage 8).
            search_tree = work / "search"
            written = write_framed(site_dir, framed, advance, cache=page_cache, search_tree=search_tree)
            page_cache.digests = {}  # they hold the records, which must not reach the scan's workers
            report.pages_unchanged = written.linked

        # The records and pages are written; the scan forks a worker per core from this process,
        # and each would carry them: only the private values and the search documents go on.
        documents = {url_of(p.src): p.search for p in pages if p.search}
        private_values = intake.private_values
        del intake, published, withheld_by, pages, framed, renderer, redactor

        # The open data is complete before Pagefind indexes the data page, whose sizes and hashes it
        # fills in. Not later: Pagefind takes a gigabyte, and the children beside it would raise the
        # national build's peak memory from 2.4 to 3.0 GiB.
        with stage("downloads"):
            open_data.finish(site_dir)
        move_into(open_dir, site_dir)

        # 8. Index it with Pagefind: a declarant's page through its search document. Meanwhile
        # this process finishes the scan's plan: its automata (Pagefind leaves a core idle at times).
        with stage("pagefind"):
            scan_plan = index_site(
                site_dir, documents, meanwhile=partial(_finish_plan, planning, private_values), tree=search_tree, remove=partial(discard, out=options.out)
            )
        del documents, private_values

        # 9. Scan every output byte for identifiers and private values of this build's inputs.
        with stage("scan"):
            leaks = scan_site(site_dir, plan=scan_plan)
        if leaks:
            report.add([leak.as_problem() for leak in leaks])
            raise BuildFailed(f"Проверката за лични данни намери {len(leaks)} съвпадения; сайтът не е заменен.")

        # 10. Publish: swap the finished site into --out.
        with stage("publish"):
            replace_directory(site_dir, options.out)
            save_cache(page_cache_file, options.out.absolute(), written.keys, page_cache)
            save_reuse(reuse_file, options.out.absolute(), reuse)
    except (SiteBuildError, SearchIndexError, FrameError, BackgroundFailed, DataPageError) as error:
        raise BuildFailed(str(error)) from error
    finally:
        planning.stop()
        if open_data is not None:
            open_data.stop()
        shutil.rmtree(work, ignore_errors=True)


def move_into(source: Path, target: Path) -> None:
    """Move every file under `source` to the same place under `target` (renames, no copies)."""
    for entry in sorted(source.iterdir()):
        destination = target / entry.name
        if entry.is_dir() and destination.is_dir():
            move_into(entry, destination)
        else:
            entry.rename(destination)


def _scan_cache(options: BuildOptions) -> Path:
    """Hashes of files and cells found clean: unchanged ones are searched next week only for new private values."""
    return options.out.absolute().with_name(f".{options.out.name}.scan-cache.json")


def _finish_plan(planning: Background[PlanParts], private_values: list[PrivateValue]) -> ScanPlan:
    """The scan's plan, once the records are freed (see _run_stages) and the child has made its parts."""
    gc.unfreeze()
    gc.collect()
    return finish_plan(planning.wait(), private_values)


def _source_salt(ledger: list[LedgerEntry]) -> str:
    """What a page's source lines depend on besides its records: each export's name and approval."""
    return json.dumps(sorted((e.file, e.approved_by, e.approved_on) for e in ledger), ensure_ascii=False)


def _home_intro(content: Path) -> str:
    """The prose of content/index.md, if the webmaster wrote one, goes above the register list."""
    index = content / "index.md"
    return frontmatter.load(index).content if index.is_file() else ""
