"""The French date recognizer is built at start-up in a daemon thread, not in the first turn.

Found in the Agents Playground (e2e): after a restart, the first « planifier un COPIL demain à 10h »
took 15–25 s on the loaded test machine, because the recognizer (hundreds of regular expressions)
was compiled inside that turn, on the event loop, holding up every conversation and the scheduler.
"""

from __future__ import annotations

import threading

from domain.committees import meeting_dates


async def test_starting_the_bot_builds_the_date_recognizer_in_a_daemon_thread(runtime, monkeypatch):
    built_in: list[threading.Thread] = []
    real_build = meeting_dates._build_french_model.__wrapped__

    def recording_build():
        built_in.append(threading.current_thread())
        return real_build()

    monkeypatch.setattr(meeting_dates, "_build_french_model", meeting_dates.cache(recording_build))
    started: list[threading.Thread] = []
    real_start = meeting_dates.start_warm_up
    monkeypatch.setattr(meeting_dates, "start_warm_up", lambda: started.append(real_start()) or started[-1])

    await runtime.start()
    try:
        started[0].join(timeout=120)
        assert [thread.name for thread in built_in] == ["french-date-recognizer"]
        assert built_in[0].daemon, "a stopping bot does not wait for the build"
        mentions = meeting_dates.recognize_when("demain à 10h", meeting_dates.datetime(2026, 11, 30, 9, 0))
        assert mentions and len(built_in) == 1, "the first turn reuses the recognizer built at start-up"
    finally:
        await runtime.close()


def test_a_turn_during_the_start_up_build_waits_for_it_instead_of_building_a_second_one(monkeypatch):
    builds: list[str] = []
    release = threading.Event()

    def slow_build():
        builds.append(threading.current_thread().name)
        release.wait(timeout=30)
        return object()

    monkeypatch.setattr(meeting_dates, "_build_french_model", meeting_dates.cache(slow_build))
    warm_up = meeting_dates.start_warm_up()
    while not builds:
        threading.Event().wait(0.01)
    turn = threading.Thread(target=meeting_dates._french_model, name="turn")
    turn.start()
    release.set()
    turn.join(timeout=30)
    warm_up.join(timeout=30)
    assert builds == ["french-date-recognizer"]
