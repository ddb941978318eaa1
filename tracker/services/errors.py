"""Domain errors that entry points map to responses."""

from __future__ import annotations


class ServiceError(Exception):
    """Root of the errors a use case raises on purpose."""


class InvalidInput(ServiceError):
    """Input that passed the schema but not the facts (unknown wing, unknown staff member)."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))
        self.fields = fields


class IdempotencyConflict(ServiceError):
    """The same idempotency key was used before for a different submission."""


class NotFound(ServiceError):
    """No such thing, or the caller may not know it exists (the same answer on purpose)."""
