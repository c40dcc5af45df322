"""The document register: one row per document, identified by its symbol and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from meetings.documents.citations import Citation, parse_citations
from meetings.extensions import db
from meetings.models import AgendaItem, Conference, ConferenceDocument, Document, User, record
from meetings.text import clean, fold

# The kinds the register offers, in the order a secretariat meets them.
KINDS = (
    "Chỉ thị",
    "Nghị quyết",
    "Quy định",
    "Kết luận",
    "Kế hoạch",
    "Hướng dẫn",
    "Thông báo",
    "Quyết định",
    "Nghị định",
    "Thông tư",
    "Luật",
    "Công văn",
    "Chương trình",
    "Đề án",
    "Quy chế",
    "Báo cáo",
    "Thông tri",
    "Công điện",
    "Tờ trình",
    "Nghị quyết liên tịch",
    "Thông tư liên tịch",
    "Bộ luật",
    "Pháp lệnh",
    "Lệnh",
    "Thông cáo",
    "Dự án",
    "Phương án",
    "Giấy mời",
    "Biên bản",
    "Hợp đồng",
)  # every kind the citation parser reports is here, so a cited document can be registered


class RegisterError(ValueError):
    """A change the register refuses; `existing` is the document it would duplicate."""

    def __init__(self, message, existing: Document | None = None) -> None:
        super().__init__(message)
        self.message, self.existing = message, existing

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class DocumentData:
    kind: str
    symbol: str
    issued_on: date | None
    number: str | None = None
    issuer: str | None = None
    title: str | None = None


def canonical_symbol(typed: str) -> tuple[str, str | None]:
    """(canonical symbol, number) of a typed symbol — "24-ct/tu" → "24-CT/TU" — via the parser.

    A symbol the parser does not recognise is kept as typed (trimmed), with no number.
    """
    typed = clean(typed) or ""
    # The parser reads kind codes in capitals, as they are printed; a symbol typed in lower
    # case is read in capitals.
    for candidate in (typed, typed.upper()):
        found = parse_citations(candidate)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(candidate):
            return found[0].symbol, found[0].number
    return typed, None


def find_document(symbol: str, issued_on: date | None) -> Document | None:
    """The registered document with this symbol and date (or symbol alone when undated)."""
    query = select(Document).where(Document.symbol == symbol)
    query = query.where(
        Document.issued_on == issued_on if issued_on else Document.issued_on.is_(None)
    )
    return db.session.scalar(query)


def _prepare(data: DocumentData) -> DocumentData:
    if data.kind not in KINDS:
        raise RegisterError(_l("Choose the kind from the list."))
    symbol, number = canonical_symbol(data.symbol)
    if not symbol:
        raise RegisterError(_l("Give the document's number and symbol."))
    data.symbol = symbol
    data.number = clean(data.number) or number or symbol.split("/")[0].split("-")[0]
    return data


def create_document(data: DocumentData, user: User | None = None) -> Document:
    """Register a document; the same symbol and date twice is refused, naming the first."""
    data = _prepare(data)
    existing = find_document(data.symbol, data.issued_on)
    if existing:
        raise RegisterError(_l("This document is already in the register."), existing)
    document = Document(**vars(data))
    db.session.add(document)
    db.session.flush()
    record("document.create", document, user, symbol=document.symbol)
    return document


def update_document(document: Document, data: DocumentData, user: User | None = None) -> Document:
    data = _prepare(data)
    existing = find_document(data.symbol, data.issued_on)
    if existing and existing.id != document.id:
        raise RegisterError(_l("This document is already in the register."), existing)
    for key, value in vars(data).items():
        setattr(document, key, value)
    db.session.flush()
    record("document.update", document, user, symbol=document.symbol)
    return document


def search_documents(query: str | None = None, kind: str | None = None) -> list[Document]:
    """Documents matching every word of the query in symbol, kind, issuer or title (no accents
    needed), newest first."""
    stmt = select(Document)
    if kind:
        stmt = stmt.where(Document.kind == kind)
    documents = db.session.scalars(
        stmt.order_by(Document.issued_on.desc().nulls_last(), Document.symbol)
    ).all()
    words = fold(query or "").split()
    if not words:
        return list(documents)
    # The register holds hundreds of documents, not millions: filtering in Python keeps the
    # diacritic-free match identical on SQLite and PostgreSQL.
    return [d for d in documents if all(w in _haystack(d) for w in words)]


def _haystack(document: Document) -> str:
    parts = (document.kind, document.symbol, document.issuer, document.title)
    return fold(" ".join(p for p in parts if p))


def conferences_covering(document: Document) -> list[Conference]:
    """Conferences that covered the document, as a listed document or an agenda item."""
    linked = select(ConferenceDocument.conference_id).where(
        ConferenceDocument.document_id == document.id
    )
    presented = select(AgendaItem.conference_id).where(AgendaItem.document_id == document.id)
    return list(
        db.session.scalars(
            select(Conference)
            .where(or_(Conference.id.in_(linked), Conference.id.in_(presented)))
            .order_by(Conference.starts_at.desc())
        )
    )


# --- Citations in what the secretariat types ----------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A document cited in the text: the register's row, or what to create."""

    citation: Citation
    document: Document | None

    @property
    def key(self) -> str:
        """Identifies the cited document in a form: symbol and date."""
        day = self.citation.date.isoformat() if self.citation.date else ""
        return f"{self.citation.symbol}|{day}"


