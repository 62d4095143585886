"""Reading a roster CSV file: decoding, sniffing the separator, and checking every cell.

Pure functions with no database access; `rosters.py` plans and writes what they read. Row
numbers are the ones a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from toolbox.classroom.models import GradeLevel

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
REQUIRED_COLUMNS = ("first_name", "last_name", "email", "username", "grade")
OPTIONAL_COLUMNS = ("parent_email",)
# A young student may have no e-mail address yet: the column must be there, the cell may be blank.
REQUIRED_CELLS = ("first_name", "last_name", "username", "grade")
FORMULA_PREFIXES = ("=", "+", "-", "@")
_MAX_LENGTHS = {"first_name": 150, "last_name": 150, "username": 150, "email": 254, "parent_email": 254}
_COLUMN_LABELS = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "e-mail",
    "username": "username",
    "grade": "grade",
    "parent_email": "parent e-mail",
}


@dataclass(frozen=True)
class RosterError:
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


class _FileRefusedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Control characters other than tab and line breaks never occur in a spreadsheet's CSV export.
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode(file_bytes: bytes) -> str:
    if len(file_bytes) > MAX_FILE_BYTES:
        raise _FileRefusedError(
            f"The file is {len(file_bytes) / 1024 / 1024:.1f} MB; a roster file can be at most 2 MB. Split it into "
            "smaller files."
        )
    if not file_bytes.strip():
        raise _FileRefusedError("The file is empty. Export the roster from your spreadsheet as CSV and try again.")
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _FileRefusedError(
            "The file is not UTF-8 text. In your spreadsheet choose “Save as… CSV UTF-8” and upload that file."
        ) from None
    if _BINARY_CHARACTERS.search(text):
        raise _FileRefusedError("This does not look like a CSV file (it contains binary data). Upload a CSV export.")
    return text


def _delimiter(header_line: str) -> str:
    """Spreadsheets in many European locales export with `;`; sniff it from the header line."""
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header_line.count(";") > header_line.count(",") else ","


_HEADER_ALIASES = {"e_mail": "email", "parent_e_mail": "parent_email", "grade_level": "grade"}


def _header_key(cell: str) -> str:
    key = "_".join(cell.strip().lower().replace("-", " ").split())
    return _HEADER_ALIASES.get(key, key)


def _read_records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line), strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for row_number, cells in enumerate(reader, start=1):
            stripped = [cell.strip() for cell in cells]
            if not any(stripped):
                continue
            if header is None:
                header = stripped
                continue
            records.append((row_number, stripped))
            if len(records) > MAX_ROWS:
                raise _FileRefusedError(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
    except csv.Error as error:
        raise _FileRefusedError(f"The file could not be read as CSV near row {reader.line_num}: {error}.") from None
    if header is None:
        raise _FileRefusedError("The file has no header row. The first row must name the columns.")
    return header, records


def _header_errors(header: list[str]) -> tuple[dict[str, int], list[RosterError]]:
    keys = [_header_key(cell) for cell in header]
    errors: list[RosterError] = []
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    unknown = [header[index] for index, key in enumerate(keys) if key not in known]
    if unknown:
        errors.append(
            RosterError(
                1,
                None,
                f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                f"The columns are {', '.join(REQUIRED_COLUMNS)} and optionally {', '.join(OPTIONAL_COLUMNS)}.",
            )
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in keys]
    if missing:
        errors.append(RosterError(1, None, f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}."))
    repeated = sorted({key for key in keys if key in known and keys.count(key) > 1})
    if repeated:
        errors.append(RosterError(1, None, f"These columns appear more than once: {', '.join(repeated)}."))
    return {key: index for index, key in enumerate(keys) if key in known}, errors


def clean_grade(value: str) -> str | None:
    grade = value.upper()
    if grade in GradeLevel.values:
        return grade
    if grade.isdigit() and str(int(grade)) in GradeLevel.values:
        return str(int(grade))
    return None


def _cell_errors(row_number: int, values: dict[str, str]) -> list[RosterError]:
    errors: list[RosterError] = []
    for column, value in values.items():
        label = _COLUMN_LABELS[column]
        if value.startswith(FORMULA_PREFIXES):
            errors.append(
                RosterError(
                    row_number,
                    column,
                    f"The {label} starts with “{value[0]}”, which a spreadsheet would run as a formula; "
                    "remove that character.",
                )
            )
            continue
        if not value:
            if column in REQUIRED_CELLS:
                errors.append(RosterError(row_number, column, f"The {label} is missing."))
            continue
        if len(value) > _MAX_LENGTHS.get(column, 150):
            errors.append(
                RosterError(row_number, column, f"The {label} is longer than {_MAX_LENGTHS[column]} characters.")
            )
            continue
        if column in ("email", "parent_email"):
            try:
                validate_email(value)
            except ValidationError:
                errors.append(RosterError(row_number, column, f"“{value}” is not a valid e-mail address."))
        elif column == "grade" and clean_grade(value) is None:
            errors.append(RosterError(row_number, column, f"“{value}” is not a grade: use K or a number from 1 to 12."))
        elif column == "username":
            try:
                UnicodeUsernameValidator()(value)
            except ValidationError:
                errors.append(
                    RosterError(
                        row_number,
                        column,
                        f"“{value}” is not a valid username: use letters, digits and . @ + - _ only, no spaces.",
                    )
                )
    return errors


def parse_roster(file_bytes: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RosterError]]:
    try:
        header, records = _read_records(_decode(file_bytes))
    except _FileRefusedError as refusal:
        return [], [RosterError(None, None, refusal.message)]
    columns, errors = _header_errors(header)
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row_number, cells in records:
        if len(cells) > len(header) and any(cells[len(header) :]):
            errors.append(
                RosterError(row_number, None, "This row has more cells than the header has columns; check separators.")
            )
            continue
        values = {column: (cells[index] if index < len(cells) else "") for column, index in columns.items()}
        values.setdefault("parent_email", "")
        row_errors = _cell_errors(row_number, values)
        username_key = values["username"].lower()
        if username_key and username_key in seen_usernames:
            row_errors.append(
                RosterError(
                    row_number,
                    "username",
                    f"The username “{values['username']}” is also on row {seen_usernames[username_key]}.",
                )
            )
        email_key = values["email"].lower()
        if email_key and email_key in seen_emails:
            row_errors.append(
                RosterError(
                    row_number, "email", f"The e-mail “{values['email']}” is also on row {seen_emails[email_key]}."
                )
            )
        seen_usernames.setdefault(username_key, row_number)
        seen_emails.setdefault(email_key, row_number)
        errors.extend(row_errors)
        if not row_errors:
            values["grade"] = clean_grade(values["grade"]) or ""
            rows.append((row_number, values))
    if not records:
        errors.append(RosterError(None, None, "The file has a header but no students."))
    return rows, errors
