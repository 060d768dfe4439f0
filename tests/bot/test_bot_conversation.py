"""The real bot through botbuilder's TestAdapter with Teams-shaped activities."""

from __future__ import annotations

from botbuilder.schema import ChannelAccount, Entity, Mention
from sqlalchemy import event

from domain.people import Role
from storage.people import PeopleRepository
from tests.conftest import texts, whole_help


async def register(runtime, email, role, directorate=None, aad=None, name=""):
    if directorate and await runtime.directorates.get_by_code(directorate) is None:
        await runtime.directorates.add(directorate, f"Direction {directorate}")
    person = await runtime.people.assign(email, role, directorate, name=name)
    if aad:

        async def lookup():
            return email

        await runtime.people.identify("local-tenant", aad, name=name, email_lookup=lookup)
    return person


async def test_install_sends_one_french_welcome_card_for_the_role_and_saves_the_reference(runtime, talk):
    lead = talk("lead-aad", "Camille Martin")
    first = await lead.install()
    again = await lead.install()
    assert len(first) == 1 and first[0].attachments[0].content_type == "application/vnd.microsoft.card.adaptive"
    welcome = texts(first)
    assert "Bonjour Camille" in welcome and "responsable du SPASER" in welcome
    assert again == [], "Teams sends installationUpdate and conversationUpdate: welcome only once"
    assert await runtime.conversation_refs.personal_for(["lead-aad"]) != {}


async def test_welcome_for_an_unknown_person_says_how_to_get_a_role(talk):
    replies = await talk("stranger-aad", "Paul Inconnu").install()
    assert "demandez à la personne responsable du SPASER de vous enregistrer" in texts(replies)


async def test_help_lists_the_commands_of_the_role_only(talk, runtime):
    await register(runtime, "nadia@ville.fr", Role.CONTRIBUTOR, "DCP", aad="nadia-aad", name="Nadia Benali")
    lead_help = await whole_help(talk("lead-aad"))
    contributor_help = await whole_help(talk("nadia-aad", "Nadia Benali"))
    assert "lister les personnes" in lead_help
    assert "qui suis-je" in contributor_help and "lister les personnes" not in contributor_help


async def test_unknown_input_gets_a_short_french_help_never_silence(talk):
    replies = await talk().say("xyzzy plugh")
    assert len(replies) == 1 and replies[0].text.count("tapez «\u00a0aide\u00a0»") == 1


async def test_message_with_no_text_gets_an_answer(talk):
    conversation = talk()
    replies = await conversation.send(conversation.activity(type="message", text="   "))
    assert "aucun texte" in texts(replies)


async def test_who_am_i_tells_role_and_directorate(talk, runtime):
    await register(runtime, "nadia@ville.fr", Role.CONTRIBUTOR, "DCP", aad="nadia-aad", name="Nadia Benali")
    assert "responsable du SPASER" in texts(await talk("lead-aad").say("qui suis-je ?"))
    nadia = texts(await talk("nadia-aad", "Nadia Benali").say("Qui suis je"))
    assert "Vous renseignez les indicateurs SPASER de la direction **DCP**" in nadia
    assert "pas encore de rôle" in texts(await talk("nobody-aad", "Paul").say("qui suis-je"))


async def test_lead_lists_people_grouped_by_role(talk, runtime):
    await register(runtime, "nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia Benali")
    await register(runtime, "maire@ville.fr", Role.OFFICIAL, name="Hélène Dubois")
    listing = texts(await talk("lead-aad").say("lister les personnes"))
    assert "Nadia Benali (nadia@ville.fr) — DCP" in listing
    assert "Hélène Dubois" in listing and "Élu·e ou directeur·rice" in listing


async def test_role_commands_are_refused_to_a_contributor_whatever_they_type(talk, runtime):
    await register(runtime, "nadia@ville.fr", Role.CONTRIBUTOR, "DCP", aad="nadia-aad", name="Nadia")
    nadia = talk("nadia-aad", "Nadia")
    refusal = texts(await nadia.say("affecter nadia@ville.fr responsable"))
    assert "réservée aux personnes responsables du SPASER" in refusal
    assert (await runtime.people.get_by_email("nadia@ville.fr")).role is Role.CONTRIBUTOR


async def test_lead_adds_a_directorate_step_by_step_with_a_bad_code_reprompted(talk, runtime):
    lead = talk()
    assert "code court" in texts(await lead.say("ajouter une direction"))
    assert "Le code doit contenir" in texts(await lead.say("pas un code !"))
    assert "nom complet" in texts(await lead.say("daf"))
    done = texts(await lead.say("Direction des affaires financières"))
    # Reader 6, B12: the house form, no « La direction DAF (Direction des affaires financières) ».
    assert done.startswith("La direction des affaires financières (**DAF**) est enregistrée."), done
    saved = await runtime.directorates.get_by_code("DAF")
    assert saved.name == "Direction des affaires financières"


async def test_lead_assigns_a_role_with_everything_in_one_sentence(talk, runtime):
    await runtime.directorates.add("DRH", "Direction des ressources humaines")
    reply = texts(await talk().say("affecter Marie.Curie@Ville.fr contributrice DRH"))
    assert "marie.curie@ville.fr" in reply
    person = await runtime.people.get_by_email("marie.curie@ville.fr")
    assert person.role is Role.CONTRIBUTOR and person.directorate_code == "DRH"


