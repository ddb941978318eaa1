"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from tracker.models.access import ConcernAudience, ContentGrant
from tracker.models.audit import AccessLog
from tracker.models.base import Base
from tracker.models.clockwork import SchedulerHeartbeat, SchedulerLease, WingLockdown
from tracker.models.concern import OPEN_STATUSES, STATUSES, Concern, ConcernEvent
from tracker.models.digest import Digest
from tracker.models.establishment import Establishment, Wing
from tracker.models.notification import Notification
from tracker.models.rules_version import RuleSetVersion
from tracker.models.scheme import CONFIDENTIALITY, Scheme, SchemeLeadership
from tracker.models.user import ROLES, ApiToken, SignInThrottle, User, UserSession

__all__ = [
    "CONFIDENTIALITY",
    "OPEN_STATUSES",
    "ROLES",
    "STATUSES",
    "AccessLog",
    "ApiToken",
    "Base",
    "Concern",
    "ConcernAudience",
    "ContentGrant",
    "ConcernEvent",
    "Digest",
    "Establishment",
    "Notification",
    "RuleSetVersion",
    "Scheme",
    "SchemeLeadership",
    "SchedulerHeartbeat",
    "SchedulerLease",
    "SignInThrottle",
    "User",
    "UserSession",
    "Wing",
    "WingLockdown",
]
