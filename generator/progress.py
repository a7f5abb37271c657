"""What the webmaster sees while a build runs: a line per stage with its count and time (rich).

Stages report through generator.timing.Timings: entering a stage shows its line, `advance(n)`
moves its count (files read, pages written), leaving it ticks it done. `--quiet` (cron) shows
nothing; the figures go to report.json either way.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

# The Bulgarian name of each stage on screen; report.json keeps the English keys.
STAGE_LABELS = {
    "read": "Четене на файловете",
    "validate": "Проверка на редовете",
    "rules": "Правила за публикуване",
    "redact": "Заличаване на лични данни",
    "manifest": "Опис на записите",
    "render": "Страници",
    "downloads": "Отворени данни",
    "mkdocs": "Изграждане (mkdocs)",
    "pagefind": "Индекс за търсене (Pagefind)",
    "scan": "Проверка за лични данни",
    "publish": "Публикуване",
}


class StageDisplay:
    """A rich progress line per stage, reused when a stage is entered again (e.g. "read" once per file)."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def enter(self, name: str, total: int | None) -> None:
        """Show (or resume) the line of stage `name`; `total` is how many things it will count, if known."""
        task = self._tasks.get(name)
        if task is None:
            self._tasks[name] = self._progress.add_task(STAGE_LABELS.get(name, name), total=total)
        elif total is not None:
            self._progress.update(task, total=(self._progress.tasks[task].total or 0) + total)
        self._progress.start_task(self._tasks[name])

    def advance(self, name: str, count: int = 1) -> None:
        """Count `count` more things done in stage `name`."""
        self._progress.advance(self._tasks[name], count)

    def leave(self, name: str, counted: bool) -> None:
        """The stage is done for now; a stage that counted nothing counts itself once."""
        task = self._progress.tasks[self._tasks[name]]
        if not counted:
            self._progress.advance(task.id, 1)
        if task.total is None or task.completed >= task.total:
            self._progress.update(task.id, total=task.completed)