async def test_assign_dialog_asks_missing_pieces_and_help_then_cancel_changes_nothing(talk, runtime):
    await runtime.directorates.add("DRH", "Direction des ressources humaines")
    lead = talk()
    assert "adresse e-mail" in texts(await lead.say("affecter une personne"))
    assert "Quel rôle" in texts(await lead.say("jean@ville.fr"))
    help_reply = texts(await lead.say("aide"))
    assert "J’attribue un rôle" in help_reply and "Quel rôle" in help_reply
    assert "annulé" in texts(await lead.say("annuler"))
    assert await runtime.people.get_by_email("jean@ville.fr") is None
    assert "Tapez « aide »" in texts(await lead.say("n'importe quoi")), "the dialog must be over"


async def test_registration_by_email_is_linked_on_first_contact(talk, runtime):
    await register(runtime, "nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia")
    conversation = talk("nadia-aad", "Nadia")

    async def roster_email(_turn_context):
        return "Nadia@Ville.fr"

    runtime.bot._lookup_email = roster_email
    assert "Vous renseignez les indicateurs SPASER" in texts(await conversation.say("qui suis-je"))


async def test_spaser_admins_become_leads_on_first_message(talk, runtime):
    assert "responsable du SPASER" in texts(await talk("lead-aad", "Camille").say("qui suis-je"))
    person = await runtime.people.get_by_identity("local-tenant", "lead-aad")
    assert person.role is Role.LEAD


async def test_mention_of_the_bot_is_stripped_in_a_channel(talk):
    channel = talk(conversation_type="channel")
    activity = channel.activity(
        type="message",
        text="<at>Assistant SPASER</at> aide",
        entities=[
            Entity().deserialize(
                Mention(mentioned=ChannelAccount(id="28:spaser-bot", name="Assistant SPASER"), text="<at>Assistant SPASER</at>", type="mention").serialize()
            )
        ],
    )
    assert "Ce que je sais faire" in texts(await channel.send(activity)), "`aide` only matches once the mention is gone"


async def test_the_same_activity_delivered_twice_has_one_effect(talk, runtime):
    lead = talk()
    activity = lead.activity(type="message", text="ajouter une direction DJ Direction juridique")
    first = await lead.send(activity)
    second = await lead.send(lead.activity(type="message", text=activity.text, id=activity.id))
    assert "enregistrée" in texts(first)
    assert second == []
    assert len([d for d in await runtime.directorates.list() if d.code == "DJ"]) == 1


async def test_tenant_outside_the_allow_list_is_refused_and_nothing_is_saved(sqlite_database, clock):
    from bot.console import ConsoleConversation
    from bot.runtime import build_runtime
    from tests.conftest import make_settings

    runtime = build_runtime(make_settings(sqlite_database.url, allowed_tenants=("our-tenant",)), database=sqlite_database, clock=clock)
    outsider = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille", tenant_id="other-tenant")
    assert "n’est pas ouvert à votre organisation" in texts(await outsider.say("qui suis-je"))
    assert await runtime.people.list() == []
    insider = ConsoleConversation(runtime, aad_object_id="lead-aad", name="Camille", tenant_id="our-tenant")
    assert "responsable du SPASER" in texts(await insider.say("qui suis-je"))


def test_a_refusal_names_the_roles_allowed():
    from bot.router import LEAD_ONLY, Command
    from domain.people import role_refusal

    async def noop(call):
        return None

    from domain.people import UNREGISTERED_REFUSAL, PersonView

    official = PersonView(1, "Hélène", None, Role.OFFICIAL, None, None, None, "aad", "t")
    contributor_command = Command("x", ("x",), noop, roles=frozenset({Role.LEAD, Role.CONTRIBUTOR}))
    assert "réservée aux personnes responsables du SPASER" in role_refusal(LEAD_ONLY, official)
    assert "réservée aux personnes responsables du SPASER et aux contributeur·rices de direction" in role_refusal(
        contributor_command.roles, official
    )
    assert role_refusal(LEAD_ONLY, None) == UNREGISTERED_REFUSAL


async def test_a_known_person_is_identified_in_one_query_and_still_gets_a_new_name_and_the_lead_role(sqlite_database):
    """Every turn identifies its sender: a known, unchanged person costs one SELECT (person and
    directorate together); a new Teams name or a listing in SPASER_ADMINS is still recorded."""
    statements: list[str] = []
    event.listen(sqlite_database.engine.sync_engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_args: statements.append(statement))
    people = PeopleRepository(sqlite_database)
    await people.identify("tenant", "nadia-aad", name="Nadia Benali")

    statements.clear()
    unchanged = await people.identify("tenant", "nadia-aad", name="Nadia Benali")
    queries_when_unchanged = len(statements)
    renamed = await people.identify("tenant", "nadia-aad", name="Nadia Benali-Roux")
    now_admin = await PeopleRepository(sqlite_database, admins=("nadia-aad",)).identify("tenant", "nadia-aad", name="Nadia Benali-Roux")

    assert queries_when_unchanged == 1
    assert (unchanged.name, unchanged.role) == ("Nadia Benali", None)
    assert renamed.name == "Nadia Benali-Roux"
    assert now_admin.role is Role.LEAD
