"""The `portal` command: build, scan, approve. No logic lives here, only options and exit codes.

Exit codes: 0 a site was built, 1 the build failed and --out was left as it was, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import sys
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
def build(registers: Path, content: Path, out: Path, as_of: dt.date | None, report_path: Path, config: Path | None, strict: bool, quiet: bool) -> None:
    """Изгражда сайта от registers/ и content/ в --out."""
    from generator.build import BuildFailed, BuildOptions, build as run_build
    from generator.report import BuildReport, print_report

    as_of = as_of or dt.date.today()
    if report_path.absolute().is_relative_to(out.absolute()):
        raise click.UsageError("--report не може да е в папката на сайта (--out).")
    options = BuildOptions(registers=registers, content=content, out=out, as_of=as_of, config=config or _default_config(), strict=strict)
    report = BuildReport(as_of=as_of.isoformat())
    console = Console(stderr=False, soft_wrap=True)
    try:
        run_build(options, report)
        report.outcome = "built"
    except BuildFailed as error:
        report.outcome = "failed"
        report.failure = str(error)
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
    from generator.intake import private_cells_of
    from generator.scan import PrivateValue, scan_site

    leaks = scan_site(site_dir, [PrivateValue(c.value, c.file, c.row, c.column) for c in private_cells_of(registers)])
    for leak in leaks:
        source = f"{leak.source_file}, ред {leak.source_row}, колона {leak.source_column}" if leak.source_file else "разпознат идентификатор"
        click.echo(f"{leak.output_file}: {leak.kind} {leak.masked} ({source})")
    if leaks:
        click.echo(f"Намерени са {len(leaks)} съвпадения с лични данни. Сайтът не бива да се публикува.")
        sys.exit(1)
    click.echo("Не са намерени лични данни.")
