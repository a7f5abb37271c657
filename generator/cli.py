"""The `portal` command: build, scan, approve. No logic lives here, only options and exit codes.

Exit codes: 0 a site was built, 1 the build failed and --out was left as it was, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console

from generator.render.environment import PROJECT_ROOT


class DateParam(click.ParamType):
    name = "ГГГГ-ММ-ДД"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"„{value}“ не е дата във вида ГГГГ-ММ-ДД", param, ctx)


def _default_config() -> Path:
    """mkdocs.yml of the current folder, else the one shipped with the project."""
    local = Path("mkdocs.yml")
    return local if local.is_file() else PROJECT_ROOT / "mkdocs.yml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Генератор на публичния сайт на Инспектората към ВСС."""


@main.command()
@click.option("--registers", "registers", type=click.Path(path_type=Path, file_okay=False), default=Path("registers"), show_default=True, help="Папката с одобрените файлове на регистрите.")
@click.option("--content", "content", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True, help="Папката с ръчно написаните страници.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("site"), show_default=True, help="Къде да се запише готовият сайт.")
@click.option("--as-of", "as_of", type=DateParam(), default=None, help="Датата, към която се прилагат правилата (по подразбиране днес).")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=Path("build/report.json"), show_default=True, help="Докладът от изграждането като JSON (никога в сайта).")
@click.option("--config", "config", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None, help="mkdocs.yml (по подразбиране този в текущата папка).")
@click.option("--strict", is_flag=True, help="Всеки отказан файл или пропуснат ред проваля изграждането.")
@click.option("--quiet", is_flag=True, help="Без доклад на екрана (за cron); кодът на изход остава.")
@click.option("--previous", "previous", type=click.Path(path_type=Path, exists=True), default=None, help="Предишният сайт (папка или негов data/manifest.json), чиято история на промените и източниците се продължава (по подразбиране --out).")
def build(registers: Path, content: Path, out: Path, as_of: dt.date | None, report_path: Path, config: Path | None, strict: bool, quiet: bool, previous: Path | None) -> None:
    """Изгражда сайта от registers/ и content/ в --out."""
    from generator.build import BuildFailed, BuildOptions, build as run_build
    from generator.report import BuildReport, print_report

    as_of = as_of or dt.date.today()
    if report_path.absolute().is_relative_to(out.absolute()):
        raise click.UsageError("--report не може да е в папката на сайта (--out).")
    options = BuildOptions(registers=registers, content=content, out=out, as_of=as_of, config=config or _default_config(), strict=strict, previous=previous)
    report = BuildReport(as_of=as_of.isoformat())
    console = Console(stderr=False, soft_wrap=True)
    try:
        if quiet:
            run_build(options, report)
        else:
            from generator.progress import StageDisplay

            with StageDisplay(console) as display:
                report.timings.display = display
                run_build(options, report)
        report.outcome = "built"
    except BuildFailed as error:
        report.outcome = "failed"
        report.failure = str(error)
    except Exception as error:  # noqa: BLE001 - an unforeseen failure must still leave --out untouched and say so plainly
        report.outcome = "failed"
        report.failure = f"непредвидена грешка ({type(error).__name__}: {error}). Сайтът не е заменен; изпратете build/report.json на поддръжката."
        report.detail = traceback.format_exc()
    report.write(report_path)
    code = 1 if report.failure else 0
    if not quiet:
        print_report(report, console)
        if code:
            console.print(f"[bold red]Изграждането е неуспешно:[/] {report.failure} Предишният сайт в {out} е непроменен.", highlight=False)
        else:
            console.print(f"[bold green]Сайтът е изграден в {out}[/] ({report.pages} страници). Докладът: {report_path}", highlight=False)
    sys.exit(code)


@main.command()
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--by", "approved_by", required=True, help="Кой одобрява файла (име и длъжност).")
@click.option("--on", "approved_on", type=DateParam(), default=None, help="Дата на одобрението (по подразбиране днес).")
def approve(export: Path, approved_by: str, approved_on: dt.date | None) -> None:
    """Записва файл за одобрение (.approval.yaml) до одобрен файл."""
    from generator.approval import write_sidecar

    sidecar = write_sidecar(export, approved_by, approved_on or dt.date.today())
    click.echo(f"Записан е {sidecar}")


@main.command()
@click.argument("site_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--registers", "registers", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("registers"), show_default=True, help="Папката с файловете на регистрите, чиито лични данни се търсят.")
def scan(site_dir: Path, registers: Path) -> None:
    """Проверява всеки файл на готов сайт за лични данни; код 1 при намерени."""
    from generator.intake import private_values_of
    from generator.scan import scan_site
    from generator.sitebuild import public_contacts

    leaks = scan_site(site_dir, private_values_of(registers), allowed=public_contacts(_default_config()))
    for leak in leaks:
        click.echo(leak.describe())
    if leaks:
        click.echo(f"Намерени са {len(leaks)} съвпадения с лични данни. Сайтът не бива да се публикува.")
        sys.exit(1)
    click.echo("Не са намерени лични данни.")


