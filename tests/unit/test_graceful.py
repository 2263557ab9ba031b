"""Bounded stop steps and background work a stop waits for (minova.graceful)."""

import threading

import futurist

from minova import graceful


def test_background_work_waits_for_running_tasks_then_refuses_new_ones():
    work = graceful.BackgroundWork(futurist.ThreadPoolExecutor(2))
    release = threading.Event()
    assert work.submit("quick", lambda: None)
    assert work.submit("held", release.wait)
    left = work.finish(graceful.Deadline(0.2))
    assert left == ["held"]  # still running at the deadline: handed back
    assert not work.submit("late", lambda: None)
    release.set()


def test_background_work_reports_nothing_left_when_all_finished():
    work = graceful.BackgroundWork(futurist.ThreadPoolExecutor(2))
    done = threading.Event()
    assert work.submit("task", done.set)
    assert work.finish(graceful.Deadline(None)) == []
    assert done.is_set()


def test_run_until_gives_up_at_the_deadline_and_reports_it():
    release = threading.Event()
    assert graceful.run_until(lambda: None, graceful.Deadline(5), "quick")
    assert not graceful.run_until(release.wait, graceful.Deadline(0.1), "held")
    release.set()


def test_deadline_without_bound_never_expires():
    deadline = graceful.Deadline(None)
    assert deadline.remaining() is None and not deadline.expired()
    assert graceful.Deadline(0).expired()
