"""The statements of recording a value, of what is due and of the reads around them, built once:
building a statement and its cache key costs SQLAlchemy about as much as running it, and these
are the hot path of the due list and of an update turn."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import and_, bindparam, exists, func, insert, literal_column, or_, select, union_all, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.indicators.aggregation import Computation
from storage.indicators.tables import Indicator, IndicatorDirectorate, IndicatorValue
from storage.people import Directorate, Person


def entries_query(codes_filter):
    indicator = Indicator.__table__
    return (
        select(indicator, Directorate.id.label("linked_id"), Directorate.code.label("linked_code"))
        .outerjoin(IndicatorDirectorate, IndicatorDirectorate.indicator_id == indicator.c.id)
        .outerjoin(Directorate, Directorate.id == IndicatorDirectorate.directorate_id)
        .where(codes_filter)
        .order_by(indicator.c.id, Directorate.code)
    )


ENTRY_ONE = entries_query(Indicator.__table__.c.code == bindparam("code"))
ENTRIES = entries_query(Indicator.__table__.c.code.in_(bindparam("codes", expanding=True)))
TAKE_OVER_SLOT = (
    update(IndicatorValue.__table__)
    .where(IndicatorValue.__table__.c.current_key == bindparam("slot"))
    .values(current_key=None)
    .returning(IndicatorValue.__table__.c.id, IndicatorValue.__table__.c.value)
)
INSERT_VALUE = insert(IndicatorValue.__table__).returning(IndicatorValue.__table__.c.id)
VALUE_COLUMNS = (
    "indicator_id", "directorate_id", "period", "value", "comment", "entered_by_id", "entered_at",
    "previous_value_id", "previous_value", "current_key", "submission_key", "source_kind", "source_file",
    "source_import_id",
)
STILL_ALLOWED = (
    select(IndicatorDirectorate.__table__.c.indicator_id)
    .join(Indicator.__table__, Indicator.__table__.c.id == IndicatorDirectorate.__table__.c.indicator_id)
    .where(
        Indicator.__table__.c.id == bindparam("indicator_id"),
        Indicator.__table__.c.active.is_(True),
        Indicator.__table__.c.unit == bindparam("unit"),
        Indicator.__table__.c.frequency == bindparam("frequency"),
        IndicatorDirectorate.__table__.c.directorate_id == bindparam("directorate_id"),
    )
)
ROW_IF_STILL_ALLOWED = select(
    *(bindparam(name, type_=IndicatorValue.__table__.c[name].type) for name in VALUE_COLUMNS)
).where(exists(STILL_ALLOWED))
INSERT_VALUE_IF_STILL_ALLOWED = (
    insert(IndicatorValue.__table__)
    .from_select(VALUE_COLUMNS, ROW_IF_STILL_ALLOWED)
    .returning(IndicatorValue.__table__.c.id)
)


LINKED_ACTIVE = (
    select(Indicator.__table__.c.id, Indicator.__table__.c.code, Indicator.__table__.c.frequency, Directorate.id)
    .join(IndicatorDirectorate.__table__, IndicatorDirectorate.__table__.c.indicator_id == Indicator.__table__.c.id)
    .join(Directorate, Directorate.id == IndicatorDirectorate.__table__.c.directorate_id)
    .where(
        Directorate.code == bindparam("code"),
        Indicator.__table__.c.active.is_(True),
        Indicator.__table__.c.computation == Computation.REPORTED.value,
    )
)
ENTERED_KEYS = select(IndicatorValue.__table__.c.current_key).where(
    IndicatorValue.__table__.c.current_key.in_(bindparam("keys", expanding=True))
)

ANY_ACTIVE = select(Indicator.__table__.c.id).where(Indicator.__table__.c.active.is_(True)).limit(1)


def first_entry_inserts(dialect_insert) -> tuple:
    """The two inserts above (plain, guarded) that do nothing when the period already has a current
    value: a period's first value, the usual case, is then one statement instead of two."""
    table = IndicatorValue.__table__
    plain = dialect_insert(table).on_conflict_do_nothing(index_elements=[table.c.current_key]).returning(table.c.id)
    guarded = (
        dialect_insert(table)
        .from_select(VALUE_COLUMNS, ROW_IF_STILL_ALLOWED)
        .on_conflict_do_nothing(index_elements=[table.c.current_key])
        .returning(table.c.id)
    )
    return plain, guarded


