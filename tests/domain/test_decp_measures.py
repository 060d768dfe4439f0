"""The SPASER measures computed from contracts, against figures computed by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.decp.measures import ContractFacts, period_figures
from domain.decp.report import missing_environmental_text
from domain.indicators.aggregation import Computation
from domain.indicators.periods import Frequency

TODAY = date(2026, 11, 30)
# 2025-T1: four contracts, 630 000 € (social: 100 000 + 50 000 + 120 000; environmental: 360 000 + 50 000;
# reserved: 50 000). 2025-T2: two, 240 000 € (social 200 000, environmental 40 000). 2025-T3: one
# environmental, 80 000 €. 2025-T4 to 2026-T2: none. 2026-T3: one social, 45 000 €.
FACTS = [
    ContractFacts(date(2025, 1, 15), Decimal(100000), social=True, environmental=False, reserved=False),
    ContractFacts(date(2025, 2, 10), Decimal(360000), social=False, environmental=True, reserved=False),
    ContractFacts(date(2025, 3, 20), Decimal(50000), social=True, environmental=True, reserved=True),
    ContractFacts(date(2025, 2, 28), Decimal(120000), social=True, environmental=False, reserved=False),
    ContractFacts(date(2025, 5, 5), Decimal(200000), social=True, environmental=False, reserved=False),
    ContractFacts(date(2025, 5, 20), Decimal(40000), social=False, environmental=True, reserved=False),
    ContractFacts(date(2025, 8, 15), Decimal(80000), social=False, environmental=True, reserved=False),
    ContractFacts(date(2026, 9, 10), Decimal(45000), social=True, environmental=False, reserved=False),
    ContractFacts(date(2026, 10, 5), Decimal("45000.50"), social=False, environmental=False, reserved=False),
]


def values(computation: Computation, frequency: Frequency = Frequency.QUARTERLY) -> dict[str, Decimal | None]:
    return {f.period.code: f.value for f in period_figures(computation, frequency, FACTS, TODAY)}


def test_shares_in_number_per_quarter_with_no_value_for_a_quarter_without_contract():
    assert values(Computation.DECP_SOCIAL_COUNT) == {
        "2025-T1": Decimal("75.0"), "2025-T2": Decimal("50.0"), "2025-T3": Decimal("0.0"), "2025-T4": None,
        "2026-T1": None, "2026-T2": None, "2026-T3": Decimal("100.0"),
    }, "2026-T4 has not ended on 30 November 2026"
    assert values(Computation.DECP_ENVIRONMENTAL_COUNT)["2025-T1"] == Decimal("50.0")
    assert values(Computation.DECP_ENVIRONMENTAL_COUNT)["2026-T3"] == Decimal("0.0")


def test_shares_in_value_are_rounded_to_a_tenth():
    social = values(Computation.DECP_SOCIAL_AMOUNT)
    assert (social["2025-T1"], social["2025-T2"]) == (Decimal("42.9"), Decimal("83.3"))  # 270/630, 200/240
    environmental = values(Computation.DECP_ENVIRONMENTAL_AMOUNT)
    assert (environmental["2025-T1"], environmental["2025-T2"]) == (Decimal("65.1"), Decimal("16.7"))  # 410/630, 40/240


def test_reserved_contracts_in_number_and_value_with_the_counts_behind():
    count = period_figures(Computation.DECP_RESERVED_COUNT, Frequency.QUARTERLY, FACTS, TODAY)
    first = count[0]
    assert (first.period.code, first.contracts, first.matching, first.amount, first.value) == (
        "2025-T1", 4, 1, Decimal(630000), Decimal(1)
    )
    assert values(Computation.DECP_RESERVED_AMOUNT)["2025-T1"] == Decimal(50000)
    assert values(Computation.DECP_RESERVED_AMOUNT)["2025-T2"] == Decimal(0), "contracts, none reserved: a real 0"


def test_other_frequencies_group_the_same_contracts():
    assert values(Computation.DECP_SOCIAL_COUNT, Frequency.ANNUAL) == {"2025": Decimal("57.1")}  # 4 of 7
    assert values(Computation.DECP_SOCIAL_COUNT, Frequency.HALF_YEARLY) == {
        "2025-S1": Decimal("66.7"), "2025-S2": Decimal("0.0"), "2026-S1": None,
    }  # 4 of 6, 0 of 1; 2026-S2 not ended


def test_no_contract_at_all_gives_no_period():
    assert period_figures(Computation.DECP_SOCIAL_COUNT, Frequency.QUARTERLY, [], TODAY) == []


def test_a_computed_indicator_is_the_organisation_s_value_reported_by_one_directorate():
    from domain.indicators.catalogue import InvalidCatalogueRow, build_catalogue_row
    from tests.catalogue_support import row_with

    row = build_catalogue_row(row_with(calcul="decp:part-sociale-nombre", directions="DCP"))
    assert row.computation is Computation.DECP_SOCIAL_COUNT
    try:
        build_catalogue_row(row_with(calcul="decp:part-sociale-nombre", directions="DCP|DRH"))
    except InvalidCatalogueRow as refused:
        assert [p.column for p in refused.problems] == ["directions"]
        assert "une seule direction" in refused.problems[0].message
    else:
        raise AssertionError("two directorates for a computed indicator were accepted")


def test_each_computed_figure_says_what_it_was_computed_from_in_its_own_measure():
    """Issue 17: IND-26, an amount, read « 3 marchés réservés sur 85 marchés notifiés » as its source;
    reader 3: still « (3 marchés réservés sur 85) » after its amounts."""
    from domain.decp.measures import in_value
    from domain.decp.report import behind

    said = {}
    for computation in Computation:
        if computation is Computation.REPORTED:
            continue
        first = period_figures(computation, Frequency.QUARTERLY, FACTS, TODAY)[0]
        said[computation] = behind(computation, first).replace("\u00a0", " ").replace("\u202f", " ")
        assert ("(montants HT)" in said[computation]) == in_value(computation), said[computation]
        # Reader 4, C32: « 260 100 € HT » in the report, « 260 100 € » as the value everywhere else.
        assert "€ HT" not in said[computation], said[computation]
    assert said[Computation.DECP_RESERVED_AMOUNT] == (
        "50 000 € de marchés réservés, sur 630 000 € de marchés notifiés au total (montants HT)"
    )
    assert said[Computation.DECP_RESERVED_COUNT] == "1 marché réservé sur 4 marchés notifiés"
    assert said[Computation.DECP_SOCIAL_AMOUNT] == "270 000 € sur 630 000 € de marchés notifiés (montants HT)"
    assert said[Computation.DECP_SOCIAL_COUNT] == "3 sur 4 marchés notifiés"


def test_the_environmental_obligation_starts_on_the_day_the_decree_set():
    """Décret n° 2022-767, art. 13: in force on 21 August 2026 for consultations engaged from that day
    (22 August, the law's five years, was said before)."""
    assert "à partir du vendredi 21\u00a0août\u00a02026" in missing_environmental_text([], 0)
