"""Approval credentials that bind a manager's secret to one action on one order.

The till and the server compute the same value. The secret is the manager's PIN or
badge code; it never leaves the till, only the credential does. The nested hash keeps
an attacker who saw one credential from extending it to another message.
"""

import hashlib
import hmac

SEPARATOR = "|"


def approval_message(order_uuid, action, line_uuid, new_value, employee_id):
    """The exact text a credential signs."""
    return SEPARATOR.join([
        str(order_uuid or ""),
        str(action or ""),
        str(line_uuid or ""),
        str(new_value if new_value is not None else ""),
        str(employee_id or ""),
    ])


def _sha1(text):
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def approval_credential(secret, order_uuid, action, line_uuid, new_value, employee_id):
    """sha1(secret:sha1(secret:message)), as computed by the till."""
    message = approval_message(order_uuid, action, line_uuid, new_value, employee_id)
    inner = _sha1(f"{secret}:{message}")
    return _sha1(f"{secret}:{inner}")


def credential_matches(secrets, credential, order_uuid, action, line_uuid, new_value, employee_id):
    """Whether ``credential`` was made with one of ``secrets`` (PIN, badge) for this message."""
    if not credential or not isinstance(credential, str):
        return False
    for secret in secrets:
        if not secret:
            continue
        expected = approval_credential(secret, order_uuid, action, line_uuid, new_value, employee_id)
        if hmac.compare_digest(expected, credential):
            return True
    return False
