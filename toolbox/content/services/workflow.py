"""The review workflow of lessons and quizzes.

    draft ──submit──▶ in_review ──approve──▶ published ──archive──▶ archived
      ▲                   │
      └─────reject────────┘  (with the reviewer's notes)

An AI draft (source "ai") reaches students only through `content_approve`: an educator
(or an admin) of the school approves it from draft (AI drafts wait in the review queue
there) or from review. `content_publish` is the
shortcut for hand-written content and refuses AI drafts outright, and no edit can turn an
AI draft into a manual one (the source is not an editable field), so there is no path from
generation to students that skips a person.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from toolbox.accounts import permissions
from toolbox.accounts.audit import audit_record
from toolbox.accounts.models import User
from toolbox.content.models import ContentSource, ContentStatus, Lesson, Quiz
from toolbox.content.services._common import EDITABLE_STATUSES, content_noun, lock_status, require_visible
from toolbox.errors import ConflictError, ForbiddenError, InvalidInputError


def _require_status(content: Lesson | Quiz, allowed: frozenset[str], action: str) -> None:
    if content.status not in allowed:
        raise ConflictError(
            f"This {content_noun(content)} is {ContentStatus(content.status).label.lower()}, so it cannot be {action}."
        )


def _require_questions(content: Lesson | Quiz) -> None:
    if isinstance(content, Quiz) and not content.questions.exists():
        raise ConflictError("Add at least one question before this quiz goes for review or to students.")


def _record(*, actor: User, content: Lesson | Quiz, action: str, before: str, notes: str = "") -> None:
    after: dict[str, object] = {"status": content.status}
    if notes:
        after["notes"] = notes
    audit_record(
        actor=actor,
        action=f"content.{action}",
        target=content,
        school=content.school,
        before={"status": before},
        after=after,
    )


def content_submit_for_review(*, actor: User, content: Lesson | Quiz) -> Lesson | Quiz:
    """Send a draft to the school's reviewers."""
    with transaction.atomic():
        lock_status(content)
        require_visible(actor, content)
        _require_status(content, frozenset({ContentStatus.DRAFT}), "submitted for review")
        if not permissions.can_submit_for_review(actor, content):
            raise ForbiddenError(f"You may not submit this {content_noun(content)} for review.")
        _require_questions(content)
        before = content.status
        content.status = ContentStatus.IN_REVIEW
        content.save(update_fields=["status", "updated_at"])
        _record(actor=actor, content=content, action="submitted", before=before)
    return content


def content_approve(*, actor: User, content: Lesson | Quiz, notes: str = "") -> Lesson | Quiz:
    """A reviewer approves: the content is published and the reviewer is recorded."""
    with transaction.atomic():
        lock_status(content)
        require_visible(actor, content)
        # A hand-written draft is approved once submitted; an AI draft waits in the review
        # queue as a draft, so it may be approved from there.
        approvable = EDITABLE_STATUSES if content.source == ContentSource.AI else frozenset({ContentStatus.IN_REVIEW})
        _require_status(content, approvable, "approved")
        if not permissions.can_review_content(actor, content):
            raise ForbiddenError(f"You may not review this {content_noun(content)}.")
        _require_questions(content)
        before = content.status
        now = timezone.now()
        content.status = ContentStatus.PUBLISHED
        content.reviewed_by = actor
        content.reviewed_at = now
        content.published_at = now
        content.review_notes = notes.strip()
        content.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "review_notes", "updated_at"]
        )
        _record(actor=actor, content=content, action="approved", before=before, notes=content.review_notes)
    return content


def content_reject(*, actor: User, content: Lesson | Quiz, notes: str) -> Lesson | Quiz:
    """A reviewer sends the content back to draft, saying what to change."""
    if not isinstance(notes, str) or not notes.strip():
        raise InvalidInputError("Say what needs to change: rejecting needs the reviewer's notes.", field="notes")
    with transaction.atomic():
        lock_status(content)
        require_visible(actor, content)
        _require_status(content, EDITABLE_STATUSES, "rejected")
        if not permissions.can_review_content(actor, content):
            raise ForbiddenError(f"You may not review this {content_noun(content)}.")
        before = content.status
        content.status = ContentStatus.DRAFT
        content.reviewed_by = actor
        content.reviewed_at = timezone.now()
        content.review_notes = notes.strip()
        content.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_notes", "updated_at"])
        _record(actor=actor, content=content, action="rejected", before=before, notes=content.review_notes)
    return content


def content_publish(*, actor: User, content: Lesson | Quiz) -> Lesson | Quiz:
    """Publish hand-written content directly (its reviewer takes responsibility for it).
    Refused for AI drafts, which must go through `content_approve`."""
    with transaction.atomic():
        lock_status(content)
        require_visible(actor, content)
        _require_status(content, EDITABLE_STATUSES, "published")
        if content.source == ContentSource.AI:
            raise ConflictError(
                f"This {content_noun(content)} was drafted by AI: an educator must review and approve it "
                "before students can see it."
            )
        if not permissions.can_publish_content(actor, content):
            raise ForbiddenError(f"You may not publish this {content_noun(content)}.")
        _require_questions(content)
        before = content.status
        now = timezone.now()
        content.status = ContentStatus.PUBLISHED
        content.reviewed_by = actor
        content.reviewed_at = now
        content.published_at = now
        content.save(update_fields=["status", "reviewed_by", "reviewed_at", "published_at", "updated_at"])
        _record(actor=actor, content=content, action="published", before=before)
    return content


def content_archive(*, actor: User, content: Lesson | Quiz) -> Lesson | Quiz:
    """Retire published content; existing assignments and attempts keep it."""
    with transaction.atomic():
        lock_status(content)
        require_visible(actor, content)
        _require_status(content, frozenset({ContentStatus.PUBLISHED}), "archived")
        if not permissions.can_archive_content(actor, content):
            raise ForbiddenError(f"You may not archive this {content_noun(content)}.")
        before = content.status
        content.status = ContentStatus.ARCHIVED
        content.save(update_fields=["status", "updated_at"])
        _record(actor=actor, content=content, action="archived", before=before)
    return content
