"""Import people from the spreadsheets clerks actually keep, and export them in the same shape.

Reading, planning and applying are separate plain functions: `read_table` turns bytes into rows
of text, `plan_import` decides for every row what would happen (new, update, unchanged, error)
without writing anything, and `apply_plan` writes a plan in the caller's transaction. The web
preview and `flask import-people` print the same plan.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from meetings.directory.service import keep_history, new_category_order
from meetings.exports import FORMULA_PREFIXES, Table
from meetings.extensions import db
from meetings.models import (
    InviteeCategory,
    OrganisingBody,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
    User,
    record,
)
from meetings.text import clean, fold, normalize_phone

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a directory of 30,000 people is about 2 MB as .xlsx
MAX_IMPORT_ROWS = 50_000
HEADER_SEARCH_ROWS = 30  # title rows, the issuing body and a date line come first

FIELDS = ("full_name", "position", "unit", "categories", "phone", "email")
# What the export writes, and the first variant the importer recognises.
HEADERS = {
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "unit": "Đơn vị",
    "categories": "Thành phần",
    "phone": "Điện thoại",
    "email": "Email",
}
# Header spellings seen in clerks' lists, folded (no diacritics, lower case, words only).
_VARIANTS = {
    "full_name": (
        "ho va ten",
        "ho ten",
        "ho va ten dai bieu",
        "ho ten dai bieu",
        "ten dai bieu",
        "dai bieu",
        "full name",
        "name",
    ),
    "position": ("chuc vu", "chuc danh", "chuc vu chuc danh", "chuc vu hien tai", "position"),
    "unit": (
        "don vi",
        "co quan",
        "don vi cong tac",
        "co quan don vi",
        "co quan cong tac",
        "noi cong tac",
        "unit",
    ),
    "categories": (
        "thanh phan",
        "nhom",
        "thanh phan moi",
        "nhom dai bieu",
        "thanh phan dai bieu",
        "category",
        "categories",
    ),
    "phone": (
        "dien thoai",
        "sdt",
        "so dien thoai",
        "so dt",
        "dt",
        "dtdd",
        "dien thoai di dong",
        "phone",
    ),
    "email": ("email", "e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu"),
}
_HEADER_LOOKUP = {variant: name for name, variants in _VARIANTS.items() for variant in variants}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")  # the "(1) (2) (3)" row under a header
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CATEGORY_SEPARATORS = re.compile(r"[;\n]+")


class ImportFileError(ValueError):
    """The file cannot be read as a list of people; nothing was changed."""


class Action(StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


ACTION_LABELS = {
    Action.NEW: _l("New"),
    Action.UPDATE: _l("Update"),
    Action.UNCHANGED: _l("Unchanged"),
    Action.ERROR: _l("Error"),
}


@dataclass
class RowPlan:
    """One data row of the file and what applying it would do."""

    line: int  # as the spreadsheet numbers it
    values: dict[str, str]
    action: Action = Action.NEW
    notes: list = field(default_factory=list)  # why: lazy strings
    person_id: int | None = None
    phone: str | None = None  # normal form
    category_ids: list[int] = field(default_factory=list)
    new_categories: list[str] = field(default_factory=list)  # keys of categories to create
    unit_key: str | None = None  # folded unit name


@dataclass
class ImportPlan:
    header_line: int
    columns: list[str]  # the fields found, in file order
    rows: list[RowPlan]
    new_units: list[str]
    # {key: name as the file spells it} of categories the file names that do not exist yet
    new_categories: dict[str, str] = field(default_factory=dict)
    # {name as the file spells it: existing category's name} where the words matched in order
    category_matches: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[Action, int]:
        found = Counter(r.action for r in self.rows)
        return {action: found.get(action, 0) for action in Action}

    @property
    def has_errors(self) -> bool:
        return any(r.action is Action.ERROR for r in self.rows)


# --- Reading -------------------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """Rows of cleaned text from an .xlsx or .csv file; ImportFileError for anything else."""
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _l("The file is too large (limit %(mb)d MB).", mb=MAX_IMPORT_BYTES // (1024 * 1024))
        )
    if data.startswith(b"PK\x03\x04"):
        rows = _read_xlsx(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _l("Old Excel files (.xls) cannot be read: save the file as .xlsx and try again.")
        )
    elif filename.lower().endswith((".csv", ".txt")) or not filename:
        rows = _read_csv(data)
    else:
        raise ImportFileError(_l("Not a spreadsheet: upload an .xlsx or .csv file."))
    rows = [[_cell_text(v) for v in row] for row in rows]
    if not any(any(row) for row in rows):
        raise ImportFileError(_l("The file is empty."))
    return rows


def _read_xlsx(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_l("Not a spreadsheet: upload an .xlsx or .csv file.")) from exc
    try:
        sheet = workbook.worksheets[0]
        # The <dimension> a sheet declares may be wrong (A1:B2 over 400,000 rows): read-only
        # mode would stop there and drop the rest without a word. Read what the sheet holds.
        sheet.reset_dimensions()
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
            if len(rows) > MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS:
                raise ImportFileError(_l("Too many rows (limit %(n)d).", n=MAX_IMPORT_ROWS))
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise ImportFileError(_l("Not a spreadsheet: upload an .xlsx or .csv file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")  # Windows' Vietnamese code page


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    # The delimiter that occurs most in the first lines: title lines defeat csv.Sniffer.
    head = text.splitlines()[:50]
    delimiter = max(",;\t", key=lambda d: sum(line.count(d) for line in head))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS:
        raise ImportFileError(_l("Too many rows (limit %(n)d).", n=MAX_IMPORT_ROWS))
    return rows


def _cell_text(value: object) -> str:
    """A cell as clean text; numbers stored by Excel (phones) without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(str(value)) or ""
    # Undo the apostrophe that meetings.exports puts before formula-like text.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


