"""Approval tokens: the server's word that a store manager approved one action.

The till never holds anything that could make a token: it sends the manager's approval PIN
to the server, which checks it against a slow hash only the server stores and, when it
matches, signs the approval with a secret that never leaves the server (HMAC-SHA256). A
token binds the order (or the session's cash reference), the line, the action, the approved
value, the manager, the till and an expiry; the database records each token once, so it
approves one thing, once.

Everything here is plain data, so the server and the tests sign and check the same way.
"""

import hashlib
import hmac

VERSION = "v1"
SEPARATOR = "\x1f"

VALID = "valid"
EXPIRED = "expired"
FORGED = "forged"


def _claims_text(claims):
    return SEPARATOR.join([
        VERSION,
        str(claims.get("reference") or ""),
        str(claims.get("line_uuid") or ""),
        str(claims.get("action") or ""),
        str(claims.get("new_value") if claims.get("new_value") is not None else ""),
        str(int(claims.get("employee_id") or 0)),
        str(int(claims.get("config_id") or 0)),
        str(int(claims.get("expires_at") or 0)),
    ])


def sign(secret, claims):
    """The token of ``claims`` (``reference``, ``line_uuid``, ``action``, ``new_value``,
    ``employee_id``, ``config_id``, ``expires_at`` in epoch seconds)."""
    digest = hmac.new(secret.encode(), _claims_text(claims).encode(), hashlib.sha256).hexdigest()
    return f"{VERSION}.{digest}"


def check(secret, claims, token, now):
    """``VALID``, ``EXPIRED`` (genuine but past ``expires_at``) or ``FORGED``."""
    if not isinstance(token, str) or not token.startswith(VERSION + "."):
        return FORGED
    try:
        expires_at = int(claims.get("expires_at") or 0)
    except (TypeError, ValueError):
        return FORGED
    if not hmac.compare_digest(sign(secret, {**claims, "expires_at": expires_at}), token):
        return FORGED
    return VALID if now <= expires_at else EXPIRED


def offline_reference(reference, line_uuid, action, new_value):
    """A stable key for an approval given offline (no token): sent twice, recorded once."""
    text = SEPARATOR.join(["offline", str(reference or ""), str(line_uuid or ""), str(action or ""), str(new_value)])
    return "offline." + hashlib.sha256(text.encode()).hexdigest()
