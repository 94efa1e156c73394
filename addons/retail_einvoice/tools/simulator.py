"""A local electronic invoice provider that speaks real SOAP 1.1, for tests and the demo.

It serves the WSDL of ``einvoice.wsdl`` at ``/?wsdl`` and answers envelopes posted to ``/``:
IssueInvoice, RedInvoice, VoidInvoice and QueryInvoice. Like a real provider it

- answers a SOAP fault for unknown credentials (``Client.Authentication``) or a malformed buyer
  tax id (``Client.InvalidTaxId``);
- keys every request by its ``RequestId``: a request repeated with the same id gets the earlier
  answer and issues nothing new, so a client may retry after a lost answer;
- can be told to hold its next answers for some seconds, after doing the work, which is how an
  answer gets lost behind a client's timeout.

The XML is read and written with lxml and HTTP served by werkzeug, both of Odoo's own
requirements: four operations over one small schema did not call for a SOAP server framework
(spyne, the maintained one, does not run on the Python versions Odoo 19 supports above 3.11).
"""

import base64
import io
import threading
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from lxml import etree
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .tax_id import PROBLEMS, tax_id_problem

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "urn:retail-einvoice:v1"
WSDL_PATH = Path(__file__).with_name("einvoice.wsdl")
OPERATIONS = ("IssueInvoice", "RedInvoice", "VoidInvoice", "QueryInvoice")


class SoapFault(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _text(element, path):
    found = element.find(path, {"e": NS})
    return found.text or "" if found is not None else ""


def _pdf(title, lines):
    """A one-page PDF of the invoice, drawn with reportlab (one of Odoo's requirements)."""
    from reportlab.lib.pagesizes import A5, landscape  # noqa: PLC0415 - only the provider draws
    from reportlab.pdfbase import pdfmetrics  # noqa: PLC0415
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A5))
    page.setFont("STSong-Light", 14)
    page.drawString(40, 380, title)
    page.setFont("STSong-Light", 10)
    for row, line in enumerate(lines):
        page.drawString(40, 350 - row * 16, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


class ProviderState:
    """What the provider remembers: its customers, its invoices, the answers it gave."""

    def __init__(self, credentials):
        self.credentials = dict(credentials)
        self.answers = {}  # RequestId -> (operation, result dict)
        self.invoices = {}  # InvoiceNumber -> invoice dict
        self.issued_count = 0
        self.calls = []  # (operation, RequestId) of every envelope received
        self.delay_seconds = 0.0
        self.delay_left = 0
        self.lock = threading.Lock()
        self._next_number = 1

    def delay_next(self, seconds, count=1):
        """Hold the next ``count`` answers ``seconds`` long, after doing their work."""
        with self.lock:
            self.delay_seconds, self.delay_left = seconds, count

    def _take_delay(self):
        with self.lock:
            if self.delay_left:
                self.delay_left -= 1
                return self.delay_seconds
        return 0.0

    # -- the operations ------------------------------------------------------------------
    def handle(self, operation, body):
        app_id, secret = _text(body, "e:Credentials/e:AppId"), _text(body, "e:Credentials/e:AppSecret")
        request_id = _text(body, "e:RequestId")
        with self.lock:
            self.calls.append((operation, request_id))
            if not app_id or self.credentials.get(app_id) != secret:
                raise SoapFault("soap:Client.Authentication", "AUTH_FAILED: unknown app id or wrong secret")
            if not request_id:
                raise SoapFault("soap:Client.MissingRequestId",
                                "REQUEST_ID_REQUIRED: every request carries a RequestId")
            if operation == "QueryInvoice":
                earlier = self.answers.get(request_id)
                return earlier[1] if earlier else {"RequestId": request_id, "Status": "NOT_FOUND"}
            earlier = self.answers.get(request_id)
            if earlier:
                if earlier[0] != operation:
                    raise SoapFault("soap:Client.RequestIdReused",
                                    f"REQUEST_ID_REUSED: {request_id} was used for {earlier[0]}")
                return earlier[1]
            result = getattr(self, f"_{operation}")(body, request_id)
            self.answers[request_id] = (operation, result)
            return result

    def _new_invoice(self, body, request_id, kind, buyer_title, buyer_tax_id):
        number = f"{self._next_number:020d}"
        self._next_number += 1
        code = "0" * 12 if kind == "blue" else "1" * 12
        total, tax = Decimal(_text(body, "e:TotalAmount") or "0"), Decimal(_text(body, "e:TotalTax") or "0")
        lines = [
            {name: _text(line, f"e:{name}") for name in ("Name", "Quantity", "Amount", "TaxRate", "TaxAmount")}
            for line in body.findall("e:Lines/e:Line", {"e": NS})
        ]
        if sum((Decimal(line["Amount"]) for line in lines), Decimal(0)) + tax != total:
            raise SoapFault("soap:Client.AmountMismatch",
                            "AMOUNT_MISMATCH: the lines and the tax do not add up to the total")
        issued_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        invoice = {"number": number, "code": code, "kind": kind, "state": "issued", "total": total, "tax": tax,
                   "buyer_title": buyer_title, "buyer_tax_id": buyer_tax_id, "lines": lines, "request_id": request_id}
        self.invoices[number] = invoice
        self.issued_count += 1
        title = ("电子发票 普通发票" if kind == "blue" else "电子发票 红字发票") + f" {code} {number}"
        rows = [f"购买方 Buyer: {buyer_title} {buyer_tax_id}"] + [
            f"{line['Name']}  x{line['Quantity']}  {line['Amount']}  {line['TaxRate']}  {line['TaxAmount']}"
            for line in lines
        ] + [f"价税合计 Total: {total}  税额 Tax: {tax}"]
        xml = etree.Element("Invoice", Kind=kind, Number=number, Code=code, IssuedAt=issued_at)
        etree.SubElement(xml, "Buyer", Title=buyer_title, TaxId=buyer_tax_id)
        for line in lines:
            etree.SubElement(xml, "Line", **line)
        etree.SubElement(xml, "Total", Amount=str(total), Tax=str(tax))
        return {
            "RequestId": request_id, "Status": "ISSUED", "InvoiceNumber": number, "InvoiceCode": code,
            "IssuedAt": issued_at, "Pdf": _pdf(title, rows),
            "Xml": etree.tostring(xml, encoding="utf-8", xml_declaration=True),
        }

    def _IssueInvoice(self, body, request_id):
        buyer_tax_id = _text(body, "e:BuyerTaxId")
        if buyer_tax_id and tax_id_problem(buyer_tax_id):
            raise SoapFault("soap:Client.InvalidTaxId", f"INVALID_TAX_ID: {PROBLEMS[tax_id_problem(buyer_tax_id)]}")
        if not _text(body, "e:BuyerTitle"):
            raise SoapFault("soap:Client.MissingTitle", "TITLE_REQUIRED: the buyer's title is required")
        return self._new_invoice(body, request_id, "blue", _text(body, "e:BuyerTitle"), buyer_tax_id)

    def _RedInvoice(self, body, request_id):
        original = self.invoices.get(_text(body, "e:OriginalNumber"))
        if not original or original["code"] != _text(body, "e:OriginalCode") or original["kind"] != "blue":
            raise SoapFault("soap:Client.UnknownInvoice", "UNKNOWN_INVOICE: no such blue invoice")
        if original["state"] != "issued":
            raise SoapFault("soap:Client.InvoiceState", f"INVOICE_STATE: the invoice is {original['state']}")
        if Decimal(_text(body, "e:TotalAmount") or "0") != -original["total"]:
            raise SoapFault("soap:Client.AmountMismatch", "AMOUNT_MISMATCH: a red invoice reverses the whole blue one")
        original["state"] = "reversed"
        return self._new_invoice(body, request_id, "red", original["buyer_title"], original["buyer_tax_id"])

    def _VoidInvoice(self, body, request_id):
        invoice = self.invoices.get(_text(body, "e:InvoiceNumber"))
        if not invoice or invoice["code"] != _text(body, "e:InvoiceCode"):
            raise SoapFault("soap:Client.UnknownInvoice", "UNKNOWN_INVOICE: no such invoice")
        if invoice["state"] != "issued":
            raise SoapFault("soap:Client.InvoiceState", f"INVOICE_STATE: the invoice is {invoice['state']}")
        invoice["state"] = "voided"
        return {"RequestId": request_id, "Status": "VOIDED", "InvoiceNumber": invoice["number"],
                "InvoiceCode": invoice["code"]}


def _envelope(content):
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV, "e": NS})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(content)
    return etree.tostring(envelope, encoding="utf-8", xml_declaration=True)


