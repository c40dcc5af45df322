"""POST /api/v1/checkins and a trivial health endpoint (the benchmark's yardstick)."""

from __future__ import annotations

from flask import Response, jsonify, request

from meetings.api import bp
from meetings.api.service import BadRequest, authenticate, parse_scan, scan
from meetings.extensions import csrf
from meetings.security import public


def _error(status: int, reason: str) -> Response:
    response = jsonify({"status": "error", "reason": reason})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="meetings"'
    return response


@bp.post("/checkins")
@public  # authenticated by its Bearer token below, not by the session cookie
@csrf.exempt
def checkins():
    caller = authenticate(request.headers.get("Authorization"))
    if caller is None:
        return _error(401, "invalid_api_token")
    try:
        wanted = parse_scan(request.get_json(silent=True))
    except BadRequest as error:
        return _error(400, error.reason)
    status, text, replayed = scan(caller, wanted)
    response = Response(text, status=status, mimetype="application/json")
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.get("/health")
@public
def health():
    return jsonify({"status": "ok"})