def suggest(*texts: str | None) -> list[Suggestion]:
    """Each document cited in the texts, once, in order, with its register entry if any.

    An undated citation ("Chỉ thị số 24-CT/TU của Thành ủy") matches the register by symbol
    when exactly one document carries it; a dated one repeated without its date is merged
    into the dated one.
    """
    seen: dict[str, Suggestion] = {}
    dated_symbols: set[str] = set()
    for text in texts:
        for citation in parse_citations(text or ""):
            if citation.date is None and citation.symbol in dated_symbols:
                continue
            suggestion = Suggestion(citation, _match(citation))
            if suggestion.key not in seen:
                seen[suggestion.key] = suggestion
                if citation.date:
                    dated_symbols.add(citation.symbol)
    return list(seen.values())


def _match(citation: Citation) -> Document | None:
    if citation.date:
        return find_document(citation.symbol, citation.date)
    candidates = db.session.scalars(
        select(Document).where(Document.symbol == citation.symbol).limit(2)
    ).all()
    return candidates[0] if len(candidates) == 1 else None


def link_documents(conference: Conference, documents: list[Document], user: User | None = None):
    """Add documents to those the conference covers (already linked ones stay as they are)."""
    linked = {link.document_id for link in conference.document_links}
    position = max((link.position for link in conference.document_links), default=-1)
    added = []
    for document in documents:
        if document.id in linked:
            continue
        position += 1
        conference.document_links.append(
            ConferenceDocument(document_id=document.id, position=position)
        )
        linked.add(document.id)
        added.append(document.symbol)
    if added:
        db.session.flush()
        record("conference.link_documents", conference, user, documents=added)
    return added


def unlink_document(conference: Conference, document_id: int, user: User | None = None) -> None:
    for link in list(conference.document_links):
        if link.document_id == document_id:
            conference.document_links.remove(link)
            record("conference.unlink_document", conference, user, document=document_id)
    db.session.flush()


def apply_suggestions(
    conference: Conference,
    suggestions: list[Suggestion],
    link_keys: set[str],
    create_keys: set[str],
    user: User | None = None,
) -> list[str]:
    """Link the chosen registered documents, create the chosen new ones pre-filled and link them."""
    documents = []
    for s in suggestions:
        if s.document and s.key in link_keys:
            documents.append(s.document)
        elif s.document is None and s.key in create_keys:
            c = s.citation
            documents.append(
                create_document(
                    DocumentData(
                        kind=c.kind,
                        symbol=c.symbol,
                        issued_on=c.date,
                        number=c.number,
                        issuer=c.issuer,
                    ),
                    user,
                )
            )
    return link_documents(conference, documents, user)
