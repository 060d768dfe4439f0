"""Phrases that frame a question (how long the answer should be, how it is put, hedges, advice asked,
what the asker had in mind) and name no subject: dropped before the search."""

from __future__ import annotations

FRAMING_PHRASES: tuple[str, ...] = (
    # How long or plain the answer should be: « en quelques lignes » is no « mise en ligne ».
    "en quelques lignes", "en deux lignes", "en quelques mots", "en deux mots", "en un mot",
    "en une phrase", "en bref", "en résumé", "pour résumer", "dans les grandes lignes",
    "grosso modo", "en clair", "en termes simples", "simplement", "en mode simple", "pour les nuls",
    # How the question is put: « je me demandais », « vous savez ? », « petite question », « l'adjoint me
    # demande si… » (asked on behalf of someone).
    "je me demandais", "je me demande", "je souhaiterais", "je voulais", "vous savez",
    "savez-vous", "auriez-vous", "me demande si", "me demandent si", "m'a demandé si", "m'ont demandé si", "à votre avis", "merci d'avance", "merci par avance",
    "petite question", "question bête", "depuis peu", "il y a peu", "en tant", "au sens",
    # Hedges and fillers: « du coup », « d'habitude », « en général », « bonne idée ? », « jamais
    # entendu parler de… » ask nothing of their own.
    "du coup", "d'habitude", "bonne idée", "entendu parler",
    "entendre parler", "entends parler", "par rapport à", "par rapport au", "par rapport aux", "sans rapport avec",
    # Advice asked for: « c'est recommandé ? », « que conseillez-vous ? » ask what to do, their words
    # name no subject (« recommandation » in « dans la loi ou juste une recommandation ? » does).
    "recommandez-vous", "conseillez-vous", "vous recommandez", "vous conseillez", "tu recommandes", "tu conseilles",
    "c’est recommandé", "c’est conseillé", "est-ce recommandé", "est-ce conseillé", "est-il recommandé",
    "est-il conseillé", "il est recommandé", "il est conseillé", "vous me recommandez", "vous me conseillez",
    # What the asker had in mind: « nous pensions faire un comité par mois » is no subject « penser ».
    "je pensais", "on pensait", "nous pensions", "je pense", "on pense", "nous pensons", "j'avais pensé", "on avait pensé",
)
"""Framing of the question, carrying no subject, whose words would otherwise match entries."""