def _words(value: str) -> list[str]:
    """The words of a name without diacritics, case or punctuation."""
    return _NON_WORD.sub(" ", fold(value)).split()


def _header_word(value: str) -> str:
    return " ".join(_words(value))


def category_key(name: str) -> str:
    """How category names compare: "Bí thư (hoặc Phó Bí thư)" → "bi thu hoac pho bi thu"."""
    return " ".join(_words(name))


def _in_order(words: list[str], within: list[str]) -> bool:
    """Every word of `words` occurs in `within`, in the same order (others may come between)."""
    rest = iter(within)
    return all(word in rest for word in words)


def match_category(name: str, categories: Collection[InviteeCategory]) -> list[InviteeCategory]:
    """The categories a list's own spelling can mean: the one with the same words, or else
    every category whose name holds all of the words in order ("Bí thư cấp ủy cơ sở" for
    "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở")."""
    words = _words(name)
    if not words:
        return []
    same = [c for c in categories if _words(c.name) == words]
    return same or [c for c in categories if _in_order(words, _words(c.name))]


def find_header(rows: list[list[str]]) -> tuple[int, dict[int, str]]:
    """The header row's index and {column index: field}: the first row naming the name column
    and at least one other known column, below any title rows and merged cells."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping: dict[int, str] = {}
        for col, cell in enumerate(row):
            name = _HEADER_LOOKUP.get(_header_word(cell)) if cell else None
            if name and name not in mapping.values():
                mapping[col] = name
        if "full_name" in mapping.values() and len(mapping) >= 2:
            return index, mapping
    raise ImportFileError(
        _l(
            "No header row found: the file needs a column “Họ và tên” and at least one of "
            "“Chức vụ”, “Đơn vị”, “Thành phần”, “Điện thoại”, “Email”."
        )
    )


# --- Planning ------------------------------------------------------------------------------


@dataclass
class _Directory:
    """What the plan compares against, loaded once: people, units, categories of the body."""

    units: dict[str, Unit]
    categories: dict[str, InviteeCategory]  # by category_key()
    by_phone: dict[str, Person]
    by_name_unit: dict[tuple[str, int | None], list[Person]]
    people: dict[int, Person]

    @classmethod
    def load(cls, body: OrganisingBody) -> _Directory:
        units = db.session.scalars(
            select(Unit).where(Unit.body_id == body.id, Unit.retired_at.is_(None))
        ).all()
        categories = db.session.scalars(
            select(InviteeCategory).where(
                InviteeCategory.body_id == body.id, InviteeCategory.retired_at.is_(None)
            )
        ).all()
        people = db.session.scalars(
            select(Person)
            .where(Person.body_id == body.id, Person.retired_at.is_(None))
            .options(selectinload(Person.memberships))
        ).all()
        by_name_unit: dict[tuple[str, int | None], list[Person]] = {}
        for person in people:
            by_name_unit.setdefault((fold(person.full_name), person.unit_id), []).append(person)
        return cls(
            units={fold(u.name): u for u in units},
            categories={category_key(c.name): c for c in categories},
            by_phone={p.phone: p for p in people if p.phone},
            by_name_unit=by_name_unit,
            people={p.id: p for p in people},
        )


def plan_import(rows: list[list[str]], body: OrganisingBody) -> ImportPlan:
    """What importing these rows into the body's directory would do, row by row."""
    header_index, mapping = find_header(rows)
    directory = _Directory.load(body)
    plans: list[RowPlan] = []
    seen_phone: dict[str, int] = {}
    seen_name: dict[tuple[str, str], tuple[int, str | None]] = {}
    new_units: dict[str, str] = {}
    new_categories: dict[str, str] = {}
    matches: dict[str, str] = {}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {name: row[col] if col < len(row) else "" for col, name in mapping.items()}
        if not any(values.values()) or _is_column_numbering(values):
            continue
        plan = RowPlan(line=offset, values=values)
        _check_values(plan, directory, new_units)
        _check_categories(plan, directory, new_categories, matches)
        _check_duplicates(plan, seen_phone, seen_name)
        if plan.action is not Action.ERROR:
            _match(plan, directory)
        plans.append(plan)
    columns = [mapping[c] for c in sorted(mapping)]
    valid = [p for p in plans if p.action is not Action.ERROR]
    used_units = {p.unit_key for p in valid}
    used_categories = {key for p in valid for key in p.new_categories}
    return ImportPlan(
        header_index + 1,
        columns,
        plans,
        [n for k, n in new_units.items() if k in used_units],
        {k: n for k, n in new_categories.items() if k in used_categories},
        matches,
    )


