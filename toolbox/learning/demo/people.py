"""Demo school, demo logins for every role, and as many students and classes as asked for."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from toolbox.accounts.models import ParentLink, Role, School, User
from toolbox.classroom.models import CODE_ALPHABET, Classroom, Enrollment

DEMO_SCHOOL_SLUG = "riverside"
STUDENTS_PER_CLASS = 25
CLASSES_PER_EDUCATOR = 5
# The benchmark's big class ("gradebook for a class of 200"): students drawn from the sections.
LECTURE_CLASS_NAME = "Science 7 — Lecture"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    first_name: str
    last_name: str


# Listed in the README; each lands on its own role's home.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin", "Admin-Demo-2026", Role.ADMIN, "Alex", "Morgan"),
    DemoLogin("teacher", "Teacher-Demo-2026", Role.EDUCATOR, "Maria", "Rivera"),
    DemoLogin("teacher2", "Teacher-Demo-2026", Role.EDUCATOR, "David", "Okafor"),
    DemoLogin("student", "Student-Demo-2026", Role.STUDENT, "Sam", "Lee"),
    DemoLogin("student2", "Student-Demo-2026", Role.STUDENT, "Priya", "Shah"),
    DemoLogin("parent", "Parent-Demo-2026", Role.PARENT, "Jordan", "Lee"),
)

FIRST_NAMES = (
    "Ava",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Finn",
    "Grace",
    "Hugo",
    "Isla",
    "Jack",
    "Kai",
    "Lena",
    "Mia",
    "Noah",
    "Olivia",
    "Pablo",
    "Quinn",
    "Ruby",
    "Sofia",
    "Theo",
    "Uma",
    "Victor",
    "Willow",
    "Xavier",
    "Yara",
    "Zane",
    "Amara",
    "Bilal",
    "Carmen",
    "Dmitri",
    "Esme",
    "Farah",
    "Gabriel",
    "Hana",
    "Idris",
    "Jun",
)
LAST_NAMES = (
    "Adams",
    "Baker",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Hughes",
    "Ito",
    "Johnson",
    "Khan",
    "Lopez",
    "Mensah",
    "Nguyen",
    "O'Brien",
    "Patel",
    "Quispe",
    "Rossi",
    "Smith",
    "Tanaka",
    "Usman",
    "Varga",
    "Williams",
    "Xu",
    "Young",
    "Zhang",
    "Abebe",
    "Novak",
    "Silva",
    "Kowalski",
)

CLASS_TEMPLATES = (
    ("Science", "7", "Science 7"),
    ("Mathematics", "7", "Maths 7"),
    ("History", "8", "History 8"),
)


def seed_school() -> School:
    school, _ = School.objects.get_or_create(
        slug=DEMO_SCHOOL_SLUG, defaults={"name": "Riverside Middle School", "time_zone": "America/Chicago"}
    )
    return school


def seed_logins(*, school: School) -> dict[str, User]:
    users: dict[str, User] = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(
                username=login.username,
                role=login.role,
                first_name=login.first_name,
                last_name=login.last_name,
                email=f"{login.username}@riverside.example",
                school=school,
                grade_level="7" if login.role == Role.STUDENT else "",
                is_superuser=login.role == Role.ADMIN,
            )
            user.set_password(login.password)
            user.save()
        users[login.username] = user
    return users


def _join_code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(7))
        if code not in taken:
            taken.add(code)
            return code


def seed_classes_and_students(
    *, school: School, logins: dict[str, User], students: int, large_class_size: int = 0
) -> list[Classroom]:
    """Creates `students` generated students (beyond the demo logins) in classes of 25, and
    with `large_class_size` the lecture class of that many of them, spread over the sections.

    Everything is created in bulk and keyed by username and class name, so a second run
    finds what the first made and adds nothing.
    """
    rng = random.Random(20260901)  # the same school every time
    class_count = max(2, math.ceil(students / STUDENTS_PER_CLASS))
    educator_count = max(0, math.ceil(class_count / CLASSES_PER_EDUCATOR) - 2)

    educators = [logins["teacher"], logins["teacher2"]]
    existing_educators = {u.username: u for u in User.objects.filter(school=school, role=Role.EDUCATOR)}
    unusable = make_password(None)
    new_educators = [
        User(
            username=f"educator{index:03d}",
            role=Role.EDUCATOR,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            school=school,
            password=unusable,
        )
        for index in range(1, educator_count + 1)
        if f"educator{index:03d}" not in existing_educators
    ]
    User.objects.bulk_create(new_educators, batch_size=1000)
    educators += list(User.objects.filter(school=school, username__startswith="educator").order_by("username"))

    sections = Classroom.objects.filter(school=school).exclude(name=LECTURE_CLASS_NAME)
    existing_classes = {c.name: c for c in sections}
    taken_codes = set(Classroom.objects.values_list("join_code", flat=True))
    new_classes = []
    for index in range(class_count):
        subject, grade, stem = CLASS_TEMPLATES[index % len(CLASS_TEMPLATES)]
        section = chr(ord("A") + (index // len(CLASS_TEMPLATES)) % 26)
        number = index // (len(CLASS_TEMPLATES) * 26)
        name = f"{stem}{section}" + (f"-{number}" if number else "")
        if name in existing_classes:
            continue
        new_classes.append(
            Classroom(
                school=school,
                name=name,
                subject=subject,
                grade_level=grade,
                owner=educators[min(index // CLASSES_PER_EDUCATOR, len(educators) - 1)]
                if index >= 2
                else educators[index],
                join_code=_join_code(rng, taken_codes),
            )
        )
    Classroom.objects.bulk_create(new_classes, batch_size=1000)
    classrooms = list(sections.order_by("id"))[:class_count]

    existing_students = set(User.objects.filter(school=school, role=Role.STUDENT).values_list("username", flat=True))
    new_students = [
        User(
            username=f"student{index:05d}",
            role=Role.STUDENT,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            school=school,
            grade_level="7",
            password=unusable,
        )
        for index in range(1, students + 1)
        if f"student{index:05d}" not in existing_students
    ]
    User.objects.bulk_create(new_students, batch_size=2000)

    generated = list(
        User.objects.filter(school=school, role=Role.STUDENT, username__regex=r"^student[0-9]{5}$")
        .order_by("username")
        .values_list("id", flat=True)[:students]
    )
    now = timezone.now()
    enrollments = [
        Enrollment(
            classroom=classrooms[position // STUDENTS_PER_CLASS % len(classrooms)], student_id=student_id, joined_at=now
        )
        for position, student_id in enumerate(generated)
    ]
    # The demo students sit in the first two classes, so the demo teacher sees them.
    for demo_student in (logins["student"], logins["student2"]):
        enrollments += [
            Enrollment(classroom=classroom, student=demo_student, joined_at=now) for classroom in classrooms[:2]
        ]
    if large_class_size:
        lecture = _lecture(school=school, owner=logins["teacher"], rng=rng)
        step = len(generated) / large_class_size
        enrollments += [
            Enrollment(classroom=lecture, student_id=generated[int(index * step)], joined_at=now)
            for index in range(large_class_size)
        ]
        classrooms.append(lecture)
    Enrollment.objects.bulk_create(enrollments, batch_size=5000, ignore_conflicts=True)

    ParentLink.objects.get_or_create(parent=logins["parent"], student=logins["student"])
    return classrooms


def _lecture(*, school: School, owner: User, rng: random.Random) -> Classroom:
    lecture = Classroom.objects.filter(school=school, name=LECTURE_CLASS_NAME).first()
    if lecture is None:
        taken = set(Classroom.objects.values_list("join_code", flat=True))
        lecture = Classroom.objects.create(
            school=school,
            name=LECTURE_CLASS_NAME,
            subject="Science",
            grade_level="7",
            owner=owner,
            join_code=_join_code(rng, taken),
        )
    return lecture
