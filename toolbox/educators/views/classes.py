"""Classes: the list, create/edit/archive, the class page (roster, join code, students,
parent invites), the roster CSV import and setting work."""

from __future__ import annotations

import base64
import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from toolbox.accounts.mixins import (
    domain_errors_as_messages,
    domain_errors_to_form,
    is_htmx,
    not_found_as_404,
    render_page_or_fragment,
    role_required,
)
from toolbox.accounts.models import Role, User
from toolbox.classroom.models import Classroom, Enrollment, EnrollmentStatus
from toolbox.classroom.selectors import classroom_roster, educator_classrooms, student_parent_invites
from toolbox.classroom.services import (
    classroom_archive,
    classroom_create,
    classroom_update,
    enrollment_add,
    enrollment_remove,
    join_code_regenerate,
    parent_invite_create,
    roster_import_commit,
    roster_import_preview,
)
from toolbox.educators.forms.classes import (
    AddStudentForm,
    AssignForm,
    ClassroomForm,
    RosterCommitForm,
    RosterUploadForm,
)
from toolbox.educators.views._shared import class_crumbs, classroom_for_teacher, educator_of, in_school_time_zone
from toolbox.errors import InvalidInputError, NotFoundError
from toolbox.learning.services import assignment_create

CLASSES_PER_PAGE = 25
STUDENTS_PER_PAGE = 25


def _home_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("educators:home")), ("Classes", reverse("educators:class_list")), *more]


# --- The list, create, edit, archive ----------------------------------------------------------


