"""Phrases read as a whole: framing that names no subject, verbs whose particle carries the meaning."""

import pytest

from domain.knowledge import tokenize
from domain.knowledge.entries import Entry
from domain.knowledge.retrieval import KnowledgeBase


def _entry(entry_id: str, title: str, *questions: str) -> Entry:
    return Entry(id=entry_id, title=title, questions=questions, answer="Réponse.", source="test")


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Pouvez-vous m'expliquer en quelques lignes le SPASER ?", ["spaser"]),
        ("Je me demandais, vous savez à quoi sert le COPIL ?", ["sert", "copil"]),
        ("Petite question : le seuil, en deux mots ?", ["seuil"]),
        ("élue depuis peu, dans les grandes lignes, c'est quoi le schéma ?", ["elue", "schema"]),
        ("En tant qu'élue, une clause sociale au sens des DECP ?", ["elue", "clause", "sociale", "decp"]),
    ],
)
def test_framing_phrases_are_not_searched(question: str, expected: list[str]) -> None:
    assert tokenize(question, drop_framing=True) == expected


def test_framing_phrases_still_count_in_the_length_of_a_message() -> None:
    assert tokenize("en quelques lignes") == ["lignes"]


def test_a_framing_phrase_does_not_match_the_entry_sharing_its_word() -> None:
    base = KnowledgeBase(
        [
            _entry("publication", "Faut-il mettre le schéma en ligne ?", "Le schéma doit-il être publié en ligne ?"),
            _entry("definition", "Qu'est-ce que le schéma ?", "Le schéma, c'est quoi ?"),
        ]
    )
    assert base.answer("Le schéma, en quelques lignes ?").entry.id == "definition"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Que mettre dans le SPASER ?", ["inclure", "spaser"]),
        ("qu'est-ce qu'on met dedans", ["inclure"]),
        ("Ça tombe sous l'obligation ?", ["soumis", "obligation"]),
        ("Quelles grandes parties y mettre ?", ["grandes", "parties", "inclure"]),
        ("Par où commencer pour s'y mettre ?", ["commencer", "mettre"]),
        ("mettre en ligne le schéma", ["mettre", "ligne", "schema"]),
        ("ce qu'on met souvent dedans", ["inclure"]),
        ("les indicateurs qu'on met en général dans un schéma", ["indicateurs", "inclure", "schema"]),
    ],
)
def test_a_verb_whose_particle_carries_the_meaning_reads_as_that_meaning(question: str, expected: list[str]) -> None:
    assert tokenize(question) == expected


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Qu'est-ce qu'il faut mettre dans notre schéma ?", "contenu"),
        ("Une préfecture, ça tombe sous l'obligation d'adopter un schéma ?", "acheteurs-concernes"),
    ],
)
def test_particle_verbs_reach_the_entry_of_their_meaning(shipped: KnowledgeBase, question: str, entry_id: str) -> None:
    assert shipped.answer(question).entry.id == entry_id


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Vous auriez un modèle de schéma ?", ["modele", "schema"]),
        ("Comment font les autres communes ?", ["communes"]),
        ("Je viens d'arriver, quelqu'un peut m'aider ?", ["arriver", "aider"]),
        ("Lequel des deux seuils est le bon ?", ["deux", "seuils", "bon"]),
        ("jai jamais vu de COPIL", ["vu", "copil"]),
    ],
)
def test_auxiliaries_pronouns_and_jamais_are_not_searched(question: str, expected: list[str]) -> None:
    assert tokenize(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Il est périmé du coup ?", ["perime"]),
        ("Sur combien d'années on le fait d'habitude ?", ["combien", "annees"]),
        ("Consulter la CCI, bonne idée ?", ["consulter", "cci"]),
        ("DECP, jamais entendu parler", ["decp"]),
        ("Un COPIL par mois, c'est beaucoup par rapport à ailleurs ?", ["copil", "mois", "rythme", "beaucoup", "ailleurs"]),
    ],
)
def test_hedges_and_fillers_are_not_searched(question: str, expected: list[str]) -> None:
    assert tokenize(question, drop_framing=True) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Doit-on rendre le schéma public ?", ["doit", "publication", "schem"]),
        ("on rend les données publiques", ["publication", "don"]),
        ("On est dans le champ de l'obligation ?", ["concerne", "obligation"]),
        ("Que contient le champ des DECP ?", ["contenu", "champ", "decp"]),
        ("Un COPIL tous les mois, c'est trop ?", ["copil", "mois", "frequence", "trop"]),
        ("L2113-12, ça correspond à quoi ?", ["l211312", "correspondr"]),
        ("Qui est le correspondant SPASER ?", ["referent", "spaser"]),
        ("Notre syndicat mixte est-il concerné ?", ["collectivite", "concerne"]),
        ("Le maire de la mairie", ["elu", "collectivite"]),
        ("Une conseillère municipale déléguée", ["elu"]),
        ("Le document est fini avant la fin de l'année ?", ["docu", "termine", "avant", "fin", "anne"]),
        ("Un suivi, ou on le met dans un tiroir ?", ["suiv", "met"]),
        ("Le menu de la cantine aujourd'hui", ["menu", "restauration_collective"]),
    ],
)
def test_phrases_are_read_for_what_they_mean(question: str, expected: list[str]) -> None:
    from domain.knowledge import Analyzer

    assert Analyzer().terms(question) == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("nos propres agents", ["enpropre", "agents"]),
        ("des véhicules propres", ["vehicules", "propres"]),
        ("le bilan, son schéma, votre avis", ["bilan", "schema", "avis"]),
        ("nous étions en retard", ["retard"]),
        ("ce n'est plus le cas ?", []),
        ("un comité par mois", ["comite", "mois", "rythme"]),
        ("quels objectifs se donner", ["objectifs", "fixer"]),
        ("que se passe-t-il si on oublie", ["consequence", "oublie"]),
    ],
)
def test_set_phrases_read_as_a_whole(question: str, expected: list[str]) -> None:
    assert tokenize(question) == expected


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Qu'est-ce qui a bougé dans l'obligation depuis 2022 ?", "seuil-historique"),
        ("Que se passe-t-il si la collectivité n'a pas de schéma ?", "sanction"),
    ],
)
def test_everyday_wordings_of_a_change_and_a_consequence(shipped: KnowledgeBase, question: str, entry_id: str) -> None:
    assert shipped.answer(question).entry.id == entry_id


@pytest.mark.parametrize("question", ["c'est nécessaire ?", "est-ce indispensable ?"])
def test_a_need_reads_as_an_obligation(shipped: KnowledgeBase, question: str) -> None:
    assert set(shipped.query_terms(question)) == {"obligation"}
