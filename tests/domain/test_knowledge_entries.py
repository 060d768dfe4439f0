"""Entry files: the format the SPASER lead edits, and the shipped content itself."""

from pathlib import Path

import pytest

from domain.knowledge import (
    DEFAULT_ENTRIES_PATH,
    Entry,
    EntryKind,
    KnowledgeBase,
    KnowledgeFileError,
    dump_entry,
    load_entries,
    parse_entry,
)

VALID = """---
id: seuil
title: Qui doit adopter un SPASER ?
source: Rencontre : « le SPASER » ; décret n° 2022-767
questions:
- Qui est concerné ?
- À partir de quel montant ?
---
Tout acheteur au-dessus de
50 M€ HT.

- premier point
- second point
"""


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


def test_parse_entry_reads_every_field_and_keeps_colons_in_values() -> None:
    entry = parse_entry(VALID, "seuil.md")
    assert entry.id == "seuil"
    assert entry.title == "Qui doit adopter un SPASER ?"
    assert entry.source == "Rencontre : « le SPASER » ; décret n° 2022-767"
    assert entry.questions == ("Qui est concerné ?", "À partir de quel montant ?")
    assert entry.kind is EntryKind.REFERENCE


def test_parse_entry_unwraps_paragraphs_but_keeps_list_items() -> None:
    entry = parse_entry(VALID, "seuil.md")
    assert entry.answer == "Tout acheteur au-dessus de 50 M€ HT.\n\n- premier point\n- second point"


def test_dump_entry_round_trips_through_parse_entry() -> None:
    entry = Entry(
        id="reponse-1",
        title="Qui valide le SPASER chez nous ?",
        questions=("Qui valide le SPASER ?",),
        answer="Le conseil communautaire.",
        source="Réponse de la responsable SPASER, 3 mars 2026",
        kind=EntryKind.LEAD,
    )
    assert parse_entry(dump_entry(entry), "reponse-1.md") == entry


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("id: x\n", "doit commencer par « --- »"),
        ("---\nid: x\ntitle: T\n", "n’est pas refermé"),
        ("---\nid: x\ntitre: T\nsource: S\n---\nR", "« titre: T » n’est pas compris"),
        ("---\nid: x\ntitle: T\n---\nR", "« source » est obligatoire"),
        ("---\nid: x\ntitle: T\nsource: S\n---\n   \n", "la réponse (après l’en-tête) est vide"),
        ("---\nid: x\ntitle: T\nsource: S\n- Q ?\n---\nR", "doit suivre « `questions:` »"),
        ("---\nid: x\nid: y\ntitle: T\nsource: S\n---\nR", "en double"),
        ("---\nid: Mauvais Id\ntitle: T\nsource: S\n---\nR", "Identifiant de fiche invalide"),
        ("---\nid: x\ntitle: T\nsource: S\nkind: autre\n---\nR", "type de fiche inconnu"),
        ("---\nid: x\ntitle: T\nsource: S\nquestions: Q ?\n---\nR", "sur sa propre ligne"),
    ],
)
def test_parse_entry_rejects_malformed_files_with_a_french_message(
    text: str, message_part: str
) -> None:
    with pytest.raises(KnowledgeFileError) as error:
        parse_entry(text, "fiche.md")
    assert message_part in str(error.value)
    assert "fiche.md" in str(error.value)


def test_load_entries_rejects_duplicate_ids_naming_both_files(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.md").write_text(VALID, encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match="déjà utilisé par a.md"):
        load_entries(tmp_path)


def test_load_entries_reports_a_missing_directory_in_french(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeFileError, match="introuvable"):
        load_entries(tmp_path / "absent")


def test_shipped_entries_cover_the_sources_and_the_neighbouring_subjects_sourced_and_concise() -> None:
    entries = load_entries(DEFAULT_ENTRIES_PATH)
    out_of_scope = [entry for entry in entries if entry.kind is EntryKind.OUT_OF_SCOPE]
    assert 35 <= len(entries) - len(out_of_scope) <= 70
    assert len(out_of_scope) >= 15
    for entry in entries:
        assert entry.source.strip(), entry.id
        assert len(entry.questions) >= 2, entry.id
        assert 80 <= len(entry.answer) <= 900, entry.id


def test_uncertain_facts_are_flagged_as_uncertain_in_the_answers(shipped: KnowledgeBase) -> None:
    assert "⚠" in shipped.get("sanction").answer
    assert "⚠" in shipped.get("publication").answer
    assert "Légifrance" in shipped.get("publication").answer


def test_missing_parts_of_the_founding_text_are_said_not_invented(shipped: KnowledgeBase) -> None:
    assert "manque dans notre source" in shipped.get("parties-prenantes").answer
    assert "ne figure pas dans notre source" in shipped.get("amo").answer


# Every fact of the founding text and of the reference facts, asked in a user's words: the
# answer must come from the knowledge base and contain the fact.
FACTS = [
    ("c'est quoi un spaser", "socialement et écologiquement responsables"),
    ("qui est obligé d'adopter un spaser", "50 millions d'euros HT"),
    ("faut-il une AMO ou nos compétences internes", "dispose des données"),
    ("combien de temps faut-il pour faire le spaser", "entre 6 mois et 2 ans"),
    ("les parties prenantes", "parties prenantes"),
    ("quand associer les élu·es", "le plus en amont possible"),
    ("pourquoi associer les élus tôt", "orientations politiques"),
    ("les élus sont-ils au COPIL", "comité"),
    ("quelles données montrer aux élus", "qualitatives"),
    ("combien de fois réunir les élus par an", "1 à 2 fois par an"),
    ("combien de fois réunir les directions par an", "3 à 4 fois par an"),
    ("faut-il de nouveaux indicateurs", "existaient déjà avant le SPASER"),
    ("combien d'indicateurs au maximum", "une trentaine"),
    ("base légale du spaser", "L2111-3"),
    ("quelle loi a créé le spaser", "n° 2014-856"),
    ("volet écologique transition énergétique", "n° 2015-992"),
    ("le seuil était de 100 millions avant", "décret n° 2022-767 du 2 mai 2022"),
    ("depuis quand le seuil est à 50 millions", "1er janvier 2023"),
    ("article D2111-3", "D2111-3"),
    ("loi industrie verte", "n° 2023-973"),
    ("le spaser doit-il être publié", "rendu public"),
    ("le spaser doit-il être publié", "en nombre de contrats ou en valeur"),
    ("que change 2026 pour les marchés", "L2152-7"),
    ("combien d'acheteurs ont adopté un spaser", "32 %"),
    ("sanction si pas de spaser", "ne s'accordent pas"),
    ("objectifs du PNAD", "30 %"),
    ("spaser de l'état", "10 décembre 2025"),
    ("taux national de clauses sociales OECP", "22,3 %"),
    ("exemples d'indicateurs", "heures d'insertion"),
    ("axes d'un spaser", "gouvernance et suivi"),
    ("c'est quoi une clause d'insertion", "clause d'insertion"),
    ("c'est quoi le COTECH", "comité technique"),
    ("rôle du référent achats responsables", "référent"),
]


@pytest.mark.parametrize(("question", "fact"), FACTS)
def test_every_fact_comes_back_for_a_user_question(
    shipped: KnowledgeBase, question: str, fact: str
) -> None:
    answer = shipped.answer(question)
    assert answer.entry is not None, question
    assert _plain(fact) in _plain(answer.entry.answer), (question, answer.entry.id)


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