def _is_column_numbering(values: dict[str, str]) -> bool:
    cells = [v for v in values.values() if v]
    return len(cells) >= 2 and all(_COLUMN_NUMBER.fullmatch(v) for v in cells)


def _error(plan: RowPlan, note) -> None:
    plan.action = Action.ERROR
    plan.notes.append(note)


# The longest text each column may hold: the database's column sizes.
MAX_LENGTHS = {
    "full_name": Person.__table__.c.full_name.type.length,
    "position": Person.__table__.c.position.type.length,
    "unit": Unit.__table__.c.name.type.length,
    "email": Person.__table__.c.email.type.length,
}


def _check_lengths(plan: RowPlan) -> None:
    for name, limit in MAX_LENGTHS.items():
        value = plan.values.get(name) or ""
        if len(value) > limit:
            _error(
                plan,
                _l(
                    "%(column)s has %(length)d characters; at most %(limit)d fit.",
                    column=HEADERS[name],
                    length=len(value),
                    limit=limit,
                ),
            )


def _check_values(plan: RowPlan, directory: _Directory, new_units: dict[str, str]) -> None:
    values = plan.values
    if not values.get("full_name"):
        _error(plan, _l("No name."))
    _check_lengths(plan)
    try:
        plan.phone = normalize_phone(values.get("phone") or None)
    except ValueError:
        _error(plan, _l("“%(phone)s” is not a phone number.", phone=values.get("phone")))
    email = values.get("email")
    if email and not _EMAIL.fullmatch(email):
        _error(plan, _l("“%(email)s” is not an email address.", email=email))
    unit = values.get("unit")
    if unit:
        plan.unit_key = fold(unit)
        if plan.unit_key not in directory.units:
            new_units.setdefault(plan.unit_key, unit)


def _check_categories(
    plan: RowPlan,
    directory: _Directory,
    new_categories: dict[str, str],
    matches: dict[str, str],
) -> None:
    """Each category the row names: an existing one (same words, or its words in order in
    exactly one name), a new one to create, or an error when several could be meant."""
    for name in _CATEGORY_SEPARATORS.split(plan.values.get("categories") or ""):
        name = clean(name)
        key = category_key(name or "")
        if not key:
            continue
        found = match_category(name, directory.categories.values())
        if len(found) > 1:
            _error(
                plan,
                _l(
                    "“%(name)s” could be any of %(n)d categories: %(names)s.",
                    name=name,
                    n=len(found),
                    names="; ".join(c.name for c in found),
                ),
            )
        elif found:
            category = found[0]
            if category_key(category.name) != key:
                matches.setdefault(name, category.name)
            if category.id not in plan.category_ids:
                plan.category_ids.append(category.id)
        elif key not in plan.new_categories:
            plan.new_categories.append(key)
            new_categories.setdefault(key, name)
            plan.notes.append(_l("New category “%(name)s”.", name=new_categories[key]))


