"""Hypothesis profiles for the property-based tests, and what they share.

`ci` (default) is deterministic (`derandomize`: the examples come from each test's own source, so
every run and every machine tries the same inputs) and small enough for the whole property set to
run in seconds. `HYPOTHESIS_PROFILE=thorough` draws new random examples on every run, twenty times
as many, and keeps the failures it finds in `.hypothesis/` to replay them first next time:

    HYPOTHESIS_PROFILE=thorough .venv/bin/pytest tests/storage/test_properties_parsers.py tests/bot/test_properties_http.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

THOROUGH_FACTOR = 20
_SHARED = dict(
    deadline=None,
    print_blob=True,
    # The app, its database and the fake connector are built once per test, not per example:
    # examples only add rows, and each property compares the tables before and after itself.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("ci", derandomize=True, database=None, **_SHARED)
settings.register_profile("thorough", derandomize=False, **_SHARED)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def budget(examples: int) -> int:
    """`examples` in CI; twenty times more with HYPOTHESIS_PROFILE=thorough."""
    return examples * THOROUGH_FACTOR if PROFILE == "thorough" else examples


async def every_row(runtime) -> dict[str, list[tuple]]:
    """Every row of every table (migrations' own table aside): equal before and after a refused
    request means the request wrote nothing at all. Earlier turns' claims still queued for their
    background completion are written first, so that they do not count as the request's writes."""
    from sqlalchemy import inspect, text

    await runtime.processed_activities.flush()
    database = runtime.database

    async with database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        contents = {}
        for name in sorted(names):
            if name == "alembic_version":
                continue
            rows = (await connection.execute(text(f'SELECT * FROM "{name}"'))).all()
            contents[name] = sorted((tuple(row) for row in rows), key=repr)
        return contents
