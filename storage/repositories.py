"""Repositories of the foundation tables. Each call is one unit of work on the database."""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from domain.errors import DomainError
from storage.models import ConversationRef, Directorate, Person, ProcessedActivity, Role, utcnow
from storage.sqlite_driver import COMMIT_WITH_STATEMENT

log = logging.getLogger(__name__)

EMAIL_PATTERN = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
DIRECTORATE_CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def normalise_email(raw: str) -> str:
    email = raw.strip().strip("<>").lower()
    if not EMAIL_PATTERN.match(email) or len(email) > 320:
        raise DomainError(f"« {raw.strip()[:80]} » n'est pas une adresse e-mail valide (exemple : prenom.nom@ville.fr).")
    return email


def normalise_directorate_code(raw: str) -> str:
    code = raw.strip().upper()
    if not DIRECTORATE_CODE_PATTERN.match(code):
        raise DomainError(
            f"« {raw.strip()[:40]} » n'est pas un code de direction valide : lettres, chiffres, - ou _, "
            "32 caractères au plus (exemple : DAJ, DIR-ACHATS)."
        )
    return code


@dataclass(frozen=True)
class PersonView:
    """A person with the code and name of their directorate, for display and role checks."""

    id: int
    name: str
    email: str | None
    role: Role | None
    directorate_id: int | None
    directorate_code: str | None
    directorate_name: str | None
    aad_object_id: str | None
    tenant_id: str

    @property
    def is_lead(self) -> bool:
        return self.role is Role.LEAD


class DirectorateRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(self, code: str, name: str) -> Directorate:
        code = normalise_directorate_code(code)
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise DomainError("Le nom de la direction est obligatoire (200 caractères au plus).")
        try:
            async with self._db.session() as session:
                directorate = Directorate(code=code, name=name)
                session.add(directorate)
                await session.flush()
                return directorate
        except IntegrityError as error:
            raise DomainError(f"La direction {code} existe déjà.") from error

    async def list(self) -> list[Directorate]:
        async with self._db.session() as session:
            return list((await session.execute(select(Directorate).order_by(Directorate.code))).scalars())

    async def get_by_code(self, code: str) -> Directorate | None:
        async with self._db.session() as session:
            result = await session.execute(select(Directorate).where(Directorate.code == code.strip().upper()))
            return result.scalar_one_or_none()


