"""The demo chain's configuration: company, regions, stores, products, tills, staff and members."""

import datetime

import numpy as np

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import chain_catalogue, chain_data


# One file per phase of the build: the generator as one class would be over a thousand lines.
# pylint: disable=consider-merging-classes-inherited
class RetailChainGenerator(models.AbstractModel):
    _inherit = "retail.chain.generator"

    # ------------------------------------------------------------------ configuration

    def _setup_company(self, chain):
        company = self.env.company
        china = self.env.ref("base.cn")
        vals = {"name": "鲜选连锁超市", "country_id": china.id}
        cny = self.env.ref("base.CNY")
        if company.currency_id != cny and not self.env["account.move.line"].search_count(
                [("company_id", "=", company.id)], limit=1):
            cny.active = True
            vals["currency_id"] = cny.id
        company.write(vals)
        company.partner_id.write({"city": "上海", "tz": "Asia/Shanghai"})
        self.env["res.lang"]._activate_lang("zh_CN")
        chain["company"] = company

    def _create_regions(self, chain):
        data = chain["data"]
        regions = self.env["retail.region"].create([
            {"name": region["name_en"], "code": f"{region['code']}", "sequence": index}
            for index, region in enumerate(data["regions"])
        ])
        self._set_translations("retail_region", "name", regions.ids, [r["name_zh"] for r in data["regions"]])
        chain["regions"] = dict(zip([r["code"] for r in data["regions"]], regions, strict=True))

    def _create_warehouses(self, chain):
        data = chain["data"]
        regions = chain["regions"]
        opening = chain["start_date"] - datetime.timedelta(days=365)
        Warehouse = self.env["stock.warehouse"]
        dc = Warehouse.create({
            "name": data["dc"]["name_zh"], "code": "DC", "retail_store_type": "dc",
            "retail_region_id": regions[data["dc"]["region"]].id if data["dc"]["region"] in regions else False,
            "retail_opening_date": opening,
        })
        stores = Warehouse.create([{
            "name": store["name_zh"], "code": store["code"], "retail_store_type": "store",
            "retail_region_id": regions[store["region"]].id,
            "retail_opening_date": opening + datetime.timedelta(days=30 * index),
            "resupply_wh_ids": [Command.set(dc.ids)],
        } for index, store in enumerate(data["stores"])])
        chain["dc"] = dc
        chain["stores"] = stores

    def _create_products(self, chain):
        data = chain["data"]
        products = data["products"]
        income = self.env.company.income_account_id
        ProductCategory = self.env["product.category"]
        PosCategory = self.env["pos.category"]
        # product.category's name is not translated in core: a Chinese chain names them in Chinese
        root = ProductCategory.create({"name": "零售"})
        categories = ProductCategory.create([
            {"name": zh, "parent_id": root.id,
             **({"property_account_income_categ_id": income.id} if income else {})}
            for _code, zh, *_rest in chain_catalogue.CATEGORIES
        ])
        pos_categories = PosCategory.create([
            {"name": en, "sequence": index} for index, (_c, _zh, en, *_r) in enumerate(chain_catalogue.CATEGORIES)
        ])
        self._set_translations("pos_category", "name", pos_categories.ids,
                               [zh for _c, zh, *_r in chain_catalogue.CATEGORIES])
        colour = self.env["product.attribute"].create({
            "name": "Colour", "create_variant": "always",
            "value_ids": [Command.create({"name": en}) for _zh, en in chain_catalogue.APPAREL_COLOURS],
        })
        size = self.env["product.attribute"].create({
            "name": "Size", "create_variant": "always",
            "value_ids": [Command.create({"name": en}) for _zh, en in chain_catalogue.APPAREL_SIZES],
        })
        self._set_translations("product_attribute", "name", [colour.id, size.id], ["颜色", "尺码"])
        self._set_translations("product_attribute_value", "name", colour.value_ids.ids + size.value_ids.ids,
                               [zh for zh, _en in chain_catalogue.APPAREL_COLOURS]
                               + [zh for zh, _en in chain_catalogue.APPAREL_SIZES])

        category_taxes = [self._product_sale_taxes(chain, code) for code, *_rest in chain_catalogue.CATEGORIES]
        templates_vals = []
        first_of_template = []
        seen = set()
        for index, product in enumerate(products):
            if product["template"] in seen:
                continue
            seen.add(product["template"])
            first_of_template.append(index)
            shelf = product["shelf_life"]
            vals = {
                "name": product["name_en"],
                "categ_id": categories[product["category"]].id,
                "pos_categ_ids": [Command.set([pos_categories[product["category"]].id])],
                "type": "consu",
                "is_storable": True,
                "available_in_pos": True,
                "list_price": product["price"] / 100.0,
                "taxes_id": [Command.set(category_taxes[product["category"]].ids)],
                "supplier_taxes_id": [Command.clear()],
            }
            if product["colour"]:
                vals["attribute_line_ids"] = [
                    Command.create({"attribute_id": colour.id, "value_ids": [Command.set(colour.value_ids.ids)]}),
                    Command.create({"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]}),
                ]
            else:
                vals["default_code"] = product["code"]
            if shelf:
                vals.update({
                    "tracking": "lot", "use_expiration_date": True, "expiration_time": shelf,
                    "use_time": max(0, round(shelf * 0.1)), "removal_time": 0,
                    "alert_time": max(1, round(shelf * 0.2)),
                })
            templates_vals.append(vals)
        templates = self.env["product.template"].with_context(tracking_disable=True).create(templates_vals)
        self._set_translations("product_template", "name", templates.ids,
                               [products[i]["name_zh"] for i in first_of_template])
        self._recompute_pinyin(templates)
        # map variants back to the plain catalogue (apparel: by colour and size)
        by_template = dict(zip([products[i]["template"] for i in first_of_template], templates, strict=True))
        value_names = {value.id: value.with_context(lang="en_US").name for value in colour.value_ids + size.value_ids}
        variant_ids = []
        for product in products:
            template = by_template[product["template"]]
            if not product["colour"]:
                variant_ids.append(template.product_variant_ids[:1].id)
                continue
            wanted = {product["colour"][1], product["size"][1]}
            variant = template.product_variant_ids.filtered(
                lambda v, wanted=wanted: {value_names[ptav.product_attribute_value_id.id]
                                          for ptav in v.product_template_attribute_value_ids} == wanted)
            variant_ids.append(variant.id)
        # costs go in with the barcodes: setting standard_price through the ORM revalues the
        # (still empty) stock of each product one by one
        self._temp_table("retail_gen_variant", [
            ("rid", "int"), ("code", "text"), ("barcode", "text"), ("cost", "numeric")], [
            variant_ids, [p["code"] for p in products], [p["barcode"] for p in products],
            [p["cost"] / 100.0 for p in products]])
        self._insert("product_product", SQL("""
            UPDATE product_product p
               SET default_code = v.code, barcode = v.barcode,
                   standard_price = jsonb_build_object(%(company)s, v.cost)
              FROM retail_gen_variant v WHERE p.id = v.rid""", company=str(self.env.company.id)))
        chain["products"] = self.env["product.product"].browse(variant_ids)
        chain["product_categories"] = categories
        chain["pos_categories"] = pos_categories

    @api.model
    def _product_sale_taxes(self, chain, category_code):
        """Hook: the sale tax of the products of a category, included in their price (none
        here: the history is booked without tax)."""
        return self.env["account.tax"]

    @api.model
    def _product_tax_columns(self, chain):
        """The sale tax of each generated product: the taxes, the index of each product's tax
        in them (-1 for none) and their rates, with a last rate 0 for no tax."""
        per_product = []
        for product in chain["products"]:
            tax = product.taxes_id.filtered(lambda t, c=chain["company"]: t.company_id == c)
            if len(tax) > 1 or (tax and (tax.amount_type != "percent" or not tax.price_include)):
                raise UserError(self.env._(
                    "The history books one percentage tax included in the price per product, not the taxes "
                    "of %s.", product.display_name))
            per_product.append(tax)
        taxes = self.env["account.tax"].union(*per_product).sorted("id")
        index = {tax.id: position for position, tax in enumerate(taxes)}
        product_tax = np.array([index[tax.id] if tax else -1 for tax in per_product], dtype=np.int64)
        rates = np.array([tax.amount / 100.0 for tax in taxes] + [0.0])
        return taxes, product_tax, rates

    def _create_tills(self, chain):
        company = chain["company"]
        stores = chain["stores"]
        Journal = self.env["account.journal"]
        bank = Journal.search([*Journal._check_company_domain(company), ("type", "=", "bank")], limit=1)
        cash_journals = Journal.create([{
            "name": f"{store.code} Cash", "code": f"C{store.code}", "type": "cash", "company_id": company.id,
        } for store in stores])
        self._set_translations("account_journal", "name", cash_journals.ids, [f"{s.code} 现金" for s in stores])
        Method = self.env["pos.payment.method"]
        shared = Method.create([{
            "name": en, "journal_id": bank.id, "company_id": company.id,
        } for code, _zh, en, _share, cash in chain_catalogue.PAYMENT_METHODS if not cash])
        self._set_translations("pos_payment_method", "name", shared.ids, [
            zh for _c, zh, _en, _s, cash in chain_catalogue.PAYMENT_METHODS if not cash])
        cash_methods = Method.create([{
            "name": f"{store.code} Cash", "journal_id": journal.id, "company_id": company.id,
        } for store, journal in zip(stores, cash_journals, strict=True)])
        self._set_translations("pos_payment_method", "name", cash_methods.ids, [f"{s.code} 现金" for s in stores])
        configs = self.env["pos.config"].create([{
            "name": f"{store.code} {store.name}",
            "picking_type_id": store.pos_type_id.id,
            "warehouse_id": store.id,
            "payment_method_ids": [Command.set((cash + shared).ids)],
            "company_id": company.id,
        } for store, cash in zip(stores, cash_methods, strict=True)])
        # payment method index of the plain data -> record, per store
        chain["payment_methods"] = {
            store.id: [cash, *shared] for store, cash in zip(stores, cash_methods, strict=True)
        }
        chain["pos_configs"] = configs

    def _create_users(self, chain):
        stores = chain["stores"]
        data = chain["data"]
        per_store = data["spec"]["cashiers_per_store"]
        ref = self.env.ref
        lang = "zh_CN" if self.env["res.lang"]._lang_get("zh_CN") else "en_US"
        # hashing a password is slow on purpose: only the documented logins get one (password = login)
        with_password = set(stores[:5].ids)

        def user_vals(login, name, groups, warehouses, password):
            vals = {
                "name": name, "login": login, "tz": "Asia/Shanghai", "lang": lang,
                "group_ids": [Command.set([ref(g).id for g in groups])],
                "retail_store_ids": [Command.set(warehouses.ids)],
            }
            if password:
                vals["password"] = login
            return vals

        Users = self.env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
        # a user's name is a person's, not translated: the staff of a Chinese chain have Chinese names
        hq = Users.create(user_vals("hq", "总部调度", [
            "base.group_user", "retail_base.group_retail_hq", "stock.group_stock_manager",
            "point_of_sale.group_pos_manager"], stores | chain["dc"], True))
        # Finance closes the books: full accounting, analytic accounts (the P&L per store) and the
        # accounting dashboard as home.
        finance_vals = user_vals("finance", "财务部", [
            "base.group_user", "account.group_account_manager", "account.group_account_user",
            "analytic.group_analytic_accounting"], self.env["stock.warehouse"], True)
        dashboard = self.env.ref("account.open_account_journal_dashboard_kanban", raise_if_not_found=False)
        if dashboard:
            finance_vals["action_id"] = dashboard.id
        finance = Users.create(finance_vals)
        manager_vals, cashier_vals = [], []
        names = iter(chain_data.staff_names(len(stores) * (1 + per_store)))
        for index, store in enumerate(stores):
            suffix = "" if index == 0 else f"_{store.code.lower()}"
            password = store.id in with_password
            manager_vals.append(user_vals(
                f"manager{suffix}", next(names),
                ["base.group_user", "retail_base.group_retail_manager"], store, password))
            for number in range(per_store):
                login = f"cashier{suffix}" + ("" if number == 0 else f"_{number + 1}")
                cashier_vals.append(user_vals(
                    login, next(names),
                    ["base.group_user", "retail_base.group_retail_staff"], store, password and number == 0))
        managers = Users.create(manager_vals)
        cashiers = Users.create(cashier_vals)
        chain["users"] = {"hq": hq, "managers": managers, "cashiers": cashiers, "finance": finance}
        chain["store_cashiers"] = {
            store.id: cashiers[index * per_store:(index + 1) * per_store] for index, store in enumerate(stores)
        }

    @api.model
    def _member_mobile_field(self):
        """The ``res.partner`` field that receives a generated member's mobile number (11 digits,
        unique in the chain): core's phone here; an addon that keeps members' numbers elsewhere
        returns its own field."""
        return "phone"

    def _create_members(self, chain):
        members = chain["data"]["members"]
        count = len(members["phone"])
        ids = self._reserve_ids("res_partner", count)
        china = self.env.ref("base.cn").id
        self._temp_table("retail_gen_member", [("rid", "int"), ("name", "text"), ("phone", "text"), ("ref", "text")], [
            ids, members["name"], members["phone"], [f"M{i + 1:07d}" for i in range(count)],
        ])
        mobile_field = self._member_mobile_field()
        # phone_sanitized is core's stored copy of phone, in the international form it computes
        mobile_columns = [(mobile_field, SQL("phone"))]
        if mobile_field == "phone":
            mobile_columns.append(("phone_sanitized", SQL("'+86' || phone")))
        self._insert("res_partner", SQL("""
            INSERT INTO res_partner (id, name, complete_name, %s, ref, lang, tz, active,
                                     type, is_company, employee, partner_share, customer_rank, supplier_rank,
                                     autopost_bills, commercial_partner_id, country_id, color,
                                     create_uid, write_uid, create_date, write_date)
            SELECT rid, name, name, %s, ref, 'zh_CN', 'Asia/Shanghai', true,
                   'contact', false, false, true, 1, 0, 'ask', rid, %s, 0, %s, %s, now() at time zone 'UTC',
                   now() at time zone 'UTC'
              FROM retail_gen_member ORDER BY rid""",
            SQL(", ").join(SQL.identifier(column) for column, _value in mobile_columns),
            SQL(", ").join(value for _column, value in mobile_columns),
            china, self.env.uid, self.env.uid))
        chain["members"] = self.env["res.partner"].browse(ids.tolist())
        self._recompute_pinyin(chain["members"])

    def _recompute_pinyin(self, records):
        """The pinyin search key of rows whose name was written past the ORM (the Chinese names
        of the products, the members inserted in bulk): one batched write. No generated row may
        skip a stored compute."""
        records = records.sudo().with_context(active_test=False)
        records.invalidate_recordset(["name"])
        self.env.add_to_compute(records._fields["retail_pinyin"], records)
        records.flush_recordset(["retail_pinyin"])