@role_required("educator")
def class_list(request: HttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    classrooms = educator_classrooms(educator=educator_of(request), include_archived=show_archived)
    if show_archived:
        classrooms = classrooms.filter(is_archived=True)
    page_obj = Paginator(classrooms, CLASSES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "educators/classes/list.html",
        {
            "page_obj": page_obj,
            "show_archived": show_archived,
            "crumbs": [("Home", reverse("educators:home")), ("Classes", "")],
        },
    )


@role_required("educator")
def class_create(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            classroom = classroom_create(actor=educator_of(request), **form.cleaned_data)
            messages.success(request, f"Class “{classroom.name}” created. Share its join code with your students.")
            return redirect("educators:class_detail", classroom.pk)
    return render(
        request,
        "educators/classes/form.html",
        {
            "form": form,
            "title": "Create a class",
            "submit_label": "Create class",
            "crumbs": _home_crumbs(("New class", "")),
        },
        status=422 if form.errors else 200,
    )


@role_required("educator")
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    initial = {"name": classroom.name, "subject": classroom.subject, "grade_level": classroom.grade_level}
    form = ClassroomForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            classroom_update(actor=educator_of(request), classroom=classroom, **form.cleaned_data)
            messages.success(request, "Class details saved.")
            return redirect("educators:class_detail", classroom.pk)
    return render(
        request,
        "educators/classes/form.html",
        {
            "form": form,
            "classroom": classroom,
            "title": f"Edit {classroom.name}",
            "submit_label": "Save changes",
            "crumbs": class_crumbs(classroom, ("Edit", "")),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@role_required("educator")
@domain_errors_as_messages
def class_archive(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    classroom_archive(actor=educator_of(request), classroom=classroom)
    messages.success(request, f"“{classroom.name}” is archived. Its students keep their grades.")
    return redirect("educators:class_list")


# --- The class page: roster, join code, students ---------------------------------------------


def _roster_context(request: HttpRequest, classroom_id: int, add_form: AddStudentForm | None = None) -> dict:
    roster = classroom_roster(actor=educator_of(request), classroom_id=classroom_id)
    page_obj = Paginator(roster.students, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "classroom": roster.classroom,
        "roster": roster,
        "page_obj": page_obj,
        "add_form": add_form or AddStudentForm(school_id=roster.classroom.school_id),
        "crumbs": class_crumbs(roster.classroom),
        "is_fragment": is_htmx(request),
    }


@role_required("educator")
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The roster itself refuses a class the educator does not teach (404), so the class is
    # not looked up twice.
    with not_found_as_404():
        context = _roster_context(request, pk)
    return render_page_or_fragment(request, "educators/classes/detail.html", "educators/classes/_roster.html", context)


@require_POST
@role_required("educator")
@domain_errors_as_messages
def join_code_new(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    classroom.join_code = join_code_regenerate(actor=educator_of(request), classroom=classroom)
    messages.success(request, "New join code made. The old code no longer works.")
    if is_htmx(request):
        return render(
            request, "educators/classes/_join_code.html", {"classroom": classroom, "fresh": True, "is_fragment": True}
        )
    return redirect("educators:class_detail", classroom.pk)


@require_POST
@role_required("educator")
def student_add(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    form = AddStudentForm(request.POST, school_id=classroom.school_id)
    if form.is_valid():
        student = form.cleaned_data["student"]
        with domain_errors_to_form(form):
            enrollment_add(actor=educator_of(request), classroom=classroom, student=student)
            messages.success(request, f"{student.name} added to {classroom.name}.")
            if not is_htmx(request):
                return redirect("educators:class_detail", classroom.pk)
            form = None
    return render_page_or_fragment(
        request,
        "educators/classes/detail.html",
        "educators/classes/_roster.html",
        _roster_context(request, classroom.pk, add_form=form),
        status=422 if form is not None and form.errors else 200,
    )


def _enrolled_student(classroom: Classroom, student_id: int) -> User:
    enrollment = (
        Enrollment.objects.select_related("student")
        .filter(classroom=classroom, student_id=student_id, status=EnrollmentStatus.ACTIVE, student__role=Role.STUDENT)
        .first()
    )
    if enrollment is None:
        raise Http404("This student is not in this class.")
    return enrollment.student


@require_POST
@role_required("educator")
@domain_errors_as_messages
def student_remove(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    student = _enrolled_student(classroom, student_id)
    enrollment_remove(actor=educator_of(request), classroom=classroom, student=student)
    messages.success(request, f"{student.name} removed from {classroom.name}. Their past work is kept.")
    if is_htmx(request):
        return render(request, "educators/classes/_roster.html", _roster_context(request, classroom.pk))
    return redirect("educators:class_detail", classroom.pk)


# --- Parent invites ---------------------------------------------------------------------------


@role_required("educator")
@in_school_time_zone
def parent_invites(request: HttpRequest, pk: int, student_id: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    student = _enrolled_student(classroom, student_id)
    if request.method == "POST":
        try:
            invite = parent_invite_create(actor=educator_of(request), student=student)
        except NotFoundError as error:
            raise Http404(error.message) from error
        except InvalidInputError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"New parent invite code {invite.code} for {student.name}.")
        return redirect("educators:parent_invites", classroom.pk, student.pk)
    invites = list(student_parent_invites(actor=educator_of(request), student=student))
    return render(
        request,
        "educators/classes/parent_invites.html",
        {
            "classroom": classroom,
            "student": student,
            "invites": invites,
            "usable_invites": [invite for invite in invites if invite.is_usable],
            "crumbs": class_crumbs(classroom, (f"Parent invites for {student.name}", "")),
        },
    )


# --- Roster import ----------------------------------------------------------------------------


def _session_key(classroom: Classroom) -> str:
    return f"roster_import:{classroom.pk}"


def _import_context(classroom: Classroom, **extra: object) -> dict:
    return {
        "classroom": classroom,
        "crumbs": class_crumbs(classroom, ("Import a roster", "")),
        **extra,
    }


@role_required("educator")
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a CSV and see the dry run: every error, or what a commit would do. Nothing is
    written here; a valid file waits in the session (server-side) for the commit."""
    classroom = classroom_for_teacher(request, pk)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    if request.method == "POST" and form.is_valid():
        file_bytes: bytes = form.cleaned_data["file"]
        with domain_errors_to_form(form):
            report = roster_import_preview(actor=educator_of(request), classroom=classroom, file_bytes=file_bytes)
            if report.is_valid:
                request.session[_session_key(classroom)] = {
                    "sha256": report.file_sha256,
                    "content": base64.b64encode(file_bytes).decode("ascii"),
                }
            else:
                request.session.pop(_session_key(classroom), None)
            return render(
                request,
                "educators/classes/roster_preview.html",
                _import_context(
                    classroom,
                    report=report,
                    counts={action: report.count(action) for action in ("create", "enrol", "already_enrolled")},
                    errors=report.errors,
                    commit_form=RosterCommitForm(initial={"file_sha256": report.file_sha256}),
                    upload_form=RosterUploadForm(),
                    file_name=form.file_name,
                ),
            )
    return render(
        request,
        "educators/classes/roster_upload.html",
        _import_context(classroom, form=form),
        status=422 if form.errors else 200,
    )


@require_POST
@role_required("educator")
@in_school_time_zone
def roster_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Commit the file that was previewed (and only that file), then show the printable list
    of set-password links. Committing the same file again shows the same list."""
    classroom = classroom_for_teacher(request, pk)
    form = RosterCommitForm(request.POST)
    stored = request.session.get(_session_key(classroom)) or {}
    file_bytes = base64.b64decode(stored.get("content", ""))
    previewed = form.is_valid() and stored.get("sha256") == form.cleaned_data["file_sha256"]
    if not previewed or hashlib.sha256(file_bytes).hexdigest() != stored.get("sha256"):
        messages.error(request, "That preview has expired. Upload the file again to check it before importing.")
        return redirect("educators:roster_import", classroom.pk)
    try:
        result = roster_import_commit(actor=educator_of(request), classroom=classroom, file_bytes=file_bytes)
    except NotFoundError as error:
        raise Http404(error.message) from error
    except InvalidInputError as error:
        request.session.pop(_session_key(classroom), None)
        return render(
            request,
            "educators/classes/roster_preview.html",
            _import_context(
                classroom, report=None, errors=error.errors, upload_form=RosterUploadForm(), failed=error.message
            ),
        )
    request.session.pop(_session_key(classroom), None)
    return render(
        request,
        "educators/classes/roster_done.html",
        _import_context(classroom, result=result),
    )


# --- Setting work -----------------------------------------------------------------------------


@role_required("educator")
@in_school_time_zone
def assign(request: HttpRequest) -> HttpResponse:
    educator = educator_of(request)
    classrooms = educator_classrooms(educator=educator)
    form = AssignForm(
        request.POST or None,
        classrooms=classrooms,
        school_id=educator.school_id,
        initial={"classroom": request.GET.get("classroom")},
    )
    if request.method == "POST" and form.is_valid():
        with domain_errors_to_form(form):
            assignment = assignment_create(actor=educator, **form.service_arguments())
            messages.success(request, f"“{assignment.title}” assigned to {assignment.classroom.name}.")
            return redirect("educators:gradebook", assignment.classroom_id)
    return render(
        request,
        "educators/classes/assign.html",
        {"form": form, "crumbs": _home_crumbs(("Assign work", ""))},
        status=422 if form.errors else 200,
    )
