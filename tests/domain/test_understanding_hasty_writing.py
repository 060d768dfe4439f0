"""Messages written in haste, as newcomers text them: clipped words of the trade (« presta »,
« consid enviro »), colloquial turns (« à la base », « on est dedans ? »), « c quoi ce sigle »,
a question followed by why it is asked, a data request typed as a command. Each cause with
paraphrases of our own, in no evaluation set."""

from __future__ import annotations

import pytest

from domain.knowledge.normalize import tokenize
from domain.knowledge.texting import spelled_out
from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


def entry_of(understander: Understander, question: str) -> tuple[Understood, str | None]:
    understood = understander.understand(question)
    return understood.kind, understood.answer.entry.id if understood.answer.entry else None


def request_of(understander: Understander, question: str) -> tuple[str | None, str | None]:
    understood = understander.understand(question)
    return (understood.intent.id if understood.intent else None), understood.command


def test_texted_words_are_spelled_out_once_and_alone() -> None:
    assert spelled_out("cb de copil qd on est une presta ?") == "combien de copil quand on est une prestataire ?"
    assert spelled_out(spelled_out("consid enviro")) == "considération environnementale"
    assert spelled_out("l'ex-DGS et le dossier ex-ante") == "l'ex-DGS et le dossier ex-ante"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("presta exterieur ou pas pour le spaser ?", "amo"),
        ("un presta peut écrire notre schéma à notre place ?", "amo"),
        ("clause ecolo obligatoire ?", "obligations-2026"),
        ("clauses enviro, on en met partout ?", "clause-ou-critere"),
    ],
)
def test_clipped_words_of_the_trade_are_read_as_written(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("le spaser ça date de quand à la base", "historique-lois"),
        ("faut mettre les élus dans la boucle dès le départ ?", "elus"),
        ("la métropole est dedans ou pas pour le spaser ?", "acheteurs-concernes"),
        ("notre syndicat mixte est dedans ?", "acheteurs-concernes"),
    ],
)
def test_colloquial_turns_mean_what_they_say_not_their_words(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("scope 3 et spaser ?", "ges-achats"),
        ("régie de quartier et spaser ?", "achats-ess"),
        ("les ministères sont exemptés du spaser ?", "acheteurs-concernes"),
        ("les hôpitaux sont-ils dispensés de spaser ?", "acheteurs-concernes"),
    ],
)
def test_everyday_names_of_a_subject_are_in_the_lexicon(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("OECP ? c quoi ce sigle, je l'ai vu dans une note", "niveaux-nationaux"),
        ("copil : c quoi ce sigle exactement", "copil"),
        ("le dgs m'a parlé du pnad hier, en 3 lignes c quoi ?", "pnad"),
        ("on m'a cité les decp en réunion, en deux mots c koi ?", "decp"),
    ],
)
def test_c_quoi_asks_what_the_subject_named_elsewhere_is(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("c quoi ce PNAD dont parle la circulaire ?", "pnad"),
        ("c'est quoi cette OECP que le DGS cite tout le temps ?", "niveaux-nationaux"),
        ("c quoi les DECP qu'on doit publier en copil", "decp"),
    ],
)
def test_c_quoi_asks_what_the_subject_right_after_it_is_whatever_its_relative_clause_names(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("c'est quelle loi qui a créé le spaser ? la DGS me le demande pour sa note", "historique-lois"),
        ("un marché réservé c'est quoi exactement ? on en parle beaucoup en commission", "marche-reserve"),
        ("le PNAD c'est quoi ? je prépare une note pour l'adjointe", "pnad"),
        ("c quoi le cotech ? ma cheffe m'y envoie jeudi", "cotech"),
    ],
)
def test_a_question_followed_by_why_it_is_asked_is_answered_as_asked(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("indicateur carbone des achats : source et méthode stp", "définition de IND-07"),
        ("indicateur heures d'insertion : la source ?", "définition de IND-03"),
        ("saisir la valeur de l'IND-09", "mettre à jour mes indicateurs"),
        ("renseigner la valeur de l'ind 12", "mettre à jour mes indicateurs"),
    ],
)
def test_an_indicator_asked_in_telegraphic_style(understander, question, command):
    assert request_of(understander, question)[1] == command


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("abonnement aux copil et cotech", "mon agenda"),
        ("on a quoi comme réunions d'ici l'été ?", "lister les comités"),
        ("quoi comme comités d'ici décembre ?", "lister les comités"),
        ("on a quoi comme copil cette année ?", "lister les copil cette année"),
    ],
)
def test_the_committees_agenda_and_those_ahead(understander, question, command):
    assert request_of(understander, question)[1] == command


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("qui remplit les indicateurs pour la restauration ?", "personnes référentes de la direction DRC"),
        ("c'est qui le référent de la restauration ?", "personnes référentes de la direction DRC"),
        ("les indicateurs en retard pour la restauration", "indicateurs en retard direction DRC"),
        ("la restauration a tout rempli ?", "indicateurs en retard direction DRC"),
    ],
)
def test_a_directorate_named_by_the_first_word_of_its_name(understander, question, command):
    assert request_of(understander, question)[1] == command


