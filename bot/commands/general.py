"""Commands everyone has: help, greetings, thanks, `qui suis-je`."""

from __future__ import annotations

import random

from bot.router import Command, CommandCall, GroupReply, Router
from dialogs.cards import card_message
from domain.cards import help_card, help_summary_line, help_topic_named
from domain.people import PersonView, Role
from domain.text import directorate_introduced, fold
from domain.understanding.cancel import cancel_request

GREETING_REPLIES = (
    "Bonjour ! Que puis-je faire pour vous ? Tapez « aide » pour voir ce que je sais faire.",
    "Bonjour ! Posez-moi une question sur le SPASER, ou tapez « aide ».",
)
NOTHING_TO_CANCEL = "Il n’y a rien en cours à annuler. Tapez « aide » pour voir ce que je sais faire."
THANKS_REPLIES = ("Avec plaisir !", "Je vous en prie, à bientôt !")
WISHES_REPLY = "Merci, à vous aussi !"
LEAVING_REPLY = "À bientôt !"
_TO_YOU = r"( (a (toi|vous|tous|toutes|tout le monde)|l'assistant))?( ?[!.]+)?$"
WISHES = (
    r"^(merci,? )?(bonne (journee|soiree|fin de journee|semaine|fin de semaine|nuit|continuation|fin d'annee)"
    rf"|bon (week[- ]?end|we|apres[- ]midi|dimanche|courage)){_TO_YOU}"
)
LEAVING = rf"^(au revoir|a (demain|bientot|plus|\+|lundi|la prochaine|tout a l'heure)|bye|ciao|salut,? a (demain|bientot)){_TO_YOU}"
"""« bonne journée ! », « bon week-end », « à demain »: a farewell, answered as one, never sent to the
lead as an unanswered question."""
HOW_ARE_YOU = r"((et )?(comment )?(ca|sa) va( bien)?( toi| vous)?|comment (vas|allez)[- ](tu|vous)|(tu vas|vous allez) bien)"
"""« salut, ça va ? », « comment allez-vous ? »: small talk, not a question to look up."""


