"""The studio's tables, by noun: the film (projects, members, scenes, shots), takes, money.

Django finds them here; import them from `projects.models` rather than from the modules.
"""

from .choices import RESOLUTIONS
from .deliverables import Deliverable, DeliverableKind, DeliverableState
from .film import (
    CAMERA_VALIDATORS,
    CameraAxes,
    Membership,
    Project,
    ProjectQuerySet,
    ReferenceImage,
    Role,
    Scene,
    Shot,
    ShotStatus,
    TeamPreset,
    media_path,
)
from .money import LEDGER_AMOUNT, LedgerEntry, LedgerKind, MemberSpend, ProviderSpend, RateCard
from .prompts import PromptTemplate, PromptTemplateVersion
from .review import (
    Activity,
    ActivityKind,
    Comment,
    EmailChoice,
    Notification,
    NotificationReason,
    NotificationSettings,
    ReviewLink,
)
from .states import FINISHED_TAKE_STATES, TakeState
from .takes import Take, TakeEvent, TakeKind, TakeQuerySet

__all__ = [
    "CAMERA_VALIDATORS",
    "FINISHED_TAKE_STATES",
    "LEDGER_AMOUNT",
    "RESOLUTIONS",
    "Activity",
    "ActivityKind",
    "CameraAxes",
    "Comment",
    "Deliverable",
    "DeliverableKind",
    "DeliverableState",
    "EmailChoice",
    "LedgerEntry",
    "LedgerKind",
    "MemberSpend",
    "Membership",
    "Notification",
    "NotificationReason",
    "NotificationSettings",
    "Project",
    "ProjectQuerySet",
    "PromptTemplate",
    "PromptTemplateVersion",
    "ProviderSpend",
    "RateCard",
    "ReferenceImage",
    "ReviewLink",
    "Role",
    "Scene",
    "Shot",
    "ShotStatus",
    "Take",
    "TakeEvent",
    "TakeKind",
    "TakeQuerySet",
    "TakeState",
    "TeamPreset",
    "media_path",
]