class PeopleRepository:
    def __init__(self, database: Database, admins: tuple[str, ...] = ()) -> None:
        self._db = database
        self._admins = frozenset(a.lower() for a in admins)

    def _is_admin(self, aad_object_id: str | None, email: str | None) -> bool:
        return bool({(aad_object_id or "").lower(), (email or "").lower()} & self._admins)

    def _up_to_date(self, person: Person, name: str) -> bool:
        """Nothing `identify` would change: the Teams name is the stored one, an admin is a lead."""
        is_lead = person.role in (Role.LEAD, Role.LEAD.value)
        return (not name or person.name == name) and (is_lead or not self._is_admin(person.aad_object_id, person.email))

    async def identify(
        self,
        tenant_id: str,
        aad_object_id: str | None,
        name: str = "",
        email_lookup: Callable[[], Awaitable[str | None]] | None = None,
    ) -> PersonView | None:
        """The person behind a Teams identity, linking a lead's registration by e-mail on first contact.

        `email_lookup` (a Teams roster call) runs only for an identity seen for the first time.
        People listed in SPASER_ADMINS become SPASER leads, so a new deployment can be set up by chat.
        Returns None for an activity with no Azure AD identity (it gets no role).
        """
        if not aad_object_id:
            return None
        async with self._db.session() as session:
            known = (
                await session.execute(
                    self._view_query().where(Person.tenant_id == tenant_id, Person.aad_object_id == aad_object_id)
                )
            ).first()
            person = known[0] if known else None
            if person is not None and self._up_to_date(person, name):
                return self._to_view(*known)  # every turn of a known person: one query
            email = None
            if person is None and email_lookup is not None:
                email = ((await email_lookup()) or "").lower() or None
            if person is None and email:
                person = (await session.execute(select(Person).where(Person.email == email))).scalar_one_or_none()
                if person is not None and person.aad_object_id not in (None, aad_object_id):
                    person = None
            if person is None:
                person = Person(tenant_id=tenant_id, aad_object_id=aad_object_id, name=name or "", email=email)
                session.add(person)
            person.tenant_id = tenant_id
            person.aad_object_id = aad_object_id
            if name and person.name != name:
                person.name = name
            if email and not person.email:
                person.email = email
            if self._is_admin(aad_object_id, person.email):
                person.role = Role.LEAD
            await session.flush()
            return await self._view(session, person.id)

    async def assign(self, email: str, role: Role, directorate_code: str | None = None, name: str = "") -> PersonView:
        """Give a role (and a directorate for contributors) to a person named by e-mail/UPN."""
        email = normalise_email(email)
        async with self._db.session() as session:
            directorate_id = None
            if directorate_code:
                code = normalise_directorate_code(directorate_code)
                directorate = (
                    await session.execute(select(Directorate).where(Directorate.code == code))
                ).scalar_one_or_none()
                if directorate is None:
                    raise DomainError(f"La direction {code} n'existe pas. Créez-la d'abord (« ajouter une direction »).")
                directorate_id = directorate.id
            elif role is Role.CONTRIBUTOR:
                raise DomainError("Un·e contributeur·rice doit être rattaché·e à une direction.")
            person = (await session.execute(select(Person).where(Person.email == email))).scalar_one_or_none()
            if person is None:
                person = Person(email=email, name=name or email.split("@")[0])
                session.add(person)
            elif name:
                person.name = name
            person.role = role
            person.directorate_id = directorate_id
            await session.flush()
            return await self._view(session, person.id)

    async def get_by_email(self, email: str) -> PersonView | None:
        async with self._db.session() as session:
            row = (await session.execute(self._view_query().where(Person.email == email.strip().lower()))).first()
            return self._to_view(*row) if row else None

    async def get_by_identity(self, tenant_id: str, aad_object_id: str) -> PersonView | None:
        async with self._db.session() as session:
            query = self._view_query().where(Person.tenant_id == tenant_id, Person.aad_object_id == aad_object_id)
            row = (await session.execute(query)).first()
            return self._to_view(*row) if row else None

    async def get(self, person_id: int) -> PersonView | None:
        async with self._db.session() as session:
            return await self._view(session, person_id)

    async def list(self) -> list[PersonView]:
        async with self._db.session() as session:
            rows = await session.execute(self._view_query().order_by(Person.role, Person.name))
            return [self._to_view(*row) for row in rows]

    @staticmethod
    def _view_query():
        return select(Person, Directorate).outerjoin(Directorate, Person.directorate_id == Directorate.id)

    async def _view(self, session, person_id: int) -> PersonView | None:
        row = (await session.execute(self._view_query().where(Person.id == person_id))).first()
        return self._to_view(*row) if row else None

    @staticmethod
    def _to_view(person: Person, directorate: Directorate | None) -> PersonView:
        return PersonView(
            id=person.id,
            name=person.name,
            email=person.email,
            role=Role(person.role) if person.role else None,
            directorate_id=person.directorate_id,
            directorate_code=directorate.code if directorate else None,
            directorate_name=directorate.name if directorate else None,
            aad_object_id=person.aad_object_id,
            tenant_id=person.tenant_id,
        )


