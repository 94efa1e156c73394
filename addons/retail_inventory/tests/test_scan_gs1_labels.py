"""Receiving GS1 labels: read by Odoo's GS1 nomenclature, without the company's own nomenclature
being switched to GS1."""

import calendar
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_scan_receive import MILK, ScanReceiveCommon

GTIN = "0" + MILK


@tagged("post_install", "-at_install")
class TestScanGs1Labels(ScanReceiveCommon):
    """Labels of the milk (lot-tracked, with expiry dates) on the supplier receipt of store A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.expiry = f"{cls.in_a_month:%y%m%d}"

    def _scan(self, barcode):
        return self.supplier_receipt.with_user(self.cashier_a).retail_scan(barcode)

    def _counted(self):
        return sorted((line.lot_name, line.quantity, line.expiration_date.date() if line.expiration_date else None)
                      for line in self.milk_move.move_line_ids)

    def assertNothingWritten(self):
        self.assertFalse(self.supplier_receipt.retail_discrepancy_ids)
        self.assertFalse(self.supplier_receipt.retail_scan_ids)
        self.assertFalse(self.milk_move.retail_scan_lot_name)
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)
        self.assertFalse(self.milk_move.move_line_ids.filtered("lot_name"))

    def test_label_is_read_with_the_company_on_its_own_nomenclature(self):
        self.assertFalse(self.env.company.nomenclature_id.is_gs1_nomenclature)
        result = self._scan(f"01{GTIN}17{self.expiry}10MILK-A")
        self.assertEqual(result["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-A", 1.0, self.in_a_month)])

    def test_symbology_identifier_and_separators(self):
        # the lot first, ended by FNC1 (ASCII 29) or by "#" from a scanner set to send it so
        self._scan(f"]C110MILK-A\x1d01{GTIN}17{self.expiry}37" + "2")
        self._scan(f"]d210MILK-B#01{GTIN}17{self.expiry}")
        self._scan(f"\x1d01{GTIN}17{self.expiry}10MILK-C")
        self.assertEqual(self._counted(), [("MILK-A", 2.0, self.in_a_month), ("MILK-B", 1.0, self.in_a_month),
                                           ("MILK-C", 1.0, self.in_a_month)])

    def test_label_typed_by_a_person(self):
        self.assertEqual(self._scan(f"(01){GTIN}(17){self.expiry}(10)MILK-T")["status"], "ok")
        self.assertEqual(self._scan(f"(01){GTIN}(17){self.expiry}(10)MILK-T(37)1")["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-T", 2.0, self.in_a_month)])

    def test_count_of_a_typed_label_is_a_typed_quantity(self):
        label = f"(01){GTIN}(17){self.expiry}(10)MILK-T(37)3"
        with self.assertRaisesRegex(UserError, rf"The GS1 label \(01\){GTIN}.*\(37\)3 was typed, and so was its count "
                                               r"of 3 units: typing a quantity needs a store manager of Test Store A\. "
                                               r"Scan the label, or scan each unit\. Nothing was counted\."):
            self._scan(label)
        with self.assertRaisesRegex(UserError, "was typed, and so was its count of 12 units"):
            self._scan(f"(01){GTIN}(10)MILK-T(30)12")
        self.assertNothingWritten()
        # a manager of the store may type a quantity, and so a label's count
        result = self.supplier_receipt.with_user(self.manager_a).retail_scan(label)
        self.assertEqual(result["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-T", 3.0, self.in_a_month)])

    def test_scanned_label_counts_unless_the_store_scanners_say_it_was_typed(self):
        raw = f"01{GTIN}17{self.expiry}37" + "4\x1d10MILK-R"
        self.assertEqual(self._scan(raw)["status"], "ok")
        self.store_a.retail_scanner_symbology = True
        with self.assertRaisesRegex(UserError, rf"The GS1 label 01{GTIN}17{self.expiry}374<GS>10MILK-R came "
                                               r"without the symbology identifier \(such as \]C1\) that the scanners "
                                               r"of Test Store A send, so it was typed, and so was its count of 4"):
            self._scan(raw)
        # from these scanners, a label carries its symbology identifier; one unit needs none
        self._scan("]C1" + raw)
        self._scan("]d2" + raw.replace("MILK-R", "MILK-S"))
        self._scan(f"01{GTIN}17{self.expiry}10MILK-S")
        self.supplier_receipt.with_user(self.manager_a).retail_scan(raw.replace("MILK-R", "MILK-M"))
        self.assertEqual(self._counted(), [("MILK-M", 4.0, self.in_a_month), ("MILK-R", 8.0, self.in_a_month),
                                           ("MILK-S", 5.0, self.in_a_month)])

    def test_day_00_is_the_last_day_of_the_month(self):
        month = fields.Date.today() + timedelta(days=62)
        last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        self._scan(f"01{GTIN}17{month:%y%m}00" + "10MILK-A")
        self.assertEqual(self._counted(), [("MILK-A", 1.0, last_day)])

    def test_best_before_date_when_there_is_no_expiration_date(self):
        self._scan(f"01{GTIN}15{self.expiry}10MILK-A")
        self.assertEqual(self._counted(), [("MILK-A", 1.0, self.in_a_month)])

    def test_logistic_unit_counts_its_trade_items(self):
        # SSCC (00), GTIN of the contained items (02), their count (37), lot, best before date
        self._scan("00006141411234567890" + f"02{GTIN}37" + "6\x1d10MILK-L\x1d" + f"15{self.expiry}")
        self.assertEqual(self._counted(), [("MILK-L", 6.0, self.in_a_month)])

    def test_measures_are_not_counts(self):
        # a net weight (3102: 1.25 kg) says nothing of how many units the label stands for
        self._scan(f"01{GTIN}3102001250" + f"17{self.expiry}10MILK-W")
        self.assertEqual(self._counted(), [("MILK-W", 1.0, self.in_a_month)])

    def test_label_of_a_product_not_on_the_receipt_is_a_wrong_item(self):
        juice = self.env["product.product"].create({"name": "Juice 1L", "is_storable": True,
                                                    "barcode": "4006381333931"})
        result = self._scan("0104006381333931" + f"17{self.expiry}10JUICE-1")
        self.assertEqual(result["status"], "wrong")
        self.assertIn("Juice 1L is not expected in", result["message"])
        wrong = self.supplier_receipt.retail_discrepancy_ids
        self.assertEqual((wrong.kind, wrong.product_id, wrong.quantity), ("wrong", juice, 1.0))

    def test_label_of_an_unknown_gtin_is_a_wrong_item(self):
        label = "0109506000134352" + f"17{self.expiry}10X-1"
        result = self._scan(label)
        self.assertEqual(result["status"], "wrong")
        self.assertIn(f"{label} is not expected in", result["message"])
        wrong = self.supplier_receipt.retail_discrepancy_ids
        self.assertEqual((wrong.kind, wrong.product_id, wrong.barcode), ("wrong", self.env["product.product"], label))
        self.assertEqual(self.milk_move.retail_scanned_qty, 0.0)

    def test_barcode_that_is_no_label_stays_a_wrong_item(self):
        # reads as a lot (10) to the nomenclature, but names no product and is not meant as a label
        self.assertEqual(self._scan("10ABC")["status"], "wrong")
        self.assertEqual(self.supplier_receipt.retail_discrepancy_ids.barcode, "10ABC")

    def test_wrong_check_digit_is_refused_and_nothing_is_written(self):
        with self.assertRaisesRegex(
                UserError, rf"The GS1 label 01{GTIN[:-1]}310MILK-A cannot be read: the check digit of its GTIN "
                           rf"{GTIN[:-1]}3 should be 2\. Nothing was counted\."):
            self._scan(f"01{GTIN[:-1]}3" + "10MILK-A")
        self.assertNothingWritten()

    def test_malformed_labels_are_refused_naming_them_and_nothing_is_written(self):
        unreadable = "cannot be read. Check its application identifiers"
        year = self.in_a_month.strftime("%y")
        for label, message in [
            (f"01{GTIN}17{year}1331", unreadable),  # month 13
            (f"01{GTIN}17{year}0230", unreadable),  # 30 February
            (f"01{GTIN}17AB1231", unreadable),  # letters in a date
            (f"01{GTIN}99ABC", unreadable),  # an identifier the nomenclature does not know
            (f"01{GTIN}10" + "L" * 21, unreadable),  # a lot longer than 20 characters
            (f"01{GTIN}10L 42", unreadable),  # a space is no GS1 character
            (f"01{GTIN}37", unreadable),  # a count without digits
            (f"01{GTIN}10MILK-A\x1d17AB1231", f"01{GTIN}10MILK-A<GS>17AB1231 {unreadable}"),
            (f"01{GTIN}10", f"The GS1 label 01{GTIN}10 has nothing after (10)."),
            (f"01{GTIN}3700", f"The GS1 label 01{GTIN}3700 counts no units: (37) is 0."),
            (f"01{GTIN}01{GTIN}", f"The GS1 label 01{GTIN}01{GTIN} gives (01) more than once."),
            (f"(10)MILK-A(17){self.expiry}", "names no product: it has no (01) or (02)."),
            ("]C110MILK-A", "The GS1 label ]C110MILK-A names no product"),
        ]:
            with self.subTest(label=label), self.assertRaises(UserError) as caught:
                self._scan(label)
            self.assertIn(message, str(caught.exception))
            self.assertIn("Nothing was counted.", str(caught.exception))
        self.assertNothingWritten()

    def test_refused_label_speaks_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["retail_inventory"], ["zh_CN"], overwrite=True)
        receipt = self.supplier_receipt.with_user(self.cashier_a).with_context(lang="zh_CN")
        with self.assertRaisesRegex(UserError, rf"其 GTIN {GTIN[:-1]}3 的校验位应为 2。未计入任何数量。"):
            receipt.retail_scan(f"01{GTIN[:-1]}3" + "10MILK-A")
        with self.assertRaisesRegex(UserError, r"GS1 标签 .* 没有数量.\(37\) 为 0。"):
            receipt.retail_scan(f"01{GTIN}3700")
        with self.assertRaisesRegex(UserError, r"GS1 标签 .* 的 \(7003\) 后面是不可能的日期或时间。未计入任何数量。"):
            receipt.retail_scan(f"01{GTIN}7003{self.expiry}2500")
        with self.assertRaisesRegex(UserError, r"GS1 条码规则中没有应用标识符 \(7007\) 的规则。未计入任何数量。"):
            receipt.retail_scan(f"(01){GTIN}(7007){self.expiry}")
        typed = r"GS1 标签 \(01\).*\(37\)5 是手工输入的.其数量 5 件也是手工输入的.手工输入数量需要 Test Store A 的"
        with self.assertRaisesRegex(UserError, typed + r"店长。请扫描标签.或逐件扫描。未计入任何数量。"):
            receipt.retail_scan(f"(01){GTIN}(10)MILK-T(37)5")
        self.store_a.retail_scanner_symbology = True
        with self.assertRaisesRegex(UserError, r"没有 Test Store A 的扫描枪会发送的码制标识符.如 \]C1..因此是"):
            receipt.retail_scan(f"01{GTIN}375")

    def test_label_with_each_identifier_added_to_the_default_nomenclature_is_read(self):
        gln = "9506000134352"
        today = f"{fields.Date.today():%y%m%d}"
        fields_of = {
            "11": today, "12": today, "16": self.expiry, "20": "02", "240": "ADD-1\x1d", "241": "CPN/7\x1d",
            "250": "SEC-9\x1d", "251": "SRC-3\x1d", "400": "PO-2024-88\x1d", "401": "GINC-5\x1d", "403": "R12\x1d",
            "410": gln, "411": gln, "412": gln, "413": gln, "414": gln, "415": gln, "416": gln, "417": gln,
            "420": "200001\x1d", "421": "156200001\x1d", "422": "156", "7003": f"{self.expiry}1430\x1d",
            "8008": f"{today}0830\x1d",
        }
        for ai, data in fields_of.items():
            with self.subTest(ai=ai):
                result = self._scan(f"01{GTIN}{ai}{data}17{self.expiry}10MILK-{ai}")
                self.assertEqual(result["status"], "ok")
        self.assertEqual(self._counted(), sorted((f"MILK-{ai}", 1.0, self.in_a_month) for ai in fields_of))

    def test_typed_label_with_every_added_identifier_counts_into_its_lot(self):
        today = f"{fields.Date.today():%y%m%d}"
        label = (f"(01){GTIN}(11){today}(12){today}(16){self.expiry}(20)02(240)ADD-1(241)CPN-7(250)SEC-9"
                 f"(251)SRC-3(400)PO-88(401)GINC-5(403)R12(411)9506000134352(412)9506000134352(415)9506000134352"
                 f"(416)9506000134352(417)9506000134352(420)200001(421)156200001(422)156(8008){today}08"
                 f"(7003){self.expiry}2359(10)MILK-ALL")
        self.assertEqual(self._scan(label)["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-ALL", 1.0, self.in_a_month)])

    def test_logistic_label_with_order_and_ship_to_counts_its_units(self):
        # SSCC, order number, ship-to GLN and postal code, then the trade items, their count and lot
        label = ("00006141411234567890" + "400PO-88\x1d" + "4109506000134352" + "420200001\x1d" + f"02{GTIN}"
                 + "37" + "6\x1d" + f"11{fields.Date.today():%y%m%d}" + f"17{self.expiry}" + "10MILK-L")
        self.assertEqual(self._scan(label)["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-L", 6.0, self.in_a_month)])

    def test_expiry_date_and_time_is_the_lot_expiry(self):
        self._scan(f"01{GTIN}7003{self.expiry}1430\x1d10MILK-T")
        # with an expiration date too, the earlier of the two
        earlier = self.in_a_month - timedelta(days=3)
        self._scan(f"01{GTIN}17{self.expiry}7003{earlier:%y%m%d}0600\x1d10MILK-U")
        self.assertEqual(self._counted(), [("MILK-T", 1.0, self.in_a_month), ("MILK-U", 1.0, earlier)])

    def test_impossible_dates_of_added_identifiers_are_refused_and_nothing_is_written(self):
        year = self.in_a_month.strftime("%y")
        for label, message in [
            (f"01{GTIN}7003{self.expiry}2460\x1d10MILK-A", "has an impossible date or time after (7003)."),
            (f"01{GTIN}7003{year}0230" + "1200\x1d10MILK-A", "has an impossible date or time after (7003)."),
            (f"01{GTIN}8008{year}0101" + "083\x1d10MILK-A", "has an impossible date or time after (8008)."),
            (f"01{GTIN}11{year}1301" + "10MILK-A", "cannot be read. Check its application identifiers"),
            (f"01{GTIN}4119506000134353" + "10MILK-A", "cannot be read. Check its application identifiers"),
            (f"01{GTIN}240" + "A" * 31 + "\x1d10MILK-A", "cannot be read. Check its application identifiers"),
        ]:
            with self.subTest(label=label), self.assertRaises(UserError) as caught:
                self._scan(label)
            self.assertIn(message, str(caught.exception))
            self.assertIn("Nothing was counted.", str(caught.exception))
        self.assertNothingWritten()

    def test_label_with_an_identifier_still_unknown_is_refused_naming_it(self):
        harvest = f"{fields.Date.today():%y%m%d}"
        with self.assertRaisesRegex(UserError, rf"The GS1 label \(01\){GTIN}\(7007\){harvest}\(10\)MILK-H cannot be "
                                               r"read: the GS1 nomenclature has no rule for the application identifier "
                                               r"\(7007\)\. Nothing was counted\."):
            self._scan(f"(01){GTIN}(7007){harvest}(10)MILK-H")
        # a raw label does not say where its identifiers start
        with self.assertRaisesRegex(UserError, rf"The GS1 label 01{GTIN}7007{harvest}<GS>10MILK-H cannot be read\. "
                                               r"Check its application identifiers"):
            self._scan(f"01{GTIN}7007{harvest}\x1d10MILK-H")
        self.assertNothingWritten()

    def test_rule_added_to_the_gs1_nomenclature_is_read(self):
        label = f"01{GTIN}7006{fields.Date.today():%y%m%d}\x1d17{self.expiry}10MILK-P"
        # the date of first freezing (7006) is among neither Odoo's GS1 rules nor the addon's
        with self.assertRaisesRegex(UserError, "cannot be read"):
            self._scan(label)
        self.env["barcode.rule"].create({
            "name": "Date of first freezing (YYMMDD)",
            "barcode_nomenclature_id": self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature").id,
            "sequence": 143, "encoding": "gs1-128", "pattern": r"(7006)(\d{6})", "type": "alias",
            "gs1_content_type": "date",
        })
        self.assertEqual(self._scan(label)["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-P", 1.0, self.in_a_month)])

    def test_company_gs1_nomenclature_is_the_one_read(self):
        default = self.env.ref("barcodes_gs1_nomenclature.default_gs1_nomenclature")
        own = default.copy({"name": "GS1 with a tilde", "gs1_separator_fnc1": r"(~|\x1D)"})
        default.rule_ids.filtered(lambda rule: rule.encoding == "gs1-128").copy({"barcode_nomenclature_id": own.id})
        label = f"10MILK-N~01{GTIN}17{self.expiry}"
        # Odoo's default GS1 nomenclature does not take "~" as a separator
        self.assertEqual(self._scan(label)["status"], "wrong")
        self.env.company.nomenclature_id = own
        self.assertEqual(self._scan(label)["status"], "ok")
        self.assertEqual(self._counted(), [("MILK-N", 1.0, self.in_a_month)])
