"""People, directorates and where to reach them (conversation references): tables and repositories.

Each repository call is one unit of work on the database. The schema itself is owned by the Alembic
migrations in `storage/migrations`; these classes are the Python view of it (a test compares them).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint, bindparam, literal, select, true
from sqlalchemy import Enum as SAEnum
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import Field, SQLModel

from domain.errors import DomainError
from domain.people import PersonView, Role, normalise_directorate_code, normalise_email
from domain.tenant import DirectoryEntry
from domain.text import collation_key
from storage.bot_state import BotStateRecord
from storage.columns import timestamp, utcnow
from storage.db import Database, RowRead
from storage.sqlite_driver import COMMIT_WITH_STATEMENT
from storage.unit_of_work import UnitOfWork


class Directorate(SQLModel, table=True):
    __tablename__ = "directorate"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=200)
    created_at: datetime = timestamp()


class Person(SQLModel, table=True):
    """Someone the assistant knows: registered by the lead (by e-mail) or met in Teams."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("tenant_id", "aad_object_id", name="uq_person_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: str = Field(default="", max_length=64)
    aad_object_id: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=320, unique=True, index=True)
    name: str = Field(default="", max_length=200)
    role: Role | None = Field(
        default=None,
        sa_column=Column(SAEnum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])),
    )
    directorate_id: int | None = Field(default=None, foreign_key="directorate.id")
    created_at: datetime = timestamp()
    updated_at: datetime = timestamp(onupdate=utcnow)


class ConversationRef(SQLModel, table=True):
    """A Bot Framework ConversationReference kept as JSON for proactive messages."""

    __tablename__ = "conversation_ref"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=512, unique=True, index=True)
    tenant_id: str = Field(default="", max_length=64)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    conversation_type: str = Field(default="personal", max_length=32)
    service_url: str = Field(max_length=512)
    reference_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = timestamp(onupdate=utcnow)


_DIRECTORATE_NAMES = select(Directorate.__table__.c.code, Directorate.__table__.c.name).order_by(Directorate.__table__.c.code)


class DirectorateRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def add(self, code: str, name: str) -> Directorate:
        code = normalise_directorate_code(code)
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise DomainError("Le nom de la direction est obligatoire (200 caractères au plus).")
        try:
            async with self._db.session() as session:
                directorate = Directorate(code=code, name=name)
                session.add(directorate)
                await session.flush()
                return directorate
        except IntegrityError as error:
            raise DomainError(f"La direction {code} existe déjà.") from error

    async def list(self, *, uow: UnitOfWork | None = None) -> list[Directorate]:
        async with self._db.session_in(uow) as session:
            return list((await session.execute(select(Directorate).order_by(Directorate.code))).scalars())

    async def names(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of every directorate, without building the rows."""
        async with self._db.transaction() as connection:
            return await self.names_in(connection)

    @staticmethod
    async def names_in(connection: AsyncConnection) -> tuple[tuple[str, str], ...]:
        """`names`, in the caller's transaction."""
        return tuple((code, name) for code, name in await connection.execute(_DIRECTORATE_NAMES))

    async def get_by_code(self, code: str) -> Directorate | None:
        async with self._db.session() as session:
            result = await session.execute(select(Directorate).where(Directorate.code == code.strip().upper()))
            return result.scalar_one_or_none()


def _view_select():
    return select(Person, Directorate).outerjoin(Directorate, Person.directorate_id == Directorate.id)


_VIEW_BY_IDENTITY = _view_select().where(Person.tenant_id == bindparam("tenant"), Person.aad_object_id == bindparam("aad"))
"""Every turn's look-up, built once (a statement made anew has its SQL cache key computed each time)."""
_PERSON, _DIRECTORATE = Person.__table__, Directorate.__table__
_VIEW_COLUMNS_BY_IDENTITY = (
    select(
        _PERSON.c.id, _PERSON.c.name, _PERSON.c.email, _PERSON.c.role, _PERSON.c.directorate_id,
        _PERSON.c.aad_object_id, _PERSON.c.tenant_id, _DIRECTORATE.c.code, _DIRECTORATE.c.name,
    )
    .select_from(_PERSON.outerjoin(_DIRECTORATE, _PERSON.c.directorate_id == _DIRECTORATE.c.id))
    .where(_PERSON.c.tenant_id == bindparam("tenant"), _PERSON.c.aad_object_id == bindparam("aad"))
)
"""The same look-up as plain columns, for a turn's first transaction (no ORM objects built)."""
_WHO = _VIEW_COLUMNS_BY_IDENTITY.subquery("who")
_STATE = BotStateRecord.__table__
_ANCHOR = select(literal(1).label("one")).subquery("anchor")
_VIEW_AND_STATE = select(_STATE.c.etag, _STATE.c.data, *_WHO.c).select_from(
    _ANCHOR.outerjoin(_STATE, _STATE.c.key == bindparam("wanted")).outerjoin(_WHO, true())
)
"""The person and a dialog state in one statement (each table gives at most one row: unique identity,
state key primary): always one row, its halves NULL for what is not stored."""


class PeopleRepository:
    def __init__(self, database: Database, admins: tuple[str, ...] = ()) -> None:
        self._db = database
        self._admins = frozenset(a.lower() for a in admins)

    def _is_admin(self, aad_object_id: str | None, email: str | None) -> bool:
        return bool({(aad_object_id or "").lower(), (email or "").lower()} & self._admins)

    async def known_in(self, connection: AsyncConnection, tenant_id: str, aad_object_id: str, name: str) -> PersonView | None:
        """The person behind a Teams identity, read in the caller's transaction, when `identify` would
        change nothing (known, same Teams name, an admin already a lead); None when it has work to do."""
        row = (await connection.execute(_VIEW_COLUMNS_BY_IDENTITY, {"tenant": tenant_id, "aad": aad_object_id})).first()
        return None if row is None else self._view_if_current(tuple(row), name)

    async def known_with_state_in(
        self, connection: AsyncConnection, tenant_id: str, aad_object_id: str, name: str, state_key: str,
        *, last_statement: bool = False,
    ) -> tuple[PersonView | None, tuple[str, str] | None]:
        """`known_in` and `BotStateRepository.read_in` of `state_key` in one statement: a turn's first
        transaction makes one hand-over to the database for both (bot/prefetch.py)."""
        row = (
            await connection.execute(
                _VIEW_AND_STATE,
                {"tenant": tenant_id, "aad": aad_object_id, "wanted": state_key},
                execution_options={COMMIT_WITH_STATEMENT: last_statement},
            )
        ).one()
        return self._view_and_state(tuple(row), name)

    def known_with_state_read(
        self, tenant_id: str, aad_object_id: str, name: str, state_key: str,
        take: Callable[[PersonView | None, tuple[str, str] | None], None],
    ) -> RowRead:
        """`known_with_state_in` as a read for another repository's transaction (a turn's claim)."""
        parameters = {"tenant": tenant_id, "aad": aad_object_id, "wanted": state_key}
        return RowRead(_VIEW_AND_STATE, parameters, lambda row: take(*self._view_and_state(row, name)))

    def known_read(
        self, tenant_id: str, aad_object_id: str, name: str, take: Callable[[PersonView | None], None]
    ) -> RowRead:
        """`known_in` as a read for another repository's transaction (a turn's claim)."""
        return RowRead(
            _VIEW_COLUMNS_BY_IDENTITY,
            {"tenant": tenant_id, "aad": aad_object_id},
            lambda row: take(None if row is None else self._view_if_current(row, name)),
        )

    def _view_and_state(self, row: tuple, name: str) -> tuple[PersonView | None, tuple[str, str] | None]:
        etag, data, *person = row
        view = None if person[0] is None else self._view_if_current(tuple(person), name)
        return view, (None if etag is None else (etag, data))

    def _view_if_current(self, row: tuple, name: str) -> PersonView | None:
        person_id, stored_name, email, role, directorate_id, aad, tenant, code, directorate_name = row
        view = PersonView(
            id=person_id,
            name=stored_name,
            email=email,
            role=Role(role) if role else None,
            directorate_id=directorate_id,
            directorate_code=code,
            directorate_name=directorate_name,
            aad_object_id=aad,
            tenant_id=tenant,
        )
        return view if self._up_to_date(view, name) else None

    def _up_to_date(self, person: Person | PersonView, name: str) -> bool:
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
                    _VIEW_BY_IDENTITY, {"tenant": tenant_id, "aad": aad_object_id}
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

    async def assign(
        self, email: str, role: Role, directorate_code: str | None = None, name: str = "",
        directory: DirectoryEntry | None = None, tenant_id: str = "",
    ) -> PersonView:
        """Give a role (and a directorate for contributors) to a person named by e-mail/UPN;
        `directory` is what Microsoft 365 knows of them (name and identity), when it was asked."""
        email = normalise_email(email)
        async with self._db.session() as session:
            directorate_id = None
            if directorate_code:
                code = normalise_directorate_code(directorate_code)
                directorate = (
                    await session.execute(select(Directorate).where(Directorate.code == code))
                ).scalar_one_or_none()
                if directorate is None:
                    raise DomainError(f"La direction {code} n’existe pas. Créez-la d’abord (« ajouter une direction »).")
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
            if directory is not None:
                await self._take_identity(session, person, tenant_id, directory, replace_name=not name)
            await session.flush()
            return await self._view(session, person.id)

    async def link_identity(self, person_id: int, tenant_id: str, directory: DirectoryEntry) -> bool:
        """Give a person registered by e-mail the identity and name the directory knows them by;
        False when another record already holds that identity (the person met the bot under it)."""
        try:
            async with self._db.session() as session:
                person = await session.get(Person, person_id)
                if person is None:
                    return False
                return await self._take_identity(session, person, tenant_id, directory)
        except IntegrityError:
            return False

    @staticmethod
    async def _take_identity(session, person: Person, tenant_id: str, directory: DirectoryEntry,
                             replace_name: bool = True) -> bool:
        holder = (
            await session.execute(
                select(Person.id).where(Person.tenant_id == tenant_id, Person.aad_object_id == directory.aad_object_id)
            )
        ).scalar_one_or_none()
        if holder not in (None, person.id) or person.aad_object_id not in (None, directory.aad_object_id):
            return False
        person.tenant_id = tenant_id
        person.aad_object_id = directory.aad_object_id
        if directory.display_name and (replace_name or not person.name or person.name == (person.email or "").split("@")[0]):
            person.name = directory.display_name[:200]
        return True

    async def get_by_email(self, email: str) -> PersonView | None:
        async with self._db.session() as session:
            row = (await session.execute(self._view_query().where(Person.email == email.strip().lower()))).first()
            return self._to_view(*row) if row else None

    async def get_by_identity(self, tenant_id: str, aad_object_id: str) -> PersonView | None:
        async with self._db.session() as session:
            row = (await session.execute(_VIEW_BY_IDENTITY, {"tenant": tenant_id, "aad": aad_object_id})).first()
            return self._to_view(*row) if row else None

    async def get(self, person_id: int) -> PersonView | None:
        async with self._db.session() as session:
            return await self._view(session, person_id)

    async def list(self) -> list[PersonView]:
        async with self._db.session() as session:
            rows = await session.execute(self._view_query().order_by(Person.role, Person.id))
            views = [self._to_view(*row) for row in rows]
        # by role, then in French alphabetical order (a database sorts « Élise » after « Thomas »)
        return sorted(views, key=lambda view: (view.role or "", collation_key(view.name or view.email or "")))

    async def lead_names(self) -> list[tuple[int, str]]:
        """(id, name) of every SPASER lead (told about messages that did not arrive)."""
        async with self._db.session() as session:
            rows = await session.execute(select(Person.id, Person.name).where(Person.role == Role.LEAD))
            return [(person_id, name) for person_id, name in rows]

    @staticmethod
    def _view_query():
        return _view_select()

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

    async def service_url_of(self, tenant_id: str) -> str | None:
        """The Teams connector of the tenant's most recent conversation (a chat that Graph opened
        has the same one)."""
        async with self._db.session() as session:
            return (
                await session.execute(
                    select(ConversationRef.service_url).where(ConversationRef.tenant_id == tenant_id)
                    .order_by(ConversationRef.updated_at.desc()).limit(1)
                )
            ).scalar_one_or_none()

    async def get(self, conversation_id: str) -> dict | None:
        async with self._db.session() as session:
            row = (
                await session.execute(select(ConversationRef).where(ConversationRef.conversation_id == conversation_id))
            ).scalar_one_or_none()
            return json.loads(row.reference_json) if row else None
