"""Marp CLI kept loaded (`mkdocs serve`): the exports of the `marp` command,
without a Node start for each."""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from coursekit.export import ExportError, export_decks
from coursekit.export import pipeline as export_pipeline
from coursekit.export.warm import MarpWorker
from coursekit.parse import parse_deck
from coursekit.processes import ProcessTrees, Stopped

from .support import REPO_ROOT, settings_for


@pytest.fixture
def worker():
    node = shutil.which("node")
    assert node is not None, "the export tests need Node"
    worker = MarpWorker(node, REPO_ROOT)
    yield worker
    worker.close()


def test_the_worker_exports_what_the_command_exports(project, worker):
    deck = parse_deck(project / "slides" / "lecture.md")
    by_command = export_decks([deck], project / "command", settings_for(project))
    by_worker = export_decks(
        [deck],
        project / "worker",
        settings_for(project, worker=worker, cache_dir=project / "other-cache"),
    )

    assert by_worker.converted == ["lecture"]
    assert by_worker.marp_runs == by_command.marp_runs == 1
    made = by_worker.outputs["lecture"]["html"].read_bytes()
    assert made == by_command.outputs["lecture"]["html"].read_bytes()


def test_one_worker_converts_save_after_save(project, worker):
    deck_file = project / "slides" / "lecture.md"
    settings = settings_for(project, worker=worker)
    export_decks([parse_deck(deck_file)], project / "out", settings)
    started = worker._process
    assert started is not None

    deck_file.write_text(
        deck_file.read_text(encoding="utf-8") + "\n---\n\n## Saved again\n",
        encoding="utf-8",
    )
    result = export_decks([parse_deck(deck_file)], project / "out", settings)

    assert result.converted == ["lecture"]
    assert "Saved again" in (project / "out" / "lecture.html").read_text("utf-8")
    assert worker._process is started


def test_a_job_over_its_time_stops_the_worker_and_names_the_deck(
    project, worker, monkeypatch
):
    monkeypatch.setattr(export_pipeline, "SECONDS_PER_SLIDE", 0)
    deck = parse_deck(project / "slides" / "lecture.md")
    hasty = settings_for(project, worker=worker, deck_timeout=0.01)

    with pytest.raises(ExportError) as stopped:
        export_decks([deck], project / "out", hasty)

    assert stopped.value.rule == "export-timeout"
    assert stopped.value.path == deck.path
    assert worker._process is None
    # The next export starts a new worker and succeeds.
    assert export_decks([deck], project / "out", settings_for(project, worker=worker))


def test_stopping_the_export_stops_the_worker_in_its_job(project, worker):
    # `--watch` never ends on its own: only a stop ends this job.
    processes = ProcessTrees()
    outcome: list[str] = []

    def job() -> None:
        try:
            worker.run(
                ["--watch", "slides/lecture.md", "--output", "lecture.html"],
                cwd=project,
                env=dict(os.environ),
                timeout=120,
                processes=processes,
            )
        except Stopped:
            outcome.append("stopped")

    thread = threading.Thread(target=job)
    thread.start()
    time.sleep(1)  # let the job reach Marp; a stop before it works as well
    processes.stop()
    thread.join(30)

    assert not thread.is_alive()
    assert outcome == ["stopped"]
    assert worker._process is None
