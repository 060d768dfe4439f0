"""Questions tried in the Playground that are in no evaluation set, each with paraphrases of the
same cause: a scope question naming the SPASER, who reports in the asker's own directorate, an
axis named against an entry of the other axis, a neighbouring subject against an intent about one
indicator, a tax question, a missed objective, and a task done with the assistant itself."""

from __future__ import annotations

import pytest

from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


def entry_of(understander: Understander, question: str) -> tuple[Understood, str | None]:
    understood = understander.understand(question)
    return understood.kind, understood.answer.entry.id if understood.answer.entry else None


@pytest.mark.parametrize(
    "question",
    [
        "dites, le spaser ça concerne aussi les marchés de travaux ou que les fournitures ?",
        "le SPASER vaut aussi pour nos marchés de services ?",
        "est-ce que les travaux rentrent dans le schéma ou seulement les achats de fournitures",
        "notre spaser doit couvrir quels achats : travaux, fournitures, services ?",
    ],
)
def test_which_purchases_the_spaser_covers_is_its_scope_not_the_european_thresholds(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "perimetre-achats")


@pytest.mark.parametrize(
    "question",
    [
        "qui dans ma direction doit remplir le truc sur les repas bio",
        "qui doit saisir les heures d'insertion dans mon service ?",
        "qui dans ma direction doit renseigner les indicateurs",
        "qui est censé remplir les chiffres de ma direction ?",
    ],
)
def test_who_must_report_in_my_directorate_is_its_referent(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.INTENT and understood.intent.id == "directorate_referent"


@pytest.mark.parametrize(
    "question",
    [
        "est-ce que je peux mettre une clause sociale dans un marché de nettoyage",
        "je voudrais mettre une clause sociale dans le marché de nettoyage des écoles",
        "mettre une considération sociale dans le nettoyage des bureaux",
    ],
)
def test_the_axis_named_outweighs_an_everyday_word_of_the_other_axis_entry(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "clause-sociale")


@pytest.mark.parametrize(
    "question",
    [
        "vous pouvez m'expliquer comment on fait un avenant ?",
        "vous pouvez m'expliquer ce qu'est un avenant ?",
        "un avenant, vous pouvez m'expliquer ?",
        "expliquez-moi les avenants",
    ],
)
def test_a_neighbouring_subject_is_no_question_about_an_indicator_none_named(understander, question):
    assert entry_of(understander, question) == (Understood.OUT_OF_SCOPE, "hors-sujet-modification")


@pytest.mark.parametrize(
    "question",
    [
        "c'est quoi le taux de TVA sur les repas de cantine",
        "la TVA sur les repas bio de la cantine, c'est combien ?",
        "quel taux de TVA pour l'achat de véhicules électriques ?",
        "on récupère la TVA sur nos achats de fournitures ?",
    ],
)
def test_a_tax_question_is_out_of_scope_never_our_figure(understander, question):
    assert entry_of(understander, question) == (Understood.OUT_OF_SCOPE, "hors-sujet-fiscalite")


@pytest.mark.parametrize(
    "question",
    [
        "c'est grave si on n'atteint pas nos objectifs ?",
        "et si on n'atteint pas les cibles du schéma, on risque quoi ?",
        "que se passe-t-il si nos objectifs ne sont pas atteints ?",
        "on n'atteindra pas nos cibles en 2027, quelles conséquences ?",
    ],
)
def test_not_reaching_the_objectives_is_asked_of_its_consequences_not_the_reached_list(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "objectifs-non-atteints")


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("comment je fais pour ajouter un nouvel indicateur", "aide indicateurs"),
        ("comment on crée un indicateur dans le catalogue ?", "aide indicateurs"),
        ("où est-ce qu'on désactive un indicateur ?", "aide indicateurs"),
        ("comment ajouter une nouvelle direction ?", "aide organisation"),
        ("comment je fais pour planifier un copil", "aide comités"),
    ],
)
def test_how_to_do_a_task_with_the_assistant_is_its_help_section(understander, question, command):
    understood = understander.understand(question)
    assert (understood.kind, understood.command) == (Understood.INTENT, command)


@pytest.mark.parametrize(
    "question",
    ["le comité des fêtes se réunit quand ?", "le comité de quartier se réunit quand ?"],
)
def test_a_committee_of_the_town_other_than_the_spaser_s_is_no_meeting_of_ours(understander, question):
    understood = understander.understand(question)
    assert understood.intent is None or understood.intent.id not in {"next_meeting", "upcoming_meetings", "calendar"}
