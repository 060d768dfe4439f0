"""The lead's report of messages that did not reach people: each bullet is read on its own, so each
names the people it is about (« cette personne » after two bullets about two people points at nobody)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.delivery_problems import event_problem_notices, explain, problem_notices
from domain.outbox import NO_REFERENCE, About, Seen, Topic
from domain.tenant import install_failure
from tests.delivery_support import Row

NOW = datetime(2027, 3, 1, tzinfo=UTC)
COPIL_AT = datetime(2027, 3, 2, 13, tzinfo=UTC)



def bullets(text: str) -> list[str]:
    return [line for line in text.replace("\u00a0", " ").splitlines() if line.startswith("- ")]


def test_two_bullets_about_two_people_each_name_their_person():
    rows = [
        Row(1, "Rappel : COPIL demain", "Marie Durand", "503: Service Unavailable", "failed"),
        Row(2, "Rappel : COPIL demain", "Hélène Dubois", None, "sent", NOW),
    ]

    (notice,) = problem_notices("reminder", "3", rows, [(9, "Camille Martin")])

    assert bullets(notice.text) == [
        "- L’envoi à Marie Durand a échoué (503: Service Unavailable).",
        "- L’assistant a été installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite.",
    ]
    assert "cette personne" not in notice.text.lower()


def test_one_reason_for_an_event_still_names_its_people_next_to_an_installation():
    reminder = About(Topic.REMINDER, 1, "Comité de pilotage", COPIL_AT)
    digest = About(Topic.DIGEST, 1, "Comité de pilotage", COPIL_AT)
    groups = [
        ("reminder", "1", [Row(1, "Rappel", "Marc Lefèvre", install_failure(404, "NotFound"), "unreachable", about=reminder),
                           Row(2, "Rappel", "Hélène Dubois", None, "sent", NOW, reminder)]),
        ("digest", "2", [Row(3, "Synthèse", "Marc Lefèvre", install_failure(404, "NotFound"), "unreachable", about=digest)]),
    ]

    (notice,) = event_problem_notices(groups, [(9, "Camille Martin")])

    assert bullets(notice.text) == [
        "- Marc Lefèvre est introuvable dans l’annuaire Microsoft 365.",
        "- L’assistant a été installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite.",
    ]


def test_names_in_the_report_are_shown_escaped_and_an_error_with_braces_is_quoted():
    link = "Eve [clic](https://evil.example)"
    rows = [
        Row(1, "Rappel", link, "500: {\"error\": \"boom\"}", "failed"),
        Row(2, "Rappel", "Zoé <b>Roux</b>", None, "sent", NOW),
    ]

    (notice,) = problem_notices("reminder", "3", rows, [(9, "Camille Martin")])

    assert "](https" not in notice.text and "<b>" not in notice.text
    assert "Eve [clic]\u200b(https://evil.example)" in notice.text and "<\u200bb>Roux" in notice.text
    assert '{"error": "boom"}' in notice.text
    assert explain(NO_REFERENCE, [link]).startswith("Eve [clic]\u200b(https://evil.example) n’a pas encore installé")


def test_several_people_read_in_the_plural():
    said = explain(NO_REFERENCE, ["Marc Lefèvre", "Hélène Dubois"])

    assert said.replace("\u00a0", " ") == (
        "Hélène Dubois et Marc Lefèvre n’ont pas encore installé l’assistant dans Teams : je ne peux pas leur écrire. "
        "Transmettez-leur l’information par courriel ou par téléphone, et faites-leur installer l’assistant dans Teams pour que les prochains messages leur parviennent."
    )
    assert "parviendront" not in said, "Reader 7, B12: no promise that this message will still reach them"


def test_the_people_a_digest_was_not_sent_again_to_are_shown_escaped():
    digest = About(Topic.DIGEST, 1, "Comité de pilotage", COPIL_AT, (Seen("Eve [clic](https://evil.example)", requested=False),))
    rows = [Row(1, "Synthèse", "Lucie Roux", NO_REFERENCE, "unreachable", about=digest)]

    (notice,) = problem_notices("digest", "1", rows, [(9, "Camille Martin")])

    assert "Eve [clic]\u200b(https://evil.example) a déjà reçu la synthèse aujourd’hui" in notice.text