@main.command()
@click.option("--registers", "registers", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("registers"), show_default=True, help="Папката с одобрените файлове на регистрите.")
@click.option("--content", "content", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True, help="Папката с ръчно написаните страници.")
@click.option("--as-of", "as_of", type=DateParam(), default=None, help="Датата, към която се проверяват сроковете (по подразбиране днес).")
@click.option("--site", "site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None, help="Публикуваният сайт: от data/manifest.json се взема кога е публикувано всяко становище.")
def check(registers: Path, content: Path, as_of: dt.date | None, site: Path | None) -> None:
    """Проверява сроковете за публикуване; код 1, ако има просрочен срок (за cron)."""
    from generator.deadlines import bg_date, check_deadlines
    from generator.manifest import ManifestError
    from generator.report import BuildReport

    as_of = as_of or dt.date.today()
    report = BuildReport(as_of=as_of.isoformat())
    try:
        findings = check_deadlines(registers, content, as_of, report, site)
    except ManifestError as error:
        click.echo(f"Отказано: {error} Сроковете на становищата не могат да бъдат проверени; проверете пътя след --site.", err=True)
        sys.exit(1)
    overdue = [f for f in findings if f.overdue]
    coming = [f for f in findings if not f.overdue]
    click.echo(f"Срокове към {bg_date(as_of)}")
    if overdue:
        click.echo(f"Просрочени ({len(overdue)}):")
        for finding in overdue:
            click.echo(f"  • {finding.describe()}")
    if coming:
        click.echo(f"Предстоящи в следващите 30 дни ({len(coming)}):")
        for finding in coming:
            click.echo(f"  • {finding.describe()}")
    if report.refused:
        click.echo(f"Отказани файлове и редове, които не се броят за публикувани ({len(report.refused)}):")
        for problem in report.refused:
            click.echo(f"  • {problem.describe()}")
    click.echo(f"Просрочени срокове: {len(overdue)}." if overdue else "Няма просрочени срокове.")
    sys.exit(1 if overdue else 0)


@main.command()
@click.option("--site", "site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("site"), show_default=True, help="Изграденият сайт (--out на „portal build“).")
@click.option("--to", "to", type=click.Path(path_type=Path, file_okay=False), required=True, help="Папката, от която уебсървърът чете DIR/current.")
@click.option("--registers", "registers", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("registers"), show_default=True, help="Папката с файловете на регистрите, чиито лични данни се търсят преди публикуване.")
@click.option("--as-of", "as_of", type=DateParam(), default=None, help="Датата на изграждане (по подразбиране се чете от сайта).")
@click.option("--keep", "keep", type=click.IntRange(min=1), default=8, show_default=True, help="Колко последни издания да се пазят.")
def publish(site: Path, to: Path, registers: Path, as_of: dt.date | None, keep: int) -> None:
    """Публикува изграден сайт като ново издание в DIR/releases и превключва DIR/current към него."""
    from generator.intake import private_values_of
    from generator.releases import ReleaseError, publish_site

    private = private_values_of(registers)
    try:
        result = publish_site(site, to, private, as_of=as_of, keep=keep)
    except ReleaseError as error:
        _release_failed(error)
    verb = "Отново е публикувано" if result.reused else "Публикувано е"
    click.echo(f"{verb} изданието {result.release.name}; {to / 'current'} сочи към него.")
    if result.removed:
        click.echo(f"Изтрити стари издания: {', '.join(result.removed)}.")


@main.command()
@click.option("--to", "to", type=click.Path(path_type=Path, file_okay=False, exists=True), required=True, help="Папката с изданията (същата като при „portal publish“).")
def rollback(to: Path) -> None:
    """Връща DIR/current към изданието, публикувано преди текущото."""
    from generator.releases import ReleaseError, rollback as run_rollback

    try:
        release = run_rollback(to)
    except ReleaseError as error:
        _release_failed(error)
    click.echo(f"Сайтът е върнат към изданието {release.name}; {to / 'current'} сочи към него.")


def _release_failed(error: "ReleaseError") -> None:  # noqa: F821 - imported lazily by the commands
    """Print why publishing or rolling back was refused and exit 1; the live site is unchanged."""
    click.echo(f"Отказано: {error.message}", err=True)
    for line in error.details:
        click.echo(f"  • {line}", err=True)
    if error.hint:
        click.echo(f"Какво да направите: {error.hint}", err=True)
    click.echo("Публикуваният сайт (current) не е променен.", err=True)
    sys.exit(1)


@main.command()
@click.option("--site", "site", type=click.Path(path_type=Path, file_okay=False, exists=True), default=Path("site"), show_default=True, help="Новият сайт (--out на „portal build“).")
@click.option("--against", "against", type=click.Path(path_type=Path, exists=True), required=True, help="Публикуваният сайт (папка) или неговият data/manifest.json.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False), default=Path("build/report.json"), show_default=True, help="Докладът от изграждането на новия сайт: от него идват причините за оттеглянията.")
@click.option("--json", "json_path", type=click.Path(path_type=Path, dir_okay=False), default=Path("build/diff.json"), show_default=True, help="Къде да се запишат промените като JSON (никога в сайта).")
def diff(site: Path, against: Path, report_path: Path, json_path: Path) -> None:
    """Показва кои записи новият сайт добавя, променя и оттегля спрямо публикувания, и защо."""
    import json

    from generator.diff import diff_json, diff_sites, diff_text
    from generator.manifest import ManifestError, read_manifest

    if json_path.absolute().is_relative_to(site.absolute()):
        raise click.UsageError("--json не може да е в папката на сайта (--site).")
    try:
        new, old = read_manifest(site), read_manifest(against)
    except ManifestError as error:
        click.echo(f"Отказано: {error}", err=True)
        sys.exit(1)
    try:
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else None
    except (OSError, ValueError):
        report = None  # diff_sites says the reasons are unknown
    result = diff_sites(new, old, report)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(diff_json(result), encoding="utf-8")
    click.echo(diff_text(result), nl=False)
    click.echo(f"Промените са записани в {json_path}.")