def _check_duplicates(
    plan: RowPlan,
    seen_phone: dict[str, int],
    seen_name: dict[tuple[str, str], tuple[int, str | None]],
) -> None:
    """A second row for the same person is an error, never merged into the first. Namesakes
    in one unit with two different phones are two people: shown, not refused."""
    if plan.phone:
        if plan.phone in seen_phone:
            _error(plan, _l("Same phone as row %(line)d.", line=seen_phone[plan.phone]))
        else:
            seen_phone[plan.phone] = plan.line
    name = plan.values.get("full_name")
    if not name:
        return
    key = (fold(name), plan.unit_key or "")
    if key not in seen_name:
        seen_name[key] = (plan.line, plan.phone)
        return
    line, phone = seen_name[key]
    if phone and plan.phone and phone != plan.phone:
        plan.notes.append(
            _l("Same name and unit as row %(line)d, another phone: a namesake?", line=line)
        )
    else:
        _error(plan, _l("Same name and unit as row %(line)d.", line=line))


def _contradicts(person: Person, phone: str | None) -> bool:
    return bool(person.phone and phone and person.phone != phone)


def _match(plan: RowPlan, directory: _Directory) -> None:
    """Find the person this row describes: same phone, or else same name in the same unit
    (unless both have phones and they differ: then a namesake, shown as a new person)."""
    name = plan.values["full_name"]
    unit = directory.units.get(plan.unit_key) if plan.unit_key else None
    by_phone = directory.by_phone.get(plan.phone) if plan.phone else None
    if by_phone and fold(by_phone.full_name) != fold(name):
        _error(
            plan,
            _l(
                "Phone %(phone)s already belongs to %(name)s in the directory.",
                phone=plan.phone,
                name=by_phone.full_name,
            ),
        )
        return
    namesakes = directory.by_name_unit.get((fold(name), unit.id if unit else None), [])
    if plan.unit_key and unit is None:
        namesakes = []  # a new unit: nobody in the directory works there yet
    if by_phone:
        candidates = [by_phone]
    else:
        candidates = [p for p in namesakes if not _contradicts(p, plan.phone)]
        plan.notes.extend(
            _l("Same name and unit as %(name)s, another phone: a namesake?", name=p.full_name)
            for p in namesakes
            if _contradicts(p, plan.phone)
        )
    if len(candidates) > 1:
        _error(
            plan, _l("Matches %(n)d people in the directory: fix it by hand.", n=len(candidates))
        )
        return
    if not candidates:
        plan.action = Action.NEW
        return
    person = candidates[0]
    plan.person_id = person.id
    plan.notes.append(
        _l("Same phone as %(name)s.", name=person.full_name)
        if by_phone
        else _l("Same name and unit as %(name)s.", name=person.full_name)
    )
    changes = _changes(plan, person, unit)
    plan.action = Action.UPDATE if changes else Action.UNCHANGED
    plan.notes.extend(changes)


def _changes(plan: RowPlan, person: Person, unit: Unit | None) -> list:
    """What the row would change; blank cells leave the directory as it is."""
    values = plan.values
    changes = []
    if values["full_name"] != person.full_name:
        changes.append(_l("Name: %(old)s → %(new)s", old=person.full_name, new=values["full_name"]))
    position = values.get("position")
    if position and position != (person.position or ""):
        changes.append(_l("Position: %(old)s → %(new)s", old=person.position or "—", new=position))
    if plan.unit_key and (unit is None or unit.id != person.unit_id):
        old = person.unit.name if person.unit else "—"
        changes.append(_l("Unit: %(old)s → %(new)s", old=old, new=values["unit"]))
    if plan.phone and plan.phone != person.phone:
        changes.append(_l("Phone: %(old)s → %(new)s", old=person.phone or "—", new=plan.phone))
    email = values.get("email")
    if email and email != (person.email or ""):
        changes.append(_l("Email: %(old)s → %(new)s", old=person.email or "—", new=email))
    member_of = {m.category_id for m in person.memberships}
    added = len([c for c in plan.category_ids if c not in member_of]) + len(plan.new_categories)
    if added:
        changes.append(_l("Added to %(n)d categories", n=added))
    return changes


# --- Applying ------------------------------------------------------------------------------


