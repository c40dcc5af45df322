from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.documents import bp
from meetings.documents.attachments import attach, attachment_file
from meetings.documents.citations import format_citation
from meetings.documents.forms import KIND_LABELS, DocumentForm
from meetings.documents.service import (
    KINDS,
    DocumentData,
    RegisterError,
    conferences_covering,
    create_document,
    search_documents,
    suggest,
    update_document,
)
from meetings.extensions import db
from meetings.models import Document, Role
from meetings.security import roles_required

READERS = (Role.SECRETARIAT, Role.CLERK)


@bp.route("/")
@roles_required(*READERS)
def index():
    q, kind = request.args.get("q", ""), request.args.get("kind", "")
    documents = search_documents(q, kind if kind in KINDS else None)
    return render_template(
        "documents/index.html", documents=documents, q=q, kind=kind, kinds=KINDS, labels=KIND_LABELS
    )


@bp.route("/<int:document_id>")
@roles_required(*READERS)
def detail(document_id: int):
    document = db.session.get(Document, document_id) or abort(404)
    return render_template(
        "documents/detail.html", document=document, conferences=conferences_covering(document)
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def create():
    form = DocumentForm(data=_prefill() if request.method == "GET" else None)
    return _form_page(
        form, None, lambda: create_document(_data(form), current_user), _("Document registered.")
    )


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@roles_required(Role.SECRETARIAT)
def edit(document_id: int):
    document = db.session.get(Document, document_id) or abort(404)
    form = DocumentForm(obj=document)
    return _form_page(
        form,
        document,
        lambda: update_document(document, _data(form), current_user),
        _("Document saved."),
    )


def _form_page(form: DocumentForm, document: Document | None, save, saved: str):
    """The register form: `save()` the valid data with its attachment, or show why not
    (the same symbol and date registered before is named, with a link)."""
    existing = None
    if form.validate_on_submit():
        try:
            document = save()
            _attach(form, document)
            db.session.commit()
            flash(saved, "success")
            return redirect(url_for(".detail", document_id=document.id))
        except RegisterError as error:
            db.session.rollback()
            existing = error.existing
            flash(str(error), "danger")
    return render_template("documents/form.html", form=form, document=document, existing=existing)


@bp.route("/<int:document_id>/attachment")
@roles_required(*READERS)
def attachment(document_id: int):
    document = db.session.get(Document, document_id) or abort(404)
    found = attachment_file(document) or abort(404)
    path, mimetype = found
    return send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=document.attachment_name
    )


@bp.route("/suggest", methods=["POST"])
@roles_required(Role.SECRETARIAT)
def suggest_json():
    """The documents cited in the posted texts, for the suggestion box of the forms."""
    payload = request.get_json(silent=True) or {}
    texts = payload.get("texts") or []
    if not isinstance(texts, list):
        abort(400)
    return jsonify([_suggestion_json(s) for s in suggest(*(str(t)[:20000] for t in texts[:20]))])


def _suggestion_json(s) -> dict:
    c, d = s.citation, s.document
    return {
        "key": s.key,
        "citation": format_citation(c),
        "kind": c.kind,
        "symbol": c.symbol,
        "date": c.date.isoformat() if c.date else None,
        "issuer": c.issuer,
        "document": (
            {"id": d.id, "label": d.citation, "url": url_for(".detail", document_id=d.id)}
            if d
            else None
        ),
        "create_url": url_for(
            ".create",
            kind=c.kind,
            symbol=c.symbol,
            number=c.number,
            issued_on=c.date.isoformat() if c.date else "",
            issuer=c.issuer or "",
        ),
    }


def _prefill() -> dict:
    """A new document pre-filled from a citation (the suggestion box's "create" link)."""
    args = request.args
    data = {k: args[k] for k in ("kind", "symbol", "number", "issuer", "title") if args.get(k)}
    try:
        if args.get("issued_on"):
            data["issued_on"] = date.fromisoformat(args["issued_on"])
    except ValueError:
        pass
    return data


def _data(form: DocumentForm) -> DocumentData:
    return DocumentData(
        kind=form.kind.data,
        symbol=form.symbol.data,
        issued_on=form.issued_on.data,
        number=form.number.data or None,
        issuer=form.issuer.data or None,
        title=form.title.data or None,
    )


def _attach(form: DocumentForm, document: Document) -> None:
    upload = form.attachment.data
    if upload and getattr(upload, "filename", ""):
        attach(document, upload.filename, upload.read(), current_user)