@pytest.mark.parametrize(
    "question",
    [
        "je dois appeler la personne qui pilote le spaser, c'est qui ?",
        "j'dois écrire au chef de projet spaser, c qui ?",
        "je dois voir le pilote du spaser, qui est-ce ?",
    ],
)
def test_my_own_need_to_reach_the_lead_asks_who_the_lead_is(understander, question):
    assert request_of(understander, question) == ("who_is_lead", "responsable SPASER")


@pytest.mark.parametrize(
    "question",
    [
        "on est pas obligés de réunir le cotech tous les mois quand même ?",
        "des copil tous les semestres, c'est obligatoire quand même ?",
        "le comité technique se réunit tous les mois quand même ?",
        "un copil par an, c'est suffisant quand même ?",
    ],
)
def test_quand_meme_asks_no_date(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "comitologie")


@pytest.mark.parametrize(
    "question",
    [
        "mise à jour des indicateurs : tous les ans ?",
        "mise à jour des indicateurs : une fois par an ?",
        "mise à jour des indicateurs : chaque trimestre ?",
    ],
)
def test_indicators_in_the_plural_ask_nothing_of_one_indicator(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE, (understood.kind, understood.intent)


@pytest.mark.parametrize(
    "question",
    [
        "une voiture électrique, ça coûte combien de plus ?",
        "combien coûte un véhicule électrique pour la flotte ?",
        "délai de paiement : c quoi la règle actuelle ?",
    ],
)
def test_a_norm_or_a_price_on_an_indicator_subject_is_not_its_figure(understander, question):
    assert understander.understand(question).kind is not Understood.INTENT


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("suivi par famille d'achats : véhicules, repas, papier. possible dans le schéma ?", "categories-achats"),
        ("les élus ne sont pas dans la boucle, c'est grave ?", "elus"),
        ("on organise le schéma par thème ou par direction ?", "structure"),
        ("les decp de notre ville, on les choppe où ?", "decp-acces"),
    ],
)
def test_a_last_sentence_naming_the_spaser_as_a_place_and_everyday_words(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("je dois faire une présentation à des élus, tu peux m'expliquer le pnad simplement ?", "pnad"),
        ("j'écris une note pour la DGS : explique-moi le spaser en mode simple", "definition"),
        ("pour ma note au maire, expliquez-moi les DECP svp", "decp"),
    ],
)
def test_explain_me_asks_what_the_subject_named_right_after_is(understander, question, entry):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, entry)


@pytest.mark.parametrize(
    "question",
    [
        "intérêts moratoires : c'est quoi le taux actuel ?",
        "intérêts moratoires : le taux actuel c'est quoi ?",
        "avance forfaitaire : c quoi le taux actuel ?",
        "pénalités de retard : c quoi le taux actuel ?",
    ],
)
def test_a_neighbouring_subject_keeps_its_last_clause_that_names_no_spaser_term(understander, question):
    assert understander.understand(question).kind in (Understood.OUT_OF_SCOPE, Understood.UNKNOWN)


@pytest.mark.parametrize(
    "question",
    [
        "le correspondant spaser de la DSI, il fait quoi exactement ?",
        "la référente achats responsables, elle fait quoi au juste ?",
        "notre référente spaser, elle fait quoi de ses journées ?",
    ],
)
def test_il_fait_quoi_asks_the_role_of_whom_it_names(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "referent")


@pytest.mark.parametrize(
    "question",
    [
        "si on n'atteint pas la cible bio, ça donne quoi ?",
        "si les clauses sociales ne sont pas au niveau prévu, il se passe quoi ?",
        "si on ne tient pas la cible de clauses sociales, il se passe quoi ?",
        "si on rate l'objectif de véhicules propres, ça donne quoi ?",
    ],
)
def test_ca_donne_quoi_after_a_condition_asks_its_consequence(understander, question):
    assert entry_of(understander, question) == (Understood.KNOWLEDGE, "objectifs-non-atteints")


@pytest.mark.parametrize(
    "question",
    [
        "les pénalités de retard, il se passe quoi ?",
        "le nouveau CCAG, ça donne quoi ?",
        "la révision des prix, ça donne quoi ?",
    ],
)
def test_ca_donne_quoi_with_no_condition_asks_no_consequence(understander, question):
    assert understander.understand(question).kind is Understood.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "question",
    [
        "on est à 20 % de clauses sociales, c'est bien par rapport aux autres ?",
        "par rapport au national, on se situe où ?",
        "nos achats bio par rapport aux voisins ?",
    ],
)
def test_par_rapport_a_compares_and_names_no_report(question):
    assert not {"rapport", "rapports"} & set(tokenize(question, drop_framing=True))
