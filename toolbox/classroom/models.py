"""Classes, who is enrolled in them, and the one-time codes that bring people in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from toolbox.accounts.models import School

# Join and invite codes avoid characters that are easy to misread: 0/O, 1/l/I.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class GradeLevel(models.TextChoices):
    K = "K", "Kindergarten"
    G1 = "1", "Grade 1"
    G2 = "2", "Grade 2"
    G3 = "3", "Grade 3"
    G4 = "4", "Grade 4"
    G5 = "5", "Grade 5"
    G6 = "6", "Grade 6"
    G7 = "7", "Grade 7"
    G8 = "8", "Grade 8"
    G9 = "9", "Grade 9"
    G10 = "10", "Grade 10"
    G11 = "11", "Grade 11"
    G12 = "12", "Grade 12"


def grade_number(grade_level: str) -> int:
    """K counts as 0 so that grades can be compared and averaged."""
    return 0 if grade_level == GradeLevel.K else int(grade_level)


class Classroom(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="classrooms")
    school_id: int
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=80)
    grade_level = models.CharField(max_length=2, choices=GradeLevel.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_classrooms")
    owner_id: int
    co_teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="co_taught_classrooms")
    join_code = models.CharField(max_length=8, unique=True)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["school", "is_archived"])]

    def __str__(self) -> str:
        return self.name


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REMOVED = "removed", "Removed"


class Enrollment(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="enrollments")
    classroom_id: int
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    student_id: int
    status = models.CharField(max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE)
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["classroom", "student"], name="unique_enrollment")]
        indexes = [models.Index(fields=["student", "status"]), models.Index(fields=["classroom", "status"])]
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class ParentInvite(models.Model):
    """A one-time code a parent redeems to link to one student."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parent_invites")
    student_id: int
    code = models.CharField(max_length=10, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_by_id: int | None
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    redeemed_by_id: int | None
    sent_to_email = models.EmailField(
        blank=True,
        help_text="The parent address from a roster import; the code is e-mailed there after the import commits.",
    )
    roster_import = models.ForeignKey(
        "RosterImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="parent_invites"
    )
    roster_import_id: int | None

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite {self.code} for {self.student}"

    @property
    def is_usable(self) -> bool:
        return self.redeemed_at is None and self.expires_at > timezone.now()


class SetPasswordLink(models.Model):
    """A one-time link for a student created by a roster import to choose a password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_password_links")
    user_id: int
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    roster_import = models.ForeignKey(
        "RosterImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="set_password_links"
    )
    roster_import_id: int | None

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Set-password link for {self.user}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class RosterImport(models.Model):
    """The record of one committed roster import (the audit trail and the printable links)."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="roster_imports")
    classroom_id: int
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    imported_by_id: int | None
    created_at = models.DateTimeField(auto_now_add=True)
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    created_students = models.PositiveIntegerField()
    enrolled_existing = models.PositiveIntegerField()
    already_enrolled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The same file committed twice to the same class is one import, not two.
            models.UniqueConstraint(fields=["classroom", "file_sha256"], name="unique_roster_import_per_file")
        ]

    def __str__(self) -> str:
        return f"Roster import of {self.rows} rows into {self.classroom}"
