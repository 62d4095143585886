"""Users, their roles and schools, and the links between parents and children."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/London or America/Chicago.")


class School(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    daily_token_budget = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="AI tokens this school may spend per day. Empty means the site-wide default.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    EDUCATOR = "educator", "Educator"
    PARENT = "parent", "Parent"
    ADMIN = "admin", "Admin"


ROLE_HOME_URLS: dict[str, str] = {
    Role.STUDENT: "/student/",
    Role.EDUCATOR: "/educator/",
    Role.PARENT: "/parent/",
    Role.ADMIN: "/admin/",
}


class ToolBoxUserManager(UserManager["User"]):
    def create_superuser(  # type: ignore[override]
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: object
    ) -> User:
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT, db_index=True)
    display_name = models.CharField(max_length=150, blank=True)
    clerk_user_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    school_id: int | None
    grade_level = models.CharField(max_length=2, blank=True, help_text="Students only: K or 1–12.")
    digest_opt_in = models.BooleanField(
        default=True, help_text="Parents only: receive the weekly progress digest by e-mail."
    )

    objects = ToolBoxUserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        # The admin role is the only one with staff rights; keeping the two in step here
        # means no code path can grant one without the other.
        self.is_staff = self.role == Role.ADMIN
        if self.is_superuser and self.role != Role.ADMIN:
            self.is_superuser = False
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_educator(self) -> bool:
        return self.role == Role.EDUCATOR

    @property
    def is_parent(self) -> bool:
        return self.role == Role.PARENT

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def home_url(self) -> str:
        return ROLE_HOME_URLS[self.role]


class ParentLink(models.Model):
    parent = models.ForeignKey(User, on_delete=models.CASCADE, related_name="child_links")
    parent_id: int
    student = models.ForeignKey(User, on_delete=models.CASCADE, related_name="parent_links")
    student_id: int
    can_view_grades = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["parent", "student"], name="unique_parent_student_link")]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.parent} → {self.student}"

    def clean(self) -> None:
        if self.parent.role != Role.PARENT:
            raise ValidationError({"parent": "Only a parent account can be linked to a child."})
        if self.student.role != Role.STUDENT:
            raise ValidationError({"student": "A parent can only be linked to a student account."})


class AuditEvent(models.Model):
    """Who did what, when, with the state before and after. Never edited once written."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_id: int | None
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    school_id: int | None
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_type} {self.target_id}"
