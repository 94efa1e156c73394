"""The provider's SOAP service, called through Odoo's zeep wrapper (``odoo.tools.zeep``).

One call is one ``Exchange``: what was sent (the envelope, with the secret masked), what came
back (the answer or the fault), how long it took, and the outcome. Nothing here touches the
database: the models record the exchange.
"""

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

import requests
from lxml import etree
from zeep.plugins import HistoryPlugin

from odoo.tools import zeep

OUTCOME_OK = "ok"
OUTCOME_FAULT = "fault"
OUTCOME_TIMEOUT = "timeout"
OUTCOME_CONNECTION = "connection"

_SECRET = re.compile(r"(<(?:\w+:)?AppSecret>)(.*?)(</(?:\w+:)?AppSecret>)", re.S)


@dataclass
class Exchange:
    operation: str
    request_id: str
    outcome: str = OUTCOME_OK
    result: dict = field(default_factory=dict)
    fault_code: str = ""
    message: str = ""
    request_xml: str = ""
    response_xml: str = ""
    duration_ms: int = 0


def mask_secret(xml):
    return _SECRET.sub(r"\1***\3", xml or "")


def _to_text(envelope):
    if envelope is None:
        return ""
    return etree.tostring(envelope, encoding="unicode", pretty_print=True)


def _last(history, which):
    """The envelope the history holds, if the call got that far (its properties raise when empty)."""
    try:
        return (getattr(history, which) or {}).get("envelope")
    except IndexError:
        return None


def _plain(value):
    """The provider's result as plain Python: strings, bytes, decimals."""
    if value is None:
        return {}
    return {key: value[key] for key in value}


def call(wsdl_url, timeout, operation, app_id, app_secret, request_id, **payload):
    """Call ``operation`` of the provider; returns an ``Exchange``, never raises for the
    provider's own failures (faults, timeouts, an unreachable server)."""
    exchange = Exchange(operation=operation, request_id=request_id)
    history = HistoryPlugin()
    started = time.monotonic()
    try:
        client = zeep.Client(wsdl_url, timeout=timeout, operation_timeout=timeout, plugins=[history])
        method = client.service[operation]
        result = method(Credentials={"AppId": app_id, "AppSecret": app_secret}, RequestId=request_id, **payload)
        exchange.result = _plain(result)
    except zeep.exceptions.Fault as fault:
        exchange.outcome = OUTCOME_FAULT
        exchange.fault_code = str(fault.code or "")
        exchange.message = fault.message or ""
    except requests.exceptions.Timeout as error:
        exchange.outcome = OUTCOME_TIMEOUT
        exchange.message = str(error)
    except (requests.exceptions.RequestException, OSError, zeep.exceptions.Error) as error:
        exchange.outcome = OUTCOME_CONNECTION
        exchange.message = str(error)
    exchange.duration_ms = int((time.monotonic() - started) * 1000)
    exchange.request_xml = mask_secret(_to_text(_last(history, "last_sent")))
    exchange.response_xml = _to_text(_last(history, "last_received"))
    return exchange


def money(value):
    """An amount as the provider's xsd:decimal, to the fen."""
    return Decimal(str(value)).quantize(Decimal("0.01"))
