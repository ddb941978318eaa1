"""People who sign in, their server-side sessions, API tokens and sign-in throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base
from tracker.models.establishment import Establishment, Wing
from tracker.models.scheme import Scheme

ROLES = (
    "supporter",
    "officer",
    "scheme_lead",
    "safer_custody",
    "equality_lead",
    "complaints",
    "governor",
    "admin",
)

user_scheme = Table(
    "user_scheme",
    Base.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("scheme_id", ForeignKey("scheme.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A resident peer supporter (PIN at a kiosk) or a member of staff (password)."""

    __tablename__ = "user_account"
    __table_args__ = (UniqueConstraint("username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    username: Mapped[str] = mapped_column(String(60))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    wing_id: Mapped[int | None] = mapped_column(ForeignKey("wing.id"))
    secret_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, moved, released
    # Set when an admin resets the secret: the next sign-in must choose a new one first.
    must_change_secret: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]
    establishment: Mapped[Establishment] = relationship()
    wing: Mapped[Wing | None] = relationship()
    schemes: Mapped[list[Scheme]] = relationship(secondary=user_scheme, order_by="Scheme.id")

    @property
    def is_supporter(self) -> bool:
        """Supporters use the kiosk; everyone else is staff."""
        return self.role == "supporter"


class UserSession(Base):
    """A sign-in kept on the server, so ending it makes a copied cookie worthless."""

    __tablename__ = "user_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # kiosk or staff
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))
    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    establishment_id: Mapped[int] = mapped_column(ForeignKey("establishment.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()


class SignInThrottle(Base):
    """Failed sign-ins per key (user name or address), shared by every process through the DB."""

    __tablename__ = "signin_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    establishment_id: Mapped[int | None] = mapped_column(ForeignKey("establishment.id"))
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime | None]
