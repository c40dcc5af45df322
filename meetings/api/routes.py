"""POST /api/v1/checkins and a trivial health endpoint (the benchmark's yardstick)."""

from __future__ import annotations

from flask import Response, jsonify, request

from meetings.api import bp
from meetings.api.group import GroupCommit
from meetings.api.service import GROUP, Answer, bearer_hash, submit, submit_all
from meetings.extensions import csrf
from meetings.security import public


@bp.record_once
def _group_scans(state) -> None:
    """One group commit of API scans per app, shared by its threads."""
    state.app.extensions[GROUP] = GroupCommit(submit_all)


def _response(answer: Answer) -> Response:
    response = Response(answer.text, status=answer.status, mimetype="application/json")
    if answer.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="meetings"'
    if answer.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.post("/checkins")
@public  # authenticated by its Bearer token below, not by the session cookie
@csrf.exempt
def checkins():
    token_hash = bearer_hash(request.headers.get("Authorization"))
    return _response(submit(token_hash, request.get_json(silent=True)))


@bp.get("/health")
@public
def health():
    return jsonify({"status": "ok"})
