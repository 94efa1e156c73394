
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.modules.module import load_script
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RetailMembersCase


@tagged("post_install", "-at_install")
class TestMembers(RetailMembersCase):

    def test_enrolment_gives_number_card_tier_and_loyalty_card(self):
        member = self.member
        self.assertTrue(member.retail_member_number.startswith("M"))
        self.assertEqual(len(member.retail_card_barcode), 13)
        self.assertTrue(member.retail_card_barcode.startswith("042"))
        self.assertEqual(member.barcode, member.retail_card_barcode, "the till finds the member by scanning")
        self.assertEqual(member.retail_mobile, "13812345678")
        self.assertEqual(member.retail_mobile_masked, "138****5678")
        self.assertEqual(member.retail_tier_id, self.tier_regular)
        self.assertEqual(member.retail_loyalty_card_id.program_id, self.program)
        self.assertEqual(member.retail_loyalty_card_id.code, member.retail_card_barcode)
        self.assertTrue(member.retail_join_date)
        self.assertEqual(member.retail_tier_history_ids.reason, "enrol")
        self.assertNotEqual(self.member_b.retail_card_barcode, member.retail_card_barcode)

    def test_invalid_mobile_is_refused(self):
        count = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(ValidationError, "12812345678 is not a valid mainland mobile"):
            self.env["res.partner"].create({"name": "Bad", "retail_is_member": True, "retail_mobile": "12812345678"})
        with self.assertRaisesRegex(ValidationError, "not a valid mainland mobile"):
            self.member.retail_mobile = "1381234"
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertEqual(self.member.retail_mobile, "13812345678")

    def test_duplicate_mobile_names_the_other_member(self):
        count = self.env["res.partner"].search_count([("retail_is_member", "=", True)])
        expected = f"already used by member 张伟 \\({self.member.retail_member_number}\\)"
        with self.assertRaisesRegex(ValidationError, expected):
            self.env["res.partner"].create(
                {"name": "Wei Z", "retail_is_member": True, "retail_mobile": "138 1234 5678"})
        with self.assertRaisesRegex(ValidationError, "already used by member 张伟"):
            self.member_b.retail_mobile = "13812345678"
        self.assertEqual(self.env["res.partner"].search_count([("retail_is_member", "=", True)]), count)
        self.assertEqual(self.member_b.retail_mobile, "13900001111")

    def test_duplicate_mobile_refused_by_the_database_too(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute(
                "UPDATE res_partner SET retail_mobile = %s WHERE id = %s", ["13812345678", self.member_b.id])

    def test_duplicate_card_barcode_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.member_b.write({"retail_card_barcode": self.member.retail_card_barcode})
            self.member_b.flush_recordset()
        self.member_b.invalidate_recordset()
        self.assertNotEqual(self.member_b.retail_card_barcode, self.member.retail_card_barcode)

    def test_non_member_may_share_a_mobile(self):
        contact = self.env["res.partner"].create({"name": "Not a member", "retail_mobile": "13812345678"})
        self.assertFalse(contact.retail_is_member)
        with self.assertRaisesRegex(ValidationError, "already used by member"):
            contact.retail_is_member = True

    def test_find_member_at_the_till(self):
        Partner = self.env["res.partner"].with_user(self.cashier_a)

        def found(query):
            return [member["id"] for member in Partner.retail_pos_find_member(query, self.config.id)["members"]]

        by_phone = Partner.retail_pos_find_member("138-1234-5678", self.config.id)
        self.assertEqual([m["id"] for m in by_phone["members"]], self.member.ids)
        self.assertEqual(by_phone["members"][0]["mobile_masked"], "138****5678")
        self.assertNotIn("13812345678", str(by_phone))
        self.assertEqual(found(self.member.retail_card_barcode), self.member.ids)
        self.assertEqual(found(self.member.retail_member_number.lower()), self.member.ids)
        # names, pinyin and initials list nobody any more
        self.assertEqual(found("zhangwei"), [])
        self.assertEqual(found("zw"), [])
        self.assertEqual(found("张伟"), [])
        self.assertEqual(found("13700000000"), [])

    def test_phone_of_a_member_becomes_the_member_mobile(self):
        member = self.env["res.partner"].create(
            {"name": "Wang Fang", "retail_is_member": True, "phone": "+86 137 0000 0001"})
        self.assertEqual(member.retail_mobile, "13700000001")
        self.assertFalse(member.phone)
        self.assertFalse(member.phone_sanitized)
        member.phone = "137-0000-0002"
        self.assertEqual(member.retail_mobile, "13700000002")
        self.assertFalse(member.phone)
        # a member mobile given beside the phone wins
        member.write({"phone": "13700000003", "retail_mobile": "13700000004"})
        self.assertEqual((member.retail_mobile, member.phone), ("13700000004", False))

    def test_contacts_keep_their_phone_when_written_with_members(self):
        contact = self.env["res.partner"].create({"name": "Supplier", "phone": "021 5555 1234"})
        (contact | self.member).write({"phone": "13700000005"})
        self.assertEqual(contact.phone, "13700000005")
        self.assertEqual((self.member.retail_mobile, self.member.phone), ("13700000005", False))

    def test_enrolment_moves_the_contact_phone_into_the_member_mobile(self):
        contact = self.env["res.partner"].create({"name": "Zhao Lei", "phone": "138 0000 0006"})
        self.assertEqual(contact.phone, "138 0000 0006")
        contact.retail_is_member = True
        self.assertEqual(contact.retail_mobile, "13800000006")
        self.assertFalse(contact.phone)
        self.assertFalse(contact.phone_sanitized)

    def test_member_phone_that_is_no_mobile_is_refused(self):
        count = self.env["res.partner"].search_count([])
        with self.assertRaisesRegex(ValidationError, "021 5555 1234 is not a valid mainland mobile"):
            self.env["res.partner"].create({"name": "Landline", "retail_is_member": True, "phone": "021 5555 1234"})
        contact = self.env["res.partner"].create({"name": "Landline", "phone": "021 5555 1234"})
        with self.assertRaisesRegex(ValidationError, "021 5555 1234 is not a valid mainland mobile"):
            contact.retail_is_member = True
        self.assertEqual(self.env["res.partner"].search_count([]), count + 1)
        self.assertFalse(contact.retail_is_member)
        self.assertEqual(contact.phone, "021 5555 1234")

    def test_duplicate_mobile_of_a_hidden_member_does_not_name_them(self):
        manager = self.env["res.partner"].with_user(self.manager_a)
        member = manager.browse(self.member.id)
        with self.assertRaisesRegex(ValidationError, "already used by another member of the company") as caught:
            member.retail_mobile = "13900001111"
        self.assertNotIn("Li Na", str(caught.exception))
        self.assertEqual(self.member.retail_mobile, "13812345678")

    def test_migration_moves_members_phones_into_the_member_mobile(self):
        contact = self.env["res.partner"].create({"name": "Contact", "phone": "13700000007"})
        landline, duplicate, kept = self.env["res.partner"].create([
            {"name": "Old Member", "retail_is_member": True},
            {"name": "Twin", "retail_is_member": True},
            {"name": "Has Both", "retail_is_member": True, "retail_mobile": "13700000009"},
        ])
        self.env.flush_all()
        self.env.cr.execute("""
            UPDATE res_partner SET phone = v.phone, phone_sanitized = v.phone,
                   retail_mobile = CASE WHEN v.keep THEN retail_mobile END
              FROM (VALUES (%s, '+86 137-0000-0008', false), (%s, '13900001111', false),
                           (%s, '021 5555 1234', false), (%s, '13700000008', false),
                           (%s, '13700000010', true)) AS v(id, phone, keep)
             WHERE res_partner.id = v.id
        """, [self.member.id, self.member_b.id, landline.id, duplicate.id, kept.id])
        script = load_script("retail_members/migrations/19.0.1.2.0/post-migrate.py", "retail_members_post_migrate")
        script.migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual((self.member.retail_mobile, self.member.phone), ("13700000008", False))
        self.assertEqual((self.member_b.retail_mobile, self.member_b.phone), ("13900001111", False))
        self.assertEqual((landline.retail_mobile, landline.phone, landline.phone_sanitized), (False, False, False))
        # a number another member already has, or beside a member mobile, is dropped
        self.assertEqual((duplicate.retail_mobile, duplicate.phone), (False, False))
        self.assertEqual((kept.retail_mobile, kept.phone), ("13700000009", False))
        self.assertEqual((contact.retail_mobile, contact.phone), (False, "13700000007"))

    def test_old_lookups_are_purged_but_the_latest_of_each_user(self):
        Lookup = self.env["retail.member.lookup"].with_user(self.cashier_a)
        first, second = Lookup._retail_take_attempt(), Lookup._retail_take_attempt()
        self.assertEqual((first.latest, second.latest), (False, True))
        self.env.flush_all()
        self.env.cr.execute("UPDATE retail_member_lookup SET create_date = create_date - interval '3 days'")
        Lookup.sudo()._gc_retail_member_lookups()
        self.assertEqual(Lookup.sudo().search([("user_id", "=", self.cashier_a.id)]), second)

    def test_merge_moves_ledger_and_orders_onto_kept_member(self):
        duplicate = self.env["res.partner"].create({
            "name": "张伟 (old card)", "retail_is_member": True, "retail_home_store_id": self.store_a.id,
        })
        self.post_moves(self.member, "adjust", 100)
        self.post_moves(duplicate, "adjust", 40)
        order = self.sync_order(duplicate, price=50.0)
        self.assertEqual(duplicate.retail_points_balance, 90)
        wizard = self.env["retail.member.merge.wizard"].with_user(self.manager_a).with_context(
            active_model="res.partner", active_ids=(self.member | duplicate).ids).create({})
        wizard.keep_partner_id = self.member
        wizard.action_merge()
        self.assertEqual(order.partner_id, self.member)
        self.assertEqual(self.member.retail_points_balance, 190)
        self.assertEqual(self.member.retail_loyalty_card_id.points, 190)
        self.assertFalse(duplicate.active)
        self.assertFalse(duplicate.retail_is_member)
        self.assertEqual(duplicate.retail_points_balance, 0)

    def test_merge_refused_for_cashier(self):
        wizard = self.env["retail.member.merge.wizard"].create({
            "partner_ids": [(6, 0, (self.member | self.member_b).ids)], "keep_partner_id": self.member.id})
        with self.assertRaisesRegex(UserError, "Only store managers"):
            wizard.with_user(self.cashier_a).action_merge()
        self.assertTrue(self.member_b.retail_is_member)
