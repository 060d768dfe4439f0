"""Expiring signed download links: genuine ones work until they expire; forged ones never do."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from domain.clock import FakeClock
from domain.errors import DomainError
from domain.summary.tokens import DownloadTokenError, DownloadTokens, ExpiredDownloadToken, InvalidDownloadToken

SECRET = "s" * 40
START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def tokens(clock) -> DownloadTokens:
    return DownloadTokens(SECRET, clock, lifetime=timedelta(minutes=30))


def test_a_genuine_token_gives_back_the_resource_the_person_and_the_expiry(tokens):
    grant = tokens.verify(tokens.issue("report-pdf:42", person_id=7))
    assert (grant.resource_id, grant.person_id) == ("report-pdf:42", 7)
    assert grant.expires_at == START + timedelta(minutes=30)


def test_a_token_is_url_safe(tokens):
    token = tokens.issue("chart:abc", 1)
    assert all(ch.isalnum() or ch in "-_." for ch in token)


def test_a_token_expires_at_its_expiry_with_a_403_and_a_french_message(tokens, clock):
    token = tokens.issue("chart:abc", 1)
    clock.advance(timedelta(minutes=29, seconds=59))
    assert tokens.verify(token).resource_id == "chart:abc"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(ExpiredDownloadToken) as expired:
        tokens.verify(token)
    assert expired.value.http_status == 403
    assert "a expiré" in str(expired.value)


def test_a_longer_lifetime_can_be_asked_per_token(tokens, clock):
    token = tokens.issue("report-html:1", 1, lifetime=timedelta(days=2))
    clock.advance(timedelta(days=1))
    assert tokens.verify(token).person_id == 1


def tampered(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return ".".join((header, encoded, signature))


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: tampered(t, sub="8"),
        lambda t: tampered(t, rid="report-pdf:other"),
        lambda t: tampered(t, exp=int((START + timedelta(days=3)).timestamp())),
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: jwt.encode({"aud": "spaser-download", "rid": "chart:abc", "sub": "1", "exp": 2_000_000_000},
                             "another secret of more than thirty-two chars", algorithm="HS256"),
        lambda t: jwt.encode({"aud": "spaser-download", "rid": "chart:abc", "sub": "1", "exp": 2_000_000_000},
                             None, algorithm="none"),
        lambda t: jwt.encode({"aud": "another-use", "rid": "chart:abc", "sub": "1", "exp": 2_000_000_000},
                             SECRET, algorithm="HS256"),
        lambda t: jwt.encode({"aud": "spaser-download", "rid": "chart:abc", "sub": "1"}, SECRET, algorithm="HS256"),
        lambda t: "pas-un-jeton",
        lambda t: "",
    ],
    ids=["person", "resource", "expiry", "signature", "other-secret", "alg-none", "audience", "no-expiry",
         "garbage", "empty"],
)
def test_forged_or_malformed_tokens_are_refused_with_a_404(tokens, forge):
    with pytest.raises(InvalidDownloadToken) as refused:
        tokens.verify(forge(tokens.issue("chart:abc", 1)))
    assert refused.value.http_status == 404
    assert str(refused.value) == "Ce lien de téléchargement n’existe pas."


def test_a_token_for_one_resource_does_not_open_another(tokens):
    token = tokens.issue("report-pdf:42", 7)
    assert tokens.verify(token, resource_id="report-pdf:42").person_id == 7
    with pytest.raises(InvalidDownloadToken):
        tokens.verify(token, resource_id="report-pdf:43")


def test_a_forged_token_is_refused_even_once_expired(tokens, clock):
    # Forgery is checked before expiry: an attacker never learns "expired" for a token not ours.
    forged = tampered(tokens.issue("chart:abc", 1), sub="2")
    clock.advance(timedelta(days=1))
    with pytest.raises(InvalidDownloadToken):
        tokens.verify(forged)


def test_errors_are_domain_errors_the_http_layer_can_map(tokens):
    assert issubclass(ExpiredDownloadToken, DownloadTokenError) and issubclass(DownloadTokenError, DomainError)


def test_a_short_secret_and_silly_lifetimes_are_refused(clock):
    with pytest.raises(DomainError, match="au moins 32 caractères"):
        DownloadTokens("court", clock)
    with pytest.raises(DomainError, match="durée de validité"):
        DownloadTokens(SECRET, clock, lifetime=timedelta(0))
    with pytest.raises(DomainError, match="durée de validité"):
        DownloadTokens(SECRET, clock).issue("chart:abc", 1, lifetime=timedelta(days=30))
    with pytest.raises(DomainError, match="Identifiant de document"):
        DownloadTokens(SECRET, clock).issue("", 1)
