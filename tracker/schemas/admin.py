"""Admin forms: people, scheme posts, wings, establishments, lockdowns, rule publishing.

Each schema checks shape and size; facts (does the wing exist, is the name taken) are
checked by the services, which raise InvalidInput with the same field names.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from tracker.models import ROLES
from tracker.schemas.fields import TrimmedString

USERNAME = validate.Regexp(r"^[A-Za-z0-9._-]{2,60}$",
                           error="Use 2 to 60 letters, numbers, dots, dashes or underscores.")
SCHEME_KEY = validate.Regexp(r"^[a-z_]{2,30}$", error="Unknown scheme.")
ROLE = validate.OneOf(ROLES, error="Choose a role from the list.")


class RequiredText(TrimmedString):
    """A trimmed string that must not be blank (blank reads as missing)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            raise ValidationError(self.error_messages["required"])
        return text


class _Form(Schema):
    """Forms carry a CSRF token the schema does not need; blank fields mean 'not given'."""

    @pre_load
    def drop_token(self, data: Any, **_: Any) -> Any:
        """Remove the CSRF token and the submit button's name."""
        if hasattr(data, "to_dict"):
            schemes = data.getlist("schemes") if hasattr(data, "getlist") else None
            data = data.to_dict()
            if schemes is not None and "schemes" in self.fields:
                data["schemes"] = schemes
        return {k: v for k, v in dict(data).items() if k not in ("csrf_token", "action")}


class PersonAddSchema(_Form):
    """Add someone: their secret is generated and shown once."""

    username = RequiredText(required=True, validate=USERNAME,
                             error_messages={"required": "Give a user name."})
    display_name = TrimmedString(load_default=None, validate=validate.Length(max=120))
    role = RequiredText(required=True, validate=ROLE,
                         error_messages={"required": "Choose a role."})
    wing = TrimmedString(load_default=None, validate=validate.Length(max=20))
    schemes = fields.List(TrimmedString(validate=SCHEME_KEY), load_default=list)


class PersonEditSchema(_Form):
    """Change a person's name, role, wing and schemes (all fields are sent by the form)."""

    display_name = RequiredText(required=True, validate=validate.Length(min=1, max=120),
                                 error_messages={"required": "Give a name."})
    role = RequiredText(required=True, validate=ROLE,
                         error_messages={"required": "Choose a role."})
    wing = TrimmedString(load_default=None, validate=validate.Length(max=20))
    schemes = fields.List(TrimmedString(validate=SCHEME_KEY), load_default=list)


class MoveSchema(_Form):
    """A supporter moved to another prison or released."""

    status = RequiredText(required=True, validate=validate.OneOf(
        ("moved", "released"), error="Choose moved or released."),
        error_messages={"required": "Choose moved or released."})


class SchemePostsSchema(_Form):
    """A scheme's lead and deputy (user names; blank leaves a post empty)."""

    lead = TrimmedString(load_default=None, validate=USERNAME)
    deputy = TrimmedString(load_default=None, validate=USERNAME)


class WingAddSchema(_Form):
    """A new wing."""

    code = RequiredText(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9-]{1,20}$", error="A wing code is 1 to 20 letters, numbers or dashes."),
        error_messages={"required": "Give the wing's code."})
    name = TrimmedString(load_default=None, validate=validate.Length(max=80))


class RenameSchema(_Form):
    """A new name for a wing or an establishment."""

    name = RequiredText(required=True, validate=validate.Length(min=1, max=120),
                         error_messages={"required": "Give the new name."})


class LockdownSchema(_Form):
    """Start a wing lockdown: a reason is required (the supporters are told it)."""

    reason = RequiredText(required=True, validate=validate.Length(min=3, max=500),
                           error_messages={"required": "Say why the wing is locked down."})


class EstablishmentAddSchema(_Form):
    """A new establishment with its wings."""

    name = RequiredText(required=True, validate=validate.Length(min=1, max=120),
                         error_messages={"required": "Give the establishment's name."})
    code = TrimmedString(load_default=None, validate=validate.Length(max=10))
    wings = RequiredText(required=True, validate=validate.Length(max=200),
                          error_messages={"required": "List the wing codes, like A,B,C."})


class PublishSchema(_Form):
    """Publish the candidate whose report was viewed."""

    version = RequiredText(required=True, validate=validate.Regexp(r"^[0-9a-f]{16}$"),
                            error_messages={"required": "View the report first."})
    note = RequiredText(required=True, validate=validate.Length(min=3, max=1000),
                         error_messages={"required": "Say what this change is for."})


class RollbackSchema(_Form):
    """Roll back to an earlier published version."""

    note = TrimmedString(load_default=None, validate=validate.Length(max=1000))


class UploadSchema(_Form):
    """One rule file for the candidate."""

    name = RequiredText(required=True, error_messages={"required": "Choose which file this is."})


class NewSecretSchema(_Form):
    """Choosing one's own new password or PIN."""

    new = fields.String(required=True, validate=validate.Length(max=256),
                        error_messages={"required": "Type the new one."})
    again = fields.String(required=True, validate=validate.Length(max=256),
                          error_messages={"required": "Type it again."})


def load_form(schema: Schema, form: Any) -> dict[str, Any]:
    """Load a form, raising ValidationError with field -> messages."""
    data: dict[str, Any] = schema.load(form, unknown="exclude")
    return data


__all__ = ["ValidationError", "load_form"]