class ConversationRefRepository:
    """Where to reach people and channels proactively."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def save(
        self,
        reference: dict,
        *,
        tenant_id: str,
        aad_object_id: str | None,
        conversation_type: str,
    ) -> None:
        conversation_id = reference["conversation"]["id"]
        values = dict(
            tenant_id=tenant_id,
            aad_object_id=aad_object_id,
            conversation_type=conversation_type or "personal",
            service_url=reference.get("serviceUrl", ""),
            reference_json=json.dumps(reference, ensure_ascii=False),
        )
        async with self._db.session() as session:
            existing = (
                await session.execute(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))
            ).scalar_one_or_none()
            if existing is None:
                session.add(ConversationRef(conversation_id=conversation_id, **values))
            else:
                unchanged = existing.reference_json == values["reference_json"]
                for key, value in values.items():
                    setattr(existing, key, value)
                if unchanged:
                    existing.updated_at = utcnow()

    async def personal_for(self, aad_object_ids: list[str]) -> dict[str, dict]:
        """The personal (1:1) conversation reference of each person who has one."""
        if not aad_object_ids:
            return {}
        async with self._db.session() as session:
            rows = await session.execute(
                select(ConversationRef).where(
                    ConversationRef.aad_object_id.in_(aad_object_ids), ConversationRef.conversation_type == "personal"
                )
            )
            return {row.aad_object_id: json.loads(row.reference_json) for row in rows.scalars()}

    async def get(self, conversation_id: str) -> dict | None:
        async with self._db.session() as session:
            row = (
                await session.execute(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))
            ).scalar_one_or_none()
            return json.loads(row.reference_json) if row else None


class ClaimOutcome(enum.Enum):
    CLAIMED = "claimed"  # this turn runs the activity
    HANDLED = "handled"  # a turn that ran it has committed: a re-delivery, no second effect
    IN_PROGRESS = "in_progress"  # a turn elsewhere is running it and its lease has not run out


CLAIM_LEASE = timedelta(seconds=10)
"""How long a claimed activity is left to the turn that claimed it. Teams gives a turn 15 s; a turn
still running after 10 s is stuck or its process died, and its state was not committed (the claim
is completed in the same commit), so running the activity again loses nothing and doubles nothing."""


_COMPLETE = (
    update(ProcessedActivity.__table__)
    .where(ProcessedActivity.__table__.c.activity_key == bindparam("key"))
    .values(completed_at=bindparam("now"))
)


class ProcessedActivityRepository:
    """Incoming activity ids, so that Teams' re-deliveries have no second effect.

    A claim is taken when the turn starts (shared by every instance through the database) and
    completed in the commit of the turn's state (`complete_in`). A process killed during a turn
    leaves its claim incomplete: the re-delivery takes it over once the lease has run out, instead
    of being ignored while nothing of the first turn was kept.

    A turn that wrote nothing has no commit to complete its claim in: `complete_soon` completes
    such claims in batches, after the answer, rather than with one more transaction per turn on the
    answer's path. A crash before the batch is written costs at most one repeated answer to a
    question, never a repeated write.
    """

    def __init__(self, database: Database, lease: timedelta = CLAIM_LEASE) -> None:
        self._db = database
        self.lease = lease
        self._pending: dict[str, datetime] = {}
        self._writer: asyncio.Task | None = None

    async def claim(self, activity_key: str, now: datetime) -> ClaimOutcome:
        """Every turn starts here: plain connections, without an ORM session's work."""
        key = activity_key[:600]
        try:
            async with self._db.transaction() as connection:
                await connection.execute(insert(ProcessedActivity).values(activity_key=key, received_at=now))
            return ClaimOutcome.CLAIMED
        except IntegrityError:
            pass
        async with self._db.transaction() as connection:
            taken_over = await connection.execute(
                update(ProcessedActivity)
                .where(
                    ProcessedActivity.activity_key == key,
                    ProcessedActivity.completed_at.is_(None),
                    ProcessedActivity.received_at <= now - self.lease,
                )
                .values(received_at=now)
            )
            if taken_over.rowcount == 1:
                return ClaimOutcome.CLAIMED
            completed_at = (
                await connection.execute(select(ProcessedActivity.completed_at).where(ProcessedActivity.activity_key == key))
            ).first()
        if completed_at is None:  # released meanwhile by a failed turn: claim it afresh
            return await self.claim(activity_key, now)
        return ClaimOutcome.HANDLED if completed_at[0] is not None else ClaimOutcome.IN_PROGRESS

    async def complete_in(
        self, connection: AsyncConnection, activity_key: str, now: datetime, *, last_statement: bool = False
    ) -> None:
        """Mark the activity handled inside the turn's transaction: committed with its effects.

        `last_statement`: the transaction commits right after, with nothing else run in it; on
        SQLite the commit then goes with this statement, in one hand-over to the driver's thread.
        """
        await connection.execute(
            _COMPLETE, {"key": activity_key[:600], "now": now}, execution_options={COMMIT_WITH_STATEMENT: last_statement}
        )

    def complete_soon(self, activity_key: str, now: datetime) -> None:
        """Mark the activity of a turn that wrote nothing handled, with the next batch."""
        self._pending[activity_key[:600]] = now
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_pending())

    async def flush(self) -> None:
        """Wait until the pending completions are written (tests, shut-down)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    async def _write_pending(self) -> None:
        await asyncio.sleep(0)  # the turns ending in this loop iteration join the batch
        while self._pending:
            batch, self._pending = self._pending, {}
            try:
                async with self._db.transaction() as connection:
                    await connection.execute(
                        update(ProcessedActivity)
                        .where(ProcessedActivity.activity_key.in_(list(batch)))
                        .values(completed_at=max(batch.values()))
                    )
            except Exception:  # noqa: BLE001 - a background write: logged, and a re-delivery reruns a read-only turn
                log.warning("Could not mark %s answered activities as handled", len(batch), exc_info=True)

    async def release(self, activity_key: str) -> None:
        """Forget a key whose turn failed, so that Teams' retry is processed."""
        async with self._db.session() as session:
            await session.execute(delete(ProcessedActivity).where(ProcessedActivity.activity_key == activity_key[:600]))

    async def prune(self, older_than: timedelta, now: datetime | None = None) -> int:
        cutoff = (now or utcnow()) - older_than
        async with self._db.session() as session:
            result = await session.execute(delete(ProcessedActivity).where(ProcessedActivity.received_at < cutoff))
            return result.rowcount or 0
