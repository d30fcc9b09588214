"""An import's progress, where the browser can read it while the import runs.

The import writes the programme's data in one transaction, which nobody else sees until it
ends: its progress cannot live in the database. It goes to a small JSON file beside the
uploads (MEDIA_ROOT, the storage every server and worker shares), replaced whole each time
(`os.replace`), so a reader never sees half of it.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings

EVERY_SECONDS = 0.5


def _path(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{int(run_id)}.json"


def progress_write(run_id: int, *, done: int, total: int, errors: int, elapsed: float) -> None:
    path = _path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(
        json.dumps({"done": done, "total": total, "errors": errors, "elapsed": elapsed}),
        encoding="utf-8",
    )
    os.replace(partial, path)


def progress_read(run_id: int) -> dict | None:
    try:
        return json.loads(_path(run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def progress_clear(run_id: int) -> None:
    _path(run_id).unlink(missing_ok=True)


class Tracker:
    """Counts rows and writes the progress at most twice a second."""

    def __init__(self, run_id: int, *, total: int):
        self.run_id = run_id
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.written = 0.0
        progress_write(run_id, done=0, total=total, errors=0, elapsed=0.0)

    def step(self, *, errors: int) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.written >= EVERY_SECONDS:
            self.written = now
            progress_write(
                self.run_id,
                done=self.done,
                total=max(self.total, self.done),
                errors=errors,
                elapsed=now - self.started,
            )
