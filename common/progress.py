"""Long work's progress, where the browser can read it while the work runs (spreadsheet
imports, bank statements).

The work writes the programme's data in one transaction, which nobody else sees until it
ends: its progress cannot live in the database. It goes to a small JSON file beside the
uploads (MEDIA_ROOT, the storage every server and worker shares), replaced whole each time
(`os.replace`), so a reader never sees half of it. Each kind of work has its own folder
(`kind`, e.g. "imports"), the job's primary key names the file.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

EVERY_SECONDS = 0.5


def _path(kind: str, job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / kind / "progress" / f"{int(job_id)}.json"


def progress_write(
    kind: str, job_id: int, *, done: int, total: int, errors: int, elapsed: float
) -> None:
    path = _path(kind, job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(
        json.dumps({"done": done, "total": total, "errors": errors, "elapsed": elapsed}),
        encoding="utf-8",
    )
    os.replace(partial, path)


def progress_read(kind: str, job_id: int) -> dict | None:
    try:
        return json.loads(_path(kind, job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def progress_clear(kind: str, job_id: int) -> None:
    _path(kind, job_id).unlink(missing_ok=True)


def progress_figures(
    *, running: bool, done: int, total: int, errors: int, elapsed: float, unit: str = "rows"
) -> dict:
    """What a progress bar shows: percentage (100 only once finished), rate per second, errors
    so far, and one sentence saying it; `unit` is "rows" (spreadsheets) or "lines" (bank)."""
    percent = 100 if not running else (min(99, done * 100 // total) if total else 0)
    rate = round(done / elapsed) if elapsed > 0 else done
    figures = {"percent": percent, "done": done, "total": total, "rate": rate, "errors": errors}
    if unit == "lines":
        text = _(
            "%(percent)s%% · %(done)s of %(total)s lines · %(rate)s lines/s · "
            "errors so far: %(errors)s"
        )
    else:
        text = _(
            "%(percent)s%% · %(done)s of %(total)s rows · %(rate)s rows/s · "
            "errors so far: %(errors)s"
        )
    return {**figures, "running": running, "text": text % figures}


class Tracker:
    """Counts rows and writes the progress at most twice a second."""

    def __init__(self, kind: str, job_id: int, *, total: int):
        self.kind = kind
        self.job_id = job_id
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.written = 0.0
        progress_write(kind, job_id, done=0, total=total, errors=0, elapsed=0.0)

    def step(self, *, errors: int) -> None:
        self.update(done=self.done + 1, errors=errors)

    def update(self, *, done: int, errors: int = 0, total: int | None = None) -> None:
        """Record `done` rows so far (for work that reports a batch at a time)."""
        self.done = done
        if total is not None:
            self.total = total
        now = time.monotonic()
        if now - self.written >= EVERY_SECONDS:
            self.written = now
            progress_write(
                self.kind,
                self.job_id,
                done=self.done,
                total=max(self.total, self.done),
                errors=errors,
                elapsed=now - self.started,
            )
