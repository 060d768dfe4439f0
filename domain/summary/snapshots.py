"""An `IndicatorSnapshot` built from the indicator repository's views, duck-typed on their
attribute names so that the summary's pure modules import no repository."""

from __future__ import annotations

from collections.abc import Iterable

from domain.indicators.aggregation import Computation
from domain.summary.model import IndicatorSnapshot, ReportedValue
from domain.text import one_line


def snapshot_from_views(indicator, values: Iterable) -> IndicatorSnapshot:
    """An `IndicatorSnapshot` from the indicator repository's `IndicatorView` and `ValueView`s.

    Duck-typed on their attribute names so that this pure module does not import the repository;
    replaced values (`is_current` false) are skipped: the summary reads current values only.
    """
    return IndicatorSnapshot(
        code=indicator.code,
        label=indicator.label,
        axis=indicator.axis,
        unit=indicator.unit,
        frequency=indicator.frequency,
        directorates=tuple(indicator.directorates),
        direction=indicator.improvement,
        baseline=indicator.baseline,
        target=indicator.target,
        target_year=indicator.target_year,
        values=tuple(
            ReportedValue(value.period, value.directorate_code, value.value, value.comment or "",
                          getattr(value, "source", None))
            for value in values
            if getattr(value, "is_current", True)
        ),
        aggregation=getattr(indicator, "aggregation", None),
        weighting_base=getattr(indicator, "weighting_base", None),
        computed=getattr(indicator, "computation", Computation.REPORTED) is not Computation.REPORTED,
        counted_noun=getattr(indicator, "counted_noun", ""),
        legal_limit=getattr(indicator, "legal_limit", None),
        legal_note=legal_note_of(indicator),
    )


def legal_note_of(indicator) -> str:
    """The catalogue's legal basis when it comes without a threshold (see `IndicatorSnapshot.legal_note`)."""
    if getattr(indicator, "legal_limit", None) is not None:
        return ""
    return one_line(getattr(indicator, "legal_basis", "") or "")
