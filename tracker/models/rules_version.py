"""Published rule sets and clock settings: every version kept, so any can be restored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base


class RuleSetVersion(Base):
    """One published set of rule files (classification, routing, clocks, ladders).

    System-wide like the rules folder itself, so it carries no establishment. ``version``
    hashes every file; ``rules_version`` is the classifier's own hash, the value each
    concern stores in ``Concern.ruleset_version``, so a concern leads back to its row here.
    """

    __tablename__ = "ruleset_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64), index=True)
    rules_version: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # baseline, publish, rollback
    files: Mapped[dict[str, str]] = mapped_column(JSON)  # file name -> content
    diff: Mapped[str] = mapped_column(Text, default="")  # unified diff against the previous one
    note: Mapped[str] = mapped_column(Text, default="")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("ruleset_version.id"))
    published_at: Mapped[datetime]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
