"""Reading DECP files in every shape buyers publish: what is kept for the body, what is refused and why."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest

from domain.decp.contracts import RefusalReason
from domain.decp.reader import DecpFileError, looks_like_decp_csv, read_decp, read_decp_file
from tests.paths import DATA

DECP = DATA / "decp"
BODY = ("21990000100015", "21990000200013")
TODAY = date(2026, 11, 30)


def parse(text: str, name: str = "decp.json", sirets=BODY):
    return read_decp(io.BytesIO(text.encode("utf-8")), name, sirets, TODAY)


def test_nested_shape_keeps_the_body_contracts_and_says_why_each_other_record_was_refused():
    parsed = read_decp_file(DECP / "nested.json", BODY, TODAY)
    assert parsed.records == 11
    assert sorted(c.contract_id for c in parsed.contracts.values()) == ["2025-001", "2025-002", "2025-003", "2025-005"]
    assert parsed.refused_counts == {
        RefusalReason.OTHER_BUYER: 1,
        RefusalReason.BEFORE_2024: 1,
        RefusalReason.BAD_DATE: 1,
        RefusalReason.BAD_ID: 1,
        RefusalReason.BAD_AMOUNT: 1,
        RefusalReason.UNKNOWN_CONSIDERATION: 1,
        RefusalReason.CONCESSION: 1,
    }
    by_reason = {r.reason: r for r in parsed.refused}
    assert by_reason[RefusalReason.OTHER_BUYER].reference == "marché n° 4"
    assert by_reason[RefusalReason.UNKNOWN_CONSIDERATION].detail == "« Clause socialle »"
    assert by_reason[RefusalReason.BAD_AMOUNT].detail == "« beaucoup »"
    reserved = next(c for c in parsed.contracts.values() if c.contract_id == "2025-003")
    assert reserved.buyer_siret == "21990000200013" and reserved.is_reserved and reserved.has_social
    assert reserved.environmental == ("Critère environnemental",)
    catering = next(c for c in parsed.contracts.values() if c.contract_id == "2025-005")
    assert catering.notified_on == date(2025, 5, 5) and catering.amount == Decimal("200000.00")
    assert catering.social == ("Critère social",) and catering.environmental == ()


def test_flat_lists_and_a_modification_give_the_latest_amount():
    parsed = read_decp_file(DECP / "flat.json", BODY, TODAY)
    contracts = {c.contract_id: c for c in parsed.contracts.values()}
    assert contracts["2025-002"].amount == Decimal("360000.00") and contracts["2025-002"].modification_count == 1
    assert contracts["2025-011"].social == () and contracts["2025-011"].environmental == ("Clause environnementale",)
    assert not parsed.refused_counts


def test_a_single_object_instead_of_a_list_is_one_contract():
    parsed = read_decp_file(DECP / "single.json", BODY, TODAY)
    (contract,) = parsed.contracts.values()
    assert (contract.contract_id, contract.social, contract.environmental) == ("2026-101", ("Clause sociale",), ())


def test_consolidated_csv_merges_one_row_per_holder_and_reads_joined_values():
    parsed = read_decp_file(DECP / "consolidated.csv", BODY, TODAY)
    contracts = {c.contract_id: c for c in parsed.contracts.values()}
    assert sorted(contracts) == ["2025-012", "2025-013", "2026-102"]
    assert parsed.merged == 1, "the second holder's row is the same contract"
    assert contracts["2025-012"].social == ("Critère social", "Clause sociale") and contracts["2025-012"].environmental == ()
    assert contracts["2025-013"].social == () and contracts["2025-013"].environmental == ("Critère environnemental",)
    assert contracts["2026-102"].amount == Decimal("45000.50") and contracts["2026-102"].environmental == ()
    assert parsed.refused_counts == {
        RefusalReason.OTHER_BUYER: 1,
        RefusalReason.BEFORE_2024: 1,
        RefusalReason.CONTRADICTORY: 1,
        RefusalReason.UNREADABLE: 1,
    }
    unreadable = next(r for r in parsed.refused if r.reason is RefusalReason.UNREADABLE)
    assert unreadable.reference == "ligne 8" and unreadable.detail == "5 colonnes au lieu de 13"


def test_a_contract_republished_in_one_file_counts_once_at_its_latest_state():
    base = {"id": "X1", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 100,
            "considerationsSociales": [], "considerationsEnvironnementales": []}
    later = {**base, "modifications": [{"id": 1, "dateNotificationModification": "2025-03-01", "montant": 150}]}
    for order in ([later, base], [base, later]):
        parsed = parse(json.dumps({"marches": {"marche": order}}))
        assert [c.amount for c in parsed.contracts.values()] == [Decimal("150.00")] and parsed.merged == 1


def test_the_latest_notified_modification_gives_the_amount_not_the_last_one_listed():
    """Format 2024: `modification.montant` is the new total; files do not always list modifications in order."""
    record = {"id": "X2", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 100,
              "considerationsSociales": [], "considerationsEnvironnementales": [],
              "modifications": [{"modification": {"id": 2, "dateNotificationModification": "2025-06-01", "montant": 130}},
                                {"modification": {"id": 1, "dateNotificationModification": "2025-03-01", "montant": 110}},
                                {"modification": {"id": 3, "dateNotificationModification": "2025-07-01", "dureeMois": 24}}]}
    parsed = parse(json.dumps({"marches": {"marche": [record]}}))
    assert [(c.amount, c.modification_count) for c in parsed.contracts.values()] == [(Decimal("130.00"), 3)]


@pytest.mark.parametrize(
    "document",
    [
        [{"id": "L1", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 1,
          "considerationsSociales": [], "considerationsEnvironnementales": []}],
        {"id": "L1", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 1,
         "considerationsSociales": [], "considerationsEnvironnementales": []},
        {"marches": [{"_type": "Marché", "id": "L1", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10",
                      "montant": 1, "considerationsSociales": [], "considerationsEnvironnementales": []},
                     {"_type": "Contrat de concession", "id": "C1"}]},
    ],
    ids=["top-level list", "one contract alone", "format 2019 list"],
)
def test_other_json_shapes_are_read(document):
    parsed = parse("\ufeff" + json.dumps(document))
    assert [c.contract_id for c in parsed.contracts.values()] == ["L1"]


def test_a_2024_contract_without_considerations_and_a_future_one_are_refused():
    records = [
        {"id": "A", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 1},
        {"id": "B", "acheteur": {"id": BODY[0]}, "dateNotification": "2027-01-10", "montant": 1,
         "considerationsSociales": [], "considerationsEnvironnementales": []},
    ]
    parsed = parse(json.dumps({"marches": {"marche": records}}))
    assert parsed.refused_counts == {RefusalReason.NO_CONSIDERATIONS: 1, RefusalReason.FUTURE_DATE: 1}


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ('{"marches": {"marche": [{"id": "1", ', "decp.json", "n’est pas un JSON valide (fichier tronqué)"),
        ('{"marches": {"marche": []}}', "decp.json", "ne contient aucun marché"),
        ("id;objet\n1;x\n", "decp.csv", "dateNotification, montant, acheteur_id manquantes"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(text, name, expected):
    with pytest.raises(DecpFileError) as refused:
        parse(text, name)
    assert expected in refused.value.message


def test_a_csv_that_is_not_utf8_is_refused_in_french():
    data = "id;dateNotification;montant;acheteur_id\n1;2025-01-01;10;21990000100015;é\n".encode("cp1252")
    with pytest.raises(DecpFileError, match="UTF-8"):
        read_decp(io.BytesIO(data), "decp.csv", BODY, TODAY)


def test_a_decp_csv_header_is_told_from_the_catalogue_one():
    assert looks_like_decp_csv((DECP / "consolidated.csv").read_bytes()[:200])
    assert not looks_like_decp_csv("code;libelle;axe;unite;directions;frequence\n".encode())


def test_memory_stays_bounded_by_one_record(monkeypatch):
    """A record far larger than a contract is refused without being built."""
    import domain.decp.reader as reader

    monkeypatch.setattr(reader, "MAX_RECORD_EVENTS", 50)
    huge = {"id": "H", "acheteur": {"id": BODY[0]}, "titulaires": [{"id": str(n)} for n in range(100)]}
    small = {"id": "S", "acheteur": {"id": BODY[0]}, "dateNotification": "2025-01-10", "montant": 1,
             "considerationsSociales": [], "considerationsEnvironnementales": []}
    parsed = parse(json.dumps({"marches": {"marche": [huge, small]}}))
    assert [c.contract_id for c in parsed.contracts.values()] == ["S"]
    assert parsed.refused[0].detail == "marché trop volumineux"