def _result_element(result):
    response = etree.Element(f"{{{NS}}}InvoiceResponse")
    node = etree.SubElement(response, f"{{{NS}}}Result")
    for name in ("RequestId", "Status", "InvoiceNumber", "InvoiceCode", "IssuedAt", "Pdf", "Xml"):
        if name in result:
            value = result[name]
            etree.SubElement(node, f"{{{NS}}}{name}").text = (
                base64.b64encode(value).decode() if isinstance(value, bytes) else str(value)
            )
    return response


def _fault_element(code, message):
    fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = message
    return fault


class SimulatorApp:
    """The WSGI application of the provider."""

    def __init__(self, state):
        self.state = state

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == "GET":
            address = request.host_url.rstrip("/") + "/"
            wsdl = WSDL_PATH.read_text(encoding="utf-8").replace("__ADDRESS__", address)
            return Response(wsdl, content_type="text/xml; charset=utf-8")(environ, start_response)
        status, payload = 200, None
        try:
            try:
                envelope = etree.fromstring(request.get_data(), parser=etree.XMLParser(resolve_entities=False))
            except etree.XMLSyntaxError as error:
                raise SoapFault("soap:Client.Malformed", f"MALFORMED: {error}") from error
            body = envelope.find(f"{{{SOAP_ENV}}}Body")
            operation = body[0] if body is not None and len(body) else None
            name = etree.QName(operation).localname if operation is not None else ""
            if name not in OPERATIONS or etree.QName(operation).namespace != NS:
                raise SoapFault("soap:Client.UnknownOperation", f"UNKNOWN_OPERATION: {name}")
            payload = _envelope(_result_element(self.state.handle(name, operation)))
        except SoapFault as fault:
            status, payload = 500, _envelope(_fault_element(fault.code, fault.message))
        delay = self.state._take_delay()
        if delay:
            time.sleep(delay)
        return Response(payload, status=status, content_type="text/xml; charset=utf-8")(environ, start_response)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class Simulator:
    """The provider on ``127.0.0.1``, serving in a thread: ``start()``, ``wsdl_url``, ``stop()``."""

    def __init__(self, credentials, host="127.0.0.1", port=0):
        self.state = ProviderState(credentials)
        self._server = make_server(
            host, port, SimulatorApp(self.state), threaded=True, request_handler=_QuietHandler,
        )
        self._server.daemon_threads = True
        self._thread = None

    @property
    def wsdl_url(self):
        return f"http://{self._server.host}:{self._server.port}/?wsdl"

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, name="einvoice-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread:
            self._server.shutdown()
            self._thread.join(5)
        self._server.server_close()

    def serve_forever(self):
        self._server.serve_forever()
