"""Every write of the classroom app. Import services from here; the modules are an
implementation detail."""

from toolbox.classroom.services.classrooms import (
    classroom_archive,
    classroom_create,
    classroom_join,
    classroom_update,
    enrollment_add,
    enrollment_remove,
    join_code_regenerate,
)
from toolbox.classroom.services.invites import (
    parent_invite_create,
    parent_invite_redeem,
    set_password_link_create,
    set_password_link_redeem,
)
from toolbox.classroom.services.roster_csv import RosterError
from toolbox.classroom.services.rosters import (
    NewStudentCredential,
    RosterImportReport,
    RosterImportResult,
    RosterRow,
    roster_import_commit,
    roster_import_preview,
)

__all__ = [
    "NewStudentCredential",
    "RosterError",
    "RosterImportReport",
    "RosterImportResult",
    "RosterRow",
    "classroom_archive",
    "classroom_create",
    "classroom_join",
    "classroom_update",
    "enrollment_add",
    "enrollment_remove",
    "join_code_regenerate",
    "parent_invite_create",
    "parent_invite_redeem",
    "roster_import_commit",
    "roster_import_preview",
    "set_password_link_create",
    "set_password_link_redeem",
]
