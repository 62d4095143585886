"""Writing the audit trail. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

from typing import Any

from toolbox.accounts.models import AuditEvent, School, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Any,
    school: School | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=type(target)._meta.label_lower if hasattr(target, "_meta") else type(target).__name__,
        target_id=str(getattr(target, "pk", target)),
        school=school,
        before=before,
        after=after,
    )
