"""The e-invoice addon's tools without a database: tax ids, and the SOAP simulator answering
Odoo's zeep client over real HTTP on 127.0.0.1."""

import pytest
from conftest import load_tool

tax_id = load_tool("retail_einvoice", "tax_id")
simulator = load_tool("retail_einvoice", "simulator")
client = load_tool("retail_einvoice", "soap_client")

SECRET = "pytest-secret"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "9111000010169286X1"])
def test_published_unified_social_credit_codes_pass(code):
    assert tax_id.tax_id_problem(code) is None


@pytest.mark.parametrize(("value", "problem"), [
    ("91350100M000100Y44", "check"),
    ("91350100M000100YI3", "alphabet"),
    ("1234567890", "length"),
    ("", "length"),
    ("11010519491231002-01", "characters"),
])
def test_malformed_tax_ids_name_their_problem(value, problem):
    assert tax_id.tax_id_problem(value) == problem


def test_old_numbers_and_spacing_are_accepted():
    assert tax_id.tax_id_problem("110105123456789") is None
    assert tax_id.tax_id_problem("11010519491231002x01") is None
    assert tax_id.normalize_tax_id(" 9135 0100m000100y43 ") == "91350100M000100Y43"


@pytest.fixture
def provider():
    server = simulator.Simulator({"pytest-app": SECRET}).start()
    yield server
    server.stop()


def issue(server, request_id, secret=SECRET, buyer_tax_id="", timeout=5):
    money = client.money
    return client.call(
        server.wsdl_url, timeout, "IssueInvoice", "pytest-app", secret, request_id,
        SellerTaxId="91350100M000100Y43", BuyerTitle="张三", BuyerTaxId=buyer_tax_id,
        TotalAmount=money(113), TotalTax=money(13),
        Lines={"Line": [{"Name": "可乐", "Quantity": money(1), "Amount": money(100), "TaxRate": money(0.13),
                         "TaxAmount": money(13)}]},
    )


def test_issue_answers_number_code_and_documents(provider):
    exchange = issue(provider, "k1")
    assert exchange.outcome == "ok"
    assert exchange.result["Status"] == "ISSUED"
    assert len(exchange.result["InvoiceNumber"]) == 20
    assert exchange.result["Pdf"].startswith(b"%PDF-")
    assert b'Kind="blue"' in exchange.result["Xml"]
    assert SECRET not in exchange.request_xml and "***" in exchange.request_xml
    assert provider.state.issued_count == 1


def test_repeated_key_returns_the_earlier_invoice(provider):
    first, again = issue(provider, "same"), issue(provider, "same")
    assert again.result["InvoiceNumber"] == first.result["InvoiceNumber"]
    assert provider.state.issued_count == 1


def test_bad_credentials_and_malformed_tax_id_are_faults(provider):
    refused = issue(provider, "k2", secret="wrong")
    assert (refused.outcome, refused.fault_code) == ("fault", "soap:Client.Authentication")
    malformed = issue(provider, "k3", buyer_tax_id="91350100M000100Y44")
    assert (malformed.outcome, malformed.fault_code) == ("fault", "soap:Client.InvalidTaxId")
    assert "Fault" in malformed.response_xml
    assert provider.state.issued_count == 0


def test_lost_answer_then_the_same_key_issues_once(provider):
    provider.state.delay_next(2)
    lost = issue(provider, "k4", timeout=1)
    assert lost.outcome == "timeout"
    assert provider.state.issued_count == 1
    retried = issue(provider, "k4")
    assert retried.outcome == "ok"
    assert provider.state.issued_count == 1


def test_unreachable_provider_is_a_connection_outcome():
    server = simulator.Simulator({})
    url = server.wsdl_url
    server.stop()
    exchange = client.call(url, 2, "QueryInvoice", "a", "b", "k")
    assert exchange.outcome == "connection"


retry = load_tool("retail_einvoice", "retry")


@pytest.mark.parametrize(("outcome", "attempts", "minutes"), [
    ("timeout", 1, 1), ("connection", 2, 5), ("timeout", 3, 15), ("connection", 4, 60),
    ("timeout", 5, None), ("timeout", 9, None), ("fault", 1, None), ("ok", 1, None), ("timeout", 0, None),
])
def test_only_unanswered_calls_are_retried_with_a_growing_pause_five_calls_at_most(outcome, attempts, minutes):
    assert retry.next_retry_delay(outcome, attempts) == minutes
