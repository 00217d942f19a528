"""Texts of the volunteers' page chosen by a state or a reason code (the
others are written where they are used). Lazy: translated when shown."""

from __future__ import annotations

from flask_babel import gettext, lazy_gettext

# An assignment's state as the volunteer reads it on its card.
STATUS_LABELS = {
    "proposed": lazy_gettext("Waiting for your answer"),
    "confirmed": lazy_gettext("Confirmed"),
    "declined": lazy_gettext("Declined"),
    "cancelled": lazy_gettext("Cancelled"),
}
# The state inside a sentence ("... because it is {state}").
STATE_IN_SENTENCE = {
    "proposed": lazy_gettext("proposed"),
    "confirmed": lazy_gettext("confirmed"),
    "declined": lazy_gettext("declined"),
    "cancelled": lazy_gettext("cancelled"),
}
# Why a sign-in with a code was refused (signin.SignInRefused.reason).
SIGNIN_REFUSED = {
    "signin_empty": lazy_gettext("Please enter your code."),
    "signin_wrong": lazy_gettext(
        "That code is not right, or it is no longer in use. Check that you typed it exactly, "
        "or ask your volunteer centre for a new one."),
    "signin_not_volunteer": lazy_gettext(
        "This is not a volunteer's code, so it cannot be used here. Use the personal code you "
        "were given as a volunteer."),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def conflict_text(action: str, state: str) -> str:
    """Why an answer came too late: the assignment is now in `state`."""
    if action == "confirm":
        return gettext("This assignment can no longer be confirmed: it is %(state)s.",
                       state=str(STATE_IN_SENTENCE[state]))
    return gettext("This assignment can no longer be declined: it is %(state)s.",
                   state=str(STATE_IN_SENTENCE[state]))


# Why a seat does not suit the volunteer (candidates' rule codes), as they read it.
RULE_LABELS = {
    "inactive": lazy_gettext("your centre has marked you as not active"),
    "already_assigned": lazy_gettext("you already have a role in this session"),
    "declined_before": lazy_gettext("you declined this session before"),
    "availability": lazy_gettext("you are not available at this time"),
    "skills": lazy_gettext("the role needs a skill your centre has not checked for you"),
    "languages": lazy_gettext("the role needs a language you have not listed"),
    "certificate": lazy_gettext("the role needs a valid certificate, such as a police "
                                "certificate"),
    "distance": lazy_gettext("the place is farther than you travel"),
    "overlap": lazy_gettext("you are busy in another session at the same time"),
    "weekly_limit": lazy_gettext("it would go over your weekly limit of hours or sessions"),
}


def rule_label(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))
