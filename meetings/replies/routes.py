from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _

from meetings.extensions import db, limiter
from meetings.replies import bp
from meetings.replies.forms import ReplyForm
from meetings.replies.service import (
    Answer,
    ReplyError,
    answer_history,
    current_answer,
    find_invitation,
    replies_open,
    reply,
)
from meetings.security import public

REFUSALS = {
    "closed": lambda: _("The conference has started: the answer can no longer be changed."),
    "reason": lambda: _("Give the reason for your absence."),
    "deputy": lambda: _("Give the deputy's full name and position."),
    "no_deputy": lambda: _("This invitation does not allow a deputy."),
}


def reply_panel(token: str) -> dict | None:
    """What the reply form on the invitee's page (checkin's /c/<token>) needs."""
    invitation = find_invitation(token)
    if invitation is None:
        return None
    answer = current_answer(invitation)
    form = ReplyForm(
        answer=answer.value if answer else None,
        reason=invitation.absence_reason,
        deputy_name=invitation.substitute_name,
        deputy_position=invitation.substitute_position,
    )
    history = answer_history(invitation)
    return dict(
        invitation=invitation,
        form=form,
        open=replies_open(invitation.conference),
        answer=answer,
        answered_at=history[-1].at if history else None,
        Answer=Answer,
    )


bp.add_app_template_global(reply_panel, "reply_panel")


def _limit() -> str:
    return current_app.config["PUBLIC_CHECKIN_RATE_LIMIT"]


@bp.post("/c/<token>/reply")
@public
@limiter.limit(_limit)
def answer(token: str):
    invitation = find_invitation(token) or abort(404)
    form = ReplyForm()
    back = url_for("checkin.personal", token=token) + "#reply"
    if not form.validate_on_submit():
        flash(_("Choose an answer."), "danger")
        return redirect(back)
    try:
        reply(
            invitation,
            Answer(form.answer.data),
            form.reason.data,
            form.deputy_name.data,
            form.deputy_position.data,
        )
    except ReplyError as error:  # raised before anything changed
        flash(REFUSALS[str(error)](), "danger")
        return redirect(back)
    db.session.commit()
    flash(_("Thank you: your answer is recorded."), "success")
    return redirect(back)