FIRST_ENTRY_INSERTS = {
    "sqlite": first_entry_inserts(sqlite_insert),
    "postgresql": first_entry_inserts(postgresql_insert),
}


def value_rows_query(*conditions):
    """A value with its directorate's code and its author, oldest first."""
    return (
        select(IndicatorValue, Directorate.code, Person.id, Person.name, Person.email)
        .join(Directorate, Directorate.id == IndicatorValue.directorate_id)
        .join(Person, Person.id == IndicatorValue.entered_by_id)
        .where(*conditions)
        .order_by(IndicatorValue.entered_at, IndicatorValue.id)
    )


@lru_cache(maxsize=16)
def values_around_query(period_count: int):
    """The values around due items, in one statement: each candidate period's current value (`keys`,
    `found_as` 0) and, per indicator, the current value of the latest period before its candidate
    one (`found_as` 1), for candidates grouped by period (`ids_<i>` before `period_<i>`: period codes
    of one frequency sort chronologically as text, so MAX finds the latest whatever the history's
    length). Plain rows, named like `IndicatorValue`'s attributes, with `directorate_code`,
    `person_id`, `person_name` and `person_email`; one statement per number of distinct periods, so
    that SQLAlchemy builds and caches it once rather than per turn."""
    value = IndicatorValue.__table__
    directorate = Directorate.__table__
    person = Person.__table__

    def rows(found_as: int, *conditions):
        return (
            select(
                *value.c,
                directorate.c.code.label("directorate_code"),
                person.c.id.label("person_id"),
                person.c.name.label("person_name"),
                person.c.email.label("person_email"),
                literal_column(str(found_as)).label("found_as"),
            )
            .select_from(value)
            .join(directorate, directorate.c.id == value.c.directorate_id)
            .join(person, person.c.id == value.c.entered_by_id)
            .where(*conditions)
        )

    before = or_(
        *(
            and_(value.c.indicator_id.in_(bindparam(f"ids_{i}", expanding=True)), value.c.period < bindparam(f"period_{i}"))
            for i in range(period_count)
        )
    )
    of_directorate = (value.c.directorate_id == bindparam("directorate_id"), value.c.current_key.is_not(None))
    latest = (
        select(value.c.indicator_id, func.max(value.c.period).label("period"))
        .where(*of_directorate, before)
        .group_by(value.c.indicator_id)
        .subquery()
    )
    return union_all(
        rows(0, value.c.current_key.in_(bindparam("keys", expanding=True))),
        rows(1, *of_directorate, value.c.indicator_id == latest.c.indicator_id, value.c.period == latest.c.period),
    )


DIRECTORATE_BY_CODE = select(Directorate).where(Directorate.code == bindparam("code"))
INDICATORS = select(Indicator)
INDICATOR_ROWS = select(Indicator.__table__)
"""Plain rows, named like `Indicator`'s attributes: for views, which need no ORM objects."""
INDICATORS_BY_CODES = select(Indicator).where(Indicator.code.in_(bindparam("codes", expanding=True)))
INDICATORS_OF_DIRECTORATE = select(Indicator).where(
    Indicator.id.in_(
        select(IndicatorDirectorate.indicator_id).where(IndicatorDirectorate.directorate_id == bindparam("directorate_id"))
    )
)
INDICATOR_CODES = select(Indicator.code)
LINKS = (
    select(IndicatorDirectorate.indicator_id, Directorate.code)
    .join(Directorate, Directorate.id == IndicatorDirectorate.directorate_id)
    .order_by(Directorate.code)
)
LINKS_OF_INDICATORS = LINKS.where(IndicatorDirectorate.indicator_id.in_(bindparam("ids", expanding=True)))