def build_commands(router: Router, rng: random.Random | None = None) -> list[Command]:
    pick = (rng or random.Random()).choice

    async def show_help(call: CommandCall) -> None:
        commands = router.available_to(call.person)
        examples = [c.example for c in router.suggested_for(call.person, limit=5)]
        asked = fold(call.text).split("aide", 1)[-1] if "aide" in fold(call.text) else ""
        topic = help_topic_named(asked)
        role = call.person.role if call.person else None
        suggested = set(examples)
        commands = sorted(commands, key=lambda c: c.example not in suggested)  # each role's main tasks first
        content = help_card([(c.topic, c.help_for(call.person)) for c in commands], examples, role, topic)
        await call.turn_context.send_activity(card_message(content, "Aide de l’assistant du SPASER"))

    async def greet(call: CommandCall) -> None:
        await call.turn_context.send_activity(pick(GREETING_REPLIES))

    async def thank(call: CommandCall) -> None:
        await call.turn_context.send_activity(pick(THANKS_REPLIES))

    async def wish_back(call: CommandCall) -> None:
        await call.turn_context.send_activity(WISHES_REPLY)

    async def say_goodbye(call: CommandCall) -> None:
        await call.turn_context.send_activity(LEAVING_REPLY)

    async def nothing_to_cancel(call: CommandCall) -> None:
        await call.turn_context.send_activity(NOTHING_TO_CANCEL)

    async def who_am_i(call: CommandCall) -> None:
        person = call.person
        if person is None or person.role is None:
            await call.turn_context.send_activity(
                "Vous n’avez pas encore de rôle dans le SPASER. Vous pouvez me poser des questions ; "
                "pour suivre des indicateurs, demandez à la personne responsable du SPASER de vous enregistrer."
            )
            return
        await call.turn_context.send_activity(who_you_are(person))

    return [
        Command(
            "help",
            (
                r"^(aide|help|\?|menu|commandes?|que (sais|peux)[- ]tu faire( pour (moi|nous))?)$",
                r"^(de l')?aide\b",
                # « qu'est-ce que tu sais faire ? », « comment ça marche, ce truc ? »: the assistant itself
                r"^qu'est[- ]ce qu(e |')(tu (sais|peux)|vous (savez|pouvez)|je peux|on peut) faire( avec (toi|vous)| pour (moi|nous))?$",
                r"^comment (ca|sa) (marche|fonctionne),? ?(ce truc|ce bot|cet assistant|l'assistant|le bot|ici|avec (toi|vous))?$",
            ),
            show_help,
            intent="help",
            help_line="« aide » : ce sommaire ; « aide comités », « aide indicateurs » : une section en entier",
            help_line_for=lambda person: help_summary_line(
                [c.topic for c in router.available_to(person)], person.role if person else None
            ),
            in_groups=GroupReply.HERE,
        ),
        Command(
            "greeting",
            (
                r"^(bonjour|bonsoir|salut|hello|coucou|hey|bjr)( (a tous|l'assistant|spaser|!))?"
                rf"([ ,!]+{HOW_ARE_YOU})?$",
                rf"^{HOW_ARE_YOU}$",
            ),
            greet,
            in_groups=GroupReply.HERE,
        ),
        Command(
            "nothing_to_cancel",
            (),
            nothing_to_cancel,
            in_groups=GroupReply.HERE,
            intent="cancel_nothing",
            recognize=cancel_request,  # « bon ben, laisse béton », « non rien, oublie », « anule »
        ),
        Command("wishes", (WISHES,), wish_back, in_groups=GroupReply.HERE),
        Command("farewell", (LEAVING,), say_goodbye, in_groups=GroupReply.HERE),
        Command("thanks", (r"^(merci|thanks|super merci|merci beaucoup|parfait,? merci|top merci)\b.{0,20}$",), thank, in_groups=GroupReply.HERE),
        Command(
            "who_am_i",
            (r"\bqui suis[- ]je\b", r"\bquel est mon role\b", r"^mon role$"),
            who_am_i,
            intent="whoami",
            help_line="« qui suis-je ? » : votre rôle et votre direction",
            help_line_for=lambda person: (
                "« qui suis-je ? » : votre rôle et votre direction"
                if person is not None and person.directorate_code
                else "« qui suis-je ? » : votre rôle"
            ),
            example="qui suis-je ?",
            in_groups=GroupReply.HERE,
        ),
    ]


_WHAT_YOU_DO = {
    Role.LEAD: "Vous gérez les directions, les personnes, les indicateurs, les comités et les diffusions",
    Role.CONTRIBUTOR: "Vous renseignez les indicateurs SPASER {of_directorate}",
    Role.OFFICIAL: "Vous suivez l’avancement du SPASER et recevez sa synthèse",
}


def who_you_are(person: PersonView) -> str:
    """« Vous êtes Nadia Benali. Vous renseignez les indicateurs SPASER de la direction de la commande
    publique (DCP). » Said to one known person, a role noun with a point médian (« contributeur·rice »,
    « élu·e ou directeur·rice ») reads like a form left unticked (reader 10, B6): what they do says it.
    « responsable du SPASER » is the same for everyone, a label in apposition however many leads."""
    name = f"**{person.name or person.email}**"
    directorate = (
        f"la {directorate_introduced(person.directorate_code, person.directorate_name or '')}"
        if person.directorate_code
        else ""
    )
    if person.role is Role.CONTRIBUTOR:
        of_directorate = f"de {directorate}" if directorate else "de votre direction"
        return f"Vous êtes {name}. {_WHAT_YOU_DO[person.role].format(of_directorate=of_directorate)}."
    if person.role is Role.LEAD:
        where = f" à {directorate}" if directorate else ""
        return f"Vous êtes {name}, responsable du SPASER{where}. {_WHAT_YOU_DO[person.role]}."
    where = f", de {directorate}" if directorate else ""
    return f"Vous êtes {name}{where}. {_WHAT_YOU_DO[person.role]}."