def apply_plan(
    plan: ImportPlan,
    body: OrganisingBody,
    user: User | None = None,
    filename: str = "",
    create_categories: Collection[str] | bool = (),
) -> dict:
    """Write the whole plan in the caller's transaction (the caller commits once), or nothing
    at all while a row has an error or names a new category the user did not agree to create.
    Audited as "directory.import" with the counts.

    create_categories: the keys of plan.new_categories to create, or True for all of them."""
    if plan.has_errors:
        raise ImportFileError(_l("Some rows have errors: nothing was imported."))
    refused = [
        name
        for key, name in plan.new_categories.items()
        if create_categories is not True and key not in create_categories
    ]
    if refused:
        raise ImportFileError(
            _l(
                "Nothing was imported: tick the new categories to create, or correct their "
                "names in the file: %(names)s.",
                names="; ".join(refused),
            )
        )
    keep_history([r.person_id for r in plan.rows if r.action is Action.UPDATE])
    units = {
        fold(u.name): u
        for u in db.session.scalars(
            select(Unit).where(Unit.body_id == body.id, Unit.retired_at.is_(None))
        )
    }
    for name in plan.new_units:
        units[fold(name)] = Unit(body_id=body.id, name=name, kind=UnitKind.OTHER)
        db.session.add(units[fold(name)])
    created = _create_categories(plan.new_categories, body)
    done = Counter()
    for row in plan.rows:
        if row.action in (Action.ERROR, Action.UNCHANGED):
            done[row.action] += 1
            continue
        person = db.session.get(Person, row.person_id) if row.person_id else None
        if person is None:
            person = Person(body_id=body.id)
            db.session.add(person)
        row.category_ids += [created[key].id for key in row.new_categories]
        _write(person, row, units.get(row.unit_key) if row.unit_key else None)
        done[row.action] += 1
    db.session.flush()
    counts = {action.value: done.get(action, 0) for action in Action}
    record("directory.import", body, user, filename=filename, **counts)
    return counts


def _create_categories(names: dict[str, str], body: OrganisingBody) -> dict[str, InviteeCategory]:
    """The new categories, last in protocol order, in the order the file first names them."""
    created = {}
    for key, name in names.items():
        category = InviteeCategory(
            body_id=body.id, name=name, protocol_order=new_category_order(body)
        )
        db.session.add(category)
        db.session.flush()  # its id, and the next one's protocol order
        created[key] = category
    return created


def notes_text(notes: list) -> str:
    """A row's notes as one text: sentences, each ending in its own full stop."""
    sentences = [str(note).strip() for note in notes]
    return " ".join(s if s.endswith((".", "?", "!", "…")) else s + "." for s in sentences if s)


def _write(person: Person, row: RowPlan, unit: Unit | None) -> None:
    values = row.values
    person.full_name = values["full_name"]
    person.position = values.get("position") or person.position
    person.unit = unit or person.unit
    person.phone = row.phone or person.phone
    person.email = values.get("email") or person.email
    member_of = {m.category_id for m in person.memberships}
    for category_id in row.category_ids:
        if category_id not in member_of:
            person.memberships.append(PersonCategory(category_id=category_id))


def import_file(filename: str, data: bytes, body: OrganisingBody) -> ImportPlan:
    """Read and plan in one step (the file is re-read and re-planned before applying)."""
    return plan_import(read_table(filename, data), body)


# --- Exporting -----------------------------------------------------------------------------


def people_table(body: OrganisingBody) -> Table:
    """Active people in the import's own columns, so an export imports back unchanged."""
    people = db.session.scalars(
        select(Person)
        .where(Person.body_id == body.id, Person.retired_at.is_(None))
        .options(
            selectinload(Person.unit),
            selectinload(Person.memberships).selectinload(PersonCategory.category),
        )
        .order_by(Person.sort_key, Person.id)
    )
    rows = []
    for person in people:
        categories = sorted(
            (m.category for m in person.memberships if m.category.retired_at is None),
            key=lambda c: (c.protocol_order, c.name),
        )
        rows.append(
            [
                person.full_name,
                person.position or "",
                person.unit.name if person.unit else "",
                "; ".join(c.name for c in categories),
                person.phone or "",
                person.email or "",
            ]
        )
    return Table("Danh bạ", [HEADERS[f] for f in FIELDS], rows, widths=[28, 36, 32, 40, 14, 28])
