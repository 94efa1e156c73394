import datetime
import io
import logging
import struct
import time
from contextlib import contextmanager

import numpy as np

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import chain_catalogue, chain_data, chain_spec

_logger = logging.getLogger(__name__)

GENERATED_PARAM = "retail_base.chain_generated"
COLUMN_TYPES = {"int": "bigint", "text": "text", "numeric": "double precision"}
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def _binary_copy(kinds, arrays):
    """PostgreSQL's binary COPY format for numeric columns, built by numpy without a Python loop.

    Each row: the field count (int16), then per field its length (int32) and its value
    (int64 or float64), all big-endian.
    """
    fields = [("count", ">i2")]
    for index, kind in enumerate(kinds):
        fields += [(f"size{index}", ">i4"), (f"value{index}", ">i8" if kind == "int" else ">f8")]
    rows = np.empty(len(arrays[0]), dtype=np.dtype(fields))
    rows["count"] = len(kinds)
    for index, array in enumerate(arrays):
        rows[f"size{index}"] = 8
        rows[f"value{index}"] = array
    return BINARY_HEADER + rows.tobytes() + struct.pack(">h", -1)


def _tsv(*columns):
    """Tab-separated text for COPY from equally long columns (numbers or strings)."""
    rows = zip(*[[("\\N" if value is None else str(value)) for value in column] for column in columns], strict=True)
    return "\n".join("\t".join(row) for row in rows) + "\n"


class RetailChainGenerator(models.AbstractModel):
    """Builds a deterministic retail chain for demos, tests and benchmarks.

    Each retail addon adds its own data (tiers and cards, dispatch settings, rules) by
    overriding :meth:`_retail_generate_extra`, which receives the ``chain`` dictionary
    built here.

    Configuration records (company, warehouses, tills, users, products) go through the ORM
    in batches; the history (tickets, payments, stock moves, lots, quants, members) is
    written with COPY into temporary tables and set-based ``INSERT .. SELECT``, ids taken
    from the tables' own sequences. Each closed session gets a posted journal entry,
    created in one ORM batch.
    """

    _name = "retail.chain.generator"
    _description = "Retail chain generator"

    @api.model
    def generate(self, scale="demo", seed=42):
        # much of the chain is written in SQL, past access rules: administrators only
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(self.env._("Only administrators can generate a demo chain."))
        if scale not in chain_spec.SCALES:
            raise UserError(self.env._("Unknown scale %(scale)s; choose one of %(scales)s.",
                                       scale=scale, scales=", ".join(chain_spec.SCALES)))
        chain = self._generate_chain(dict(chain_spec.SCALES[scale], name=scale), seed)
        self._retail_generate_extra(chain)
        self.env.invalidate_all()
        return chain["summary"]

    @api.model
    def _generate_chain(self, spec, seed):
        self._check_not_generated()
        started = time.monotonic()
        end_date = self._history_end_date()
        start_date = end_date - datetime.timedelta(days=spec["days"] - 1)
        data = chain_data.build_chain_data(spec, seed, first_weekday=start_date.weekday())
        _logger.info("Chain %s/%s: plain data in %.1fs", spec["name"], seed, time.monotonic() - started)
        chain = {
            "scale": spec["name"], "seed": seed, "rng": data.pop("rng"), "data": data,
            "start_date": start_date, "end_date": end_date, "history_days": spec["days"],
            "timings": {"plain_data": round(time.monotonic() - started, 1)},
        }
        steps = [
            self._setup_company, self._create_regions, self._create_warehouses, self._create_products,
            self._create_tills, self._create_users,
        ]
        bulk_steps = [self._create_members, self._write_stock, self._write_sales, self._write_accounting]
        for step in steps:
            self._run_step(chain, step)
        bulk_started = time.monotonic()
        with self._bulk_load(self._bulk_tables()):
            for step in bulk_steps:
                self._run_step(chain, step)
        chain["timings"]["restore_indexes_and_foreign_keys"] = round(
            time.monotonic() - bulk_started - sum(chain["timings"][step.__name__] for step in bulk_steps), 1)
        self.env.invalidate_all()
        summary = chain_data.summarize(data)
        summary.pop("revenue_cents")
        summary["revenue"] = round(int(data["history"]["order_total"].sum()) / 100.0, 2)
        summary["fingerprint"] = chain_data.fingerprint(data)
        summary["start_date"] = str(start_date)
        summary["end_date"] = str(end_date)
        summary["seconds"] = round(time.monotonic() - started, 1)
        chain["summary"] = summary
        self.env["ir.config_parameter"].sudo().set_param(GENERATED_PARAM, f"{spec['name']}:{seed}:{end_date}")
        return chain

    @api.model
    def _retail_generate_extra(self, chain):
        """Hook: add an addon's own demo data to a freshly generated ``chain``."""

    # ------------------------------------------------------------------ helpers

    def _run_step(self, chain, step):
        started = time.monotonic()
        step(chain)
        seconds = time.monotonic() - started
        chain.setdefault("timings", {})[step.__name__] = round(seconds, 1)
        _logger.info("Chain %s: %s in %.1fs", chain["scale"], step.__name__, seconds)

    @api.model
    def _bulk_tables(self):
        return ["res_partner", "stock_lot", "stock_picking", "stock_move", "stock_move_line", "stock_quant",
                "pos_session", "pos_order", "pos_order_line", "pos_payment", "account_move", "account_move_line",
                "account_analytic_line"]

    @api.model
    def _check_not_generated(self):
        previous = self.env["ir.config_parameter"].sudo().get_param(GENERATED_PARAM)
        if previous or self.env["stock.warehouse"].sudo().search_count(
                [("code", "=", "DC"), ("retail_store_type", "=", "dc")], limit=1):
            raise UserError(self.env._(
                "A demo chain was already generated in this database (%(previous)s). Generate a "
                "chain only once, on a fresh database.", previous=previous or "DC"))

    @api.model
    def _history_end_date(self):
        """Yesterday: the history's last day is the one whose close packs a store reads this morning."""
        return fields.Date.context_today(self) - datetime.timedelta(days=1)

    def _temp_table(self, name, columns, arrays):
        """A temporary table filled by COPY from numpy columns; dropped at commit."""
        started = time.monotonic()
        cr = self.env.cr
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(name)))
        cr.execute(SQL("CREATE TEMP TABLE %s (%s) ON COMMIT DROP", SQL.identifier(name), SQL(", ").join(
            SQL("%s %s", SQL.identifier(column), SQL(COLUMN_TYPES[kind])) for column, kind in columns)))
        kinds = [kind for _column, kind in columns]
        names = ", ".join(column for column, _kind in columns)
        if "text" in kinds:
            cr._obj.copy_expert(f"COPY {name} ({names}) FROM STDIN",
                                io.StringIO(_tsv(*[np.asarray(a).tolist() for a in arrays])))
        else:
            cr._obj.copy_expert(f"COPY {name} ({names}) FROM STDIN WITH (FORMAT binary)",
                                io.BytesIO(_binary_copy(kinds, arrays)))
        cr.execute(SQL("ANALYZE %s", SQL.identifier(name)))
        _logger.info("Chain: %s rows copied into %s in %.1fs", len(arrays[0]), name, time.monotonic() - started)

    def _insert(self, table, query):
        """Run a set-based INSERT/UPDATE (an ``SQL``) into ``table``; refresh its planner statistics."""
        started = time.monotonic()
        self.env.cr.execute(query)
        rows = self.env.cr.rowcount
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        _logger.info("Chain: %s rows into %s in %.1fs", rows, table, time.monotonic() - started)

    @contextmanager
    def _bulk_load(self, tables):
        """Load ``tables`` without their foreign keys, unique constraints and indexes; put them back.

        Checking foreign keys row by row and inserting random keys (uuids) into unique
        indexes are most of the cost of a big insert; building an index or validating a
        constraint once over all rows is much cheaper. Primary keys stay in place. If the
        loaded rows broke a constraint, putting it back fails and the whole build rolls back.
        Tables are locked until the transaction ends: run the generator on a database nobody
        else uses.
        """
        cr = self.env.cr
        # big sorts and hashes in memory, for this transaction only
        cr.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cr.execute("SET LOCAL work_mem = '128MB'")
        cr.execute("""
            SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid), k.contype
              FROM pg_constraint k
             WHERE k.conrelid = ANY(%s::regclass[]) AND (k.contype = 'f' OR (k.contype = 'u' AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)))
             ORDER BY k.contype""", [tables])
        constraints = cr.fetchall()  # foreign keys first
        cr.execute("""
            SELECT c.relname, pg_get_indexdef(x.indexrelid)
              FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
             WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)""", [tables])
        indexes = cr.fetchall()
        for table, name, _definition, _kind in constraints:
            cr.execute(SQL("ALTER TABLE %s DROP CONSTRAINT %s", SQL.identifier(table), SQL.identifier(name)))
        for name, _definition in indexes:
            cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
        yield
        started = time.monotonic()
        # the definitions come from PostgreSQL's own catalogue, as it printed them
        for _name, definition in indexes:
            cr.execute(SQL(definition.replace("%", "%%")))
        for table, name, definition, _kind in reversed(constraints):  # unique constraints first
            cr.execute(SQL("ALTER TABLE %s ADD CONSTRAINT %s %s",
                           SQL.identifier(table), SQL.identifier(name), SQL(definition.replace("%", "%%"))))
        for table in tables:
            cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
        _logger.info("Chain: %s indexes and %s constraints restored in %.1fs",
                     len(indexes), len(constraints), time.monotonic() - started)

    def _reserve_ids(self, table, count):
        """Take ``count`` consecutive ids from ``table``'s own sequence.

        Only called inside :meth:`_bulk_load`, which holds the table's exclusive lock, so no
        other transaction can insert between the two sequence calls.
        """
        if not count:
            return np.zeros(0, dtype=np.int64)
        self.env.cr.execute(SQL(
            "SELECT setval(pg_get_serial_sequence(%(table)s, 'id'),"
            " nextval(pg_get_serial_sequence(%(table)s, 'id')) + %(count)s - 1)", table=table, count=count))
        last = self.env.cr.fetchone()[0]
        return np.arange(last - count + 1, last + 1, dtype=np.int64)

    def _set_translations(self, table, column, ids, values, lang="zh_CN"):
        self._temp_table("retail_gen_tr", [("rid", "int"), ("val", "text")], [ids, values])
        self.env.cr.execute(SQL(
            "UPDATE %(table)s t SET %(column)s = t.%(column)s || jsonb_build_object(%(lang)s, v.val)"
            " FROM retail_gen_tr v WHERE t.id = v.rid",
            table=SQL.identifier(table), column=SQL.identifier(column), lang=lang))

    # ------------------------------------------------------------------ configuration

    def _setup_company(self, chain):
        company = self.env.company
        china = self.env.ref("base.cn")
        vals = {"name": "鲜选连锁超市 FreshPick Retail", "country_id": china.id}
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

    # ------------------------------------------------------------------ stock

    def _write_stock(self, chain):
        """Deliveries, lots, the sessions' pickings and moves, and the final quants."""
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        dc = chain["dc"]
        products = chain["products"]
        company = chain["company"]
        start = datetime.datetime.combine(chain["start_date"], datetime.time())
        product_ids = np.array(products.ids, dtype=np.int64)
        store_loc = np.array([s.lot_stock_id.id for s in stores], dtype=np.int64)
        store_codes = [s.code for s in stores]
        supplier = self.env.ref("stock.stock_location_suppliers").id
        customer = self.env.ref("stock.stock_location_customers").id
        uid = self.env.uid

        # -- lots (one per delivery of a tracked article), at the store that received it
        lots = history["lots"]
        lot_ids = self._reserve_ids("stock_lot", len(lots))
        lot_days = lots[:, 2]
        self._temp_table("retail_gen_lot", [
            ("rid", "int"), ("product_id", "int"), ("received", "int"), ("expiry", "int"), ("location_id", "int")], [
            lot_ids, product_ids[lots[:, 1]], lot_days, lots[:, 4], store_loc[lots[:, 0]]])
        self._insert("stock_lot", SQL("""
            INSERT INTO stock_lot (id, product_id, company_id, name, location_id, expiration_date, use_date,
                                   removal_date, alert_date, product_expiry_reminded,
                                   create_uid, write_uid, create_date, write_date)
            SELECT l.rid, l.product_id, %(company)s,
                   w.code || '-' || to_char(%(start)s + l.received * interval '1 day', 'YYMMDD'), l.location_id,
                   %(start)s + l.expiry * interval '1 day',
                   %(start)s + (l.expiry - t.use_time) * interval '1 day',
                   %(start)s + (l.expiry - t.removal_time) * interval '1 day',
                   %(start)s + (l.expiry - t.alert_time) * interval '1 day',
                   false, %(uid)s, %(uid)s, %(start)s + l.received * interval '1 day',
                   %(start)s + l.received * interval '1 day'
              FROM retail_gen_lot l
              JOIN stock_warehouse w ON w.lot_stock_id = l.location_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id""", company=company.id, start=start, uid=uid))

        # -- pickings: store deliveries (from the supplier or the DC) and DC purchases per day,
        #    and one POS picking per store and day
        receipts = history["receipts"]
        from_dc = history["receipt_from_dc"]
        dc_receipts = history["dc_receipts"]
        sales = history["sales_moves"]
        n_stores = len(stores)
        # picking key: kind (0 supplier->store, 1 dc->store, 2 supplier->dc, 3 store->customer), store, day
        rec_kind = np.where(from_dc, 1, 0)
        keys = np.concatenate([
            (rec_kind * (n_stores + 1) + receipts[:, 0]) * 10000 + receipts[:, 2],
            (2 * (n_stores + 1) + n_stores) * 10000 + dc_receipts[:, 1],
            (3 * (n_stores + 1) + sales[:, 0]) * 10000 + sales[:, 2],
        ])
        picking_keys, move_picking = np.unique(keys, return_inverse=True)
        picking_ids = self._reserve_ids("stock_picking", len(picking_keys))
        p_kind = picking_keys // 10000 // (n_stores + 1)
        p_store = picking_keys // 10000 % (n_stores + 1)
        p_day = picking_keys % 10000
        all_loc = np.append(store_loc, dc.lot_stock_id.id)
        src = np.select([p_kind == 0, p_kind == 1, p_kind == 2], [supplier, dc.lot_stock_id.id, supplier],
                        all_loc[p_store])
        dst = np.select([p_kind == 3], [customer], all_loc[p_store])
        in_types = np.array([s.in_type_id.id for s in stores] + [dc.in_type_id.id])
        pos_types = np.array([s.pos_type_id.id for s in stores] + [0])
        p_type = np.select([p_kind == 1, p_kind == 3], [dc.int_type_id.id, pos_types[p_store]], in_types[p_store])
        prefixes = np.array(["IN", "DC", "IN", "POS"])
        all_codes = np.array([*store_codes, "DC"])
        date_strings = [(chain["start_date"] + datetime.timedelta(days=d)).strftime("%Y%m%d")
                        for d in range(int(p_day.max()) + 1)]
        p_names = [f"{all_codes[s]}/{prefixes[k]}/{date_strings[d]}" for k, s, d in zip(
            p_kind.tolist(), p_store.tolist(), p_day.tolist(), strict=True)]
        # deliveries arrive at 05:00 (DC) / 06:00 (stores) local, the POS picking at closing time (22:00)
        hour = np.select([p_kind == 2, p_kind == 3], [-3, 14], -2)
        self._temp_table("retail_gen_picking", [
            ("rid", "int"), ("kind", "int"), ("day", "int"), ("hour", "int"), ("src", "int"), ("dst", "int"),
            ("type", "int"), ("name", "text")], [picking_ids, p_kind, p_day, hour, src, dst, p_type, p_names])
        self._insert("stock_picking", SQL("""
            INSERT INTO stock_picking (id, name, origin, location_id, location_dest_id, picking_type_id, company_id,
                                       move_type, state, priority, scheduled_date, date_done, is_locked, printed,
                                       create_uid, write_uid, create_date, write_date)
            SELECT rid, name, name, src, dst, type, %(company)s, 'direct', 'done', '0',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour', true, false,
                   %(uid)s, %(uid)s, %(start)s + day * interval '1 day' + hour * interval '1 hour',
                   %(start)s + day * interval '1 day' + hour * interval '1 hour'
              FROM retail_gen_picking ORDER BY rid""", company=company.id, start=start, uid=uid))
        chain["picking_ids_by_key"] = (picking_keys, picking_ids)

        # -- moves: store deliveries, DC purchases, sales
        m_product = np.concatenate([receipts[:, 1], dc_receipts[:, 0], sales[:, 1]])
        m_qty = np.concatenate([receipts[:, 3], dc_receipts[:, 2], sales[:, 3]])
        move_ids = self._reserve_ids("stock_move", len(m_product))
        m_picking = picking_ids[move_picking]
        m_kind = p_kind[move_picking]
        self._temp_table("retail_gen_move", [
            ("rid", "int"), ("picking_id", "int"), ("product_id", "int"), ("qty", "numeric"), ("kind", "int")],
            [move_ids, m_picking, product_ids[m_product], m_qty, m_kind])
        self._insert("stock_move", SQL("""
            INSERT INTO stock_move (id, sequence, company_id, product_id, product_uom, location_id, location_dest_id,
                                    location_final_id, picking_id, picking_type_id, warehouse_id, priority, state,
                                    origin, procure_method, reference, product_qty, product_uom_qty, quantity,
                                    picked, propagate_cancel, is_inventory, additional, date, price_unit,
                                    is_in, is_out, is_dropship, create_uid, write_uid, create_date, write_date)
            SELECT m.rid, 10, %(company)s, m.product_id, t.uom_id, p.location_id, p.location_dest_id,
                   p.location_dest_id, p.id, p.picking_type_id, pt.warehouse_id, '0', 'done', p.origin,
                   'make_to_stock', p.name, m.qty, m.qty, m.qty, true, false, false, false, p.date_done,
                   COALESCE((pp.standard_price->>%(company_key)s)::float, 0), m.kind IN (0, 2), m.kind = 3, false,
                   %(uid)s, %(uid)s, p.date_done, p.date_done
              FROM retail_gen_move m
              JOIN stock_picking p ON p.id = m.picking_id
              JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template t ON t.id = pp.product_tmpl_id""",
            company=company.id, uid=uid, company_key=str(company.id)))

        # -- move lines: one per move, split per lot for the tracked sales moves
        n_rec = len(receipts)
        n_dc = len(dc_receipts)
        sales_offset = n_rec + n_dc
        tracked_sales = np.zeros(len(sales), dtype=bool)
        pieces = history["lot_pieces"]
        tracked_sales[pieces[:, 0]] = True
        lot_of_receipt = np.full(n_rec, -1, dtype=np.int64)
        lot_of_receipt[history["lot_receipt"]] = np.arange(len(lots))
        ml_move = np.concatenate([
            np.arange(n_rec + n_dc), sales_offset + np.nonzero(~tracked_sales)[0], sales_offset + pieces[:, 0]])
        ml_lot = np.concatenate([
            lot_of_receipt, np.full(n_dc + int((~tracked_sales).sum()), -1, dtype=np.int64), pieces[:, 1]])
        ml_qty = np.concatenate([m_qty[: n_rec + n_dc], sales[~tracked_sales, 3], pieces[:, 2]])
        lot_id_column = np.where(ml_lot >= 0, lot_ids[np.maximum(ml_lot, 0)], 0)
        # the move's own columns travel with the line: no join back to millions of moves
        ml_moves = move_ids[ml_move]
        ml_picking = move_picking[ml_move]
        uoms = np.array([product.uom_id.id for product in products], dtype=np.int64)
        self._temp_table("retail_gen_ml", [
            ("move_id", "int"), ("lot_id", "int"), ("qty", "numeric"), ("picking_id", "int"), ("product_id", "int"),
            ("uom_id", "int"), ("src", "int"), ("dst", "int"), ("day", "int"), ("hour", "int")], [
            ml_moves, lot_id_column, ml_qty, picking_ids[ml_picking], product_ids[m_product[ml_move]],
            uoms[m_product[ml_move]], src[ml_picking], dst[ml_picking], p_day[ml_picking], hour[ml_picking]])
        self._insert("stock_move_line", SQL("""
            INSERT INTO stock_move_line (picking_id, move_id, company_id, product_id, product_uom_id, lot_id, lot_name,
                                         location_id, location_dest_id, state, quantity, quantity_product_uom,
                                         picked, date, expiration_date, removal_date,
                                         create_uid, write_uid, create_date, write_date)
            SELECT l.picking_id, l.move_id, %(company)s, l.product_id, l.uom_id, lot.id, lot.name,
                   l.src, l.dst, 'done', l.qty, l.qty, true, d.stamp, lot.expiration_date, lot.removal_date,
                   %(uid)s, %(uid)s, d.stamp, d.stamp
              FROM retail_gen_ml l
              CROSS JOIN LATERAL (SELECT %(start)s + l.day * interval '1 day' + l.hour * interval '1 hour' AS stamp) d
              LEFT JOIN stock_lot lot ON lot.id = NULLIF(l.lot_id, 0)""", company=company.id, uid=uid, start=start))

        # -- quants: what is left on the shelves (per lot for tracked articles) and in the DC
        stock = history["stock"]
        tracked = np.array([p["shelf_life"] > 0 for p in data["products"]])
        s_idx, p_idx = np.nonzero((stock > 0) & ~tracked[None, :])
        left = history["lot_left"] > 0
        dc_idx = np.nonzero(history["dc_stock"] > 0)[0]
        last_delivery = np.zeros(stock.shape, dtype=np.int64)
        last_delivery[receipts[:, 0], receipts[:, 1]] = receipts[:, 2]  # receipts are in day order
        q_loc = np.concatenate([store_loc[s_idx], store_loc[lots[left, 0]],
                                np.full(len(dc_idx), dc.lot_stock_id.id)])
        q_product = np.concatenate([p_idx, lots[left, 1], dc_idx])
        q_lot = np.concatenate([
            np.zeros(len(s_idx), dtype=np.int64), lot_ids[left], np.zeros(len(dc_idx), dtype=np.int64)])
        q_qty = np.concatenate([stock[s_idx, p_idx], history["lot_left"][left], history["dc_stock"][dc_idx]])
        q_day = np.concatenate([last_delivery[s_idx, p_idx], lots[left, 2], np.full(len(dc_idx), 0)])
        self._temp_table("retail_gen_quant", [
            ("location_id", "int"), ("product_id", "int"), ("lot_id", "int"), ("qty", "numeric"), ("day", "int")],
            [q_loc, product_ids[q_product], q_lot, q_qty, q_day])
        self._insert("stock_quant", SQL("""
            INSERT INTO stock_quant (product_id, company_id, location_id, lot_id, quantity, reserved_quantity,
                                     inventory_quantity_set, in_date, expiration_date, removal_date,
                                     create_uid, write_uid, create_date, write_date)
            SELECT q.product_id, %(company)s, q.location_id, NULLIF(q.lot_id, 0), q.qty, 0, false,
                   %(start)s + q.day * interval '1 day', lot.expiration_date, lot.removal_date,
                   %(uid)s, %(uid)s, %(start)s + q.day * interval '1 day', %(start)s + q.day * interval '1 day'
              FROM retail_gen_quant q LEFT JOIN stock_lot lot ON lot.id = NULLIF(q.lot_id, 0)""",
            company=company.id, start=start, uid=uid))

    # ------------------------------------------------------------------ sales

    def _write_sales(self, chain):
        """Closed sessions (one per store and day), tickets, lines and payments."""
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        configs = chain["pos_configs"]
        company = chain["company"]
        start = datetime.datetime.combine(chain["start_date"], datetime.time())
        uid = self.env.uid
        orders, lines = history["orders"], history["lines"]
        n_stores, days = len(stores), data["spec"]["days"]
        # sessions (store, day) that sold something
        session_key = orders[:, 1] * n_stores + orders[:, 0]
        session_keys, order_session = np.unique(session_key, return_inverse=True)
        session_ids = self._reserve_ids("pos_session", len(session_keys))
        s_store = session_keys % n_stores
        s_day = session_keys // n_stores
        config_ids = np.array(configs.ids)
        cashier_ids = np.array([chain["store_cashiers"][s.id].ids for s in stores])  # store x cashier
        cash_journal = np.array([chain["payment_methods"][s.id][0].journal_id.id for s in stores])
        method_ids = np.array([[m.id for m in chain["payment_methods"][s.id]] for s in stores])
        order_store = orders[:, 0]
        # the tax included in each line, rounded per line as the till does
        taxes, product_tax, rates = self._product_tax_columns(chain)
        line_rate = rates[product_tax[lines[:, 1]]]
        line_tax = np.rint(history["line_subtotal"] * line_rate / (1.0 + line_rate)).astype(np.int64)
        order_tax = np.bincount(lines[:, 0], weights=line_tax, minlength=len(orders))
        chain["line_tax"] = line_tax
        chain["taxes"], chain["product_tax"] = taxes, product_tax
        cash_total = np.bincount(order_session, weights=np.where(orders[:, 4] == 0, history["order_total"], 0),
                                 minlength=len(session_keys))
        date_strings = [(chain["start_date"] + datetime.timedelta(days=d)).strftime("%Y%m%d") for d in range(days)]
        codes = stores.mapped("code")
        s_names = [f"{codes[s]}/{date_strings[d]}" for s, d in zip(s_store.tolist(), s_day.tolist(), strict=True)]
        chain["sessions"] = {"ids": session_ids, "store": s_store, "day": s_day, "order_session": order_session}
        self._temp_table("retail_gen_session", [
            ("rid", "int"), ("config_id", "int"), ("user_id", "int"), ("journal_id", "int"), ("name", "text"),
            ("day", "int"), ("cash", "numeric")], [
            session_ids, config_ids[s_store], cashier_ids[s_store, 0], cash_journal[s_store], s_names, s_day,
            (cash_total / 100.0).round(2)])
        self._insert("pos_session", SQL("""
            INSERT INTO pos_session (id, config_id, user_id, cash_journal_id, name, state, start_at, stop_at,
                                     cash_register_balance_start, cash_register_balance_end_real,
                                     cash_real_transaction, rescue, update_stock_at_closing,
                                     create_uid, write_uid, create_date, write_date)
            SELECT rid, config_id, user_id, journal_id, name, 'closed',
                   %(start)s + day * interval '1 day' - interval '10 minutes',
                   %(start)s + day * interval '1 day' + interval '14 hours 10 minutes',
                   0, round(cash::numeric, 2), 0, false, true, %(uid)s, %(uid)s,
                   %(start)s + day * interval '1 day' - interval '10 minutes',
                   %(start)s + day * interval '1 day' + interval '14 hours 10 minutes'
              FROM retail_gen_session ORDER BY rid""", start=start, uid=uid))
        # the POS pickings belong to their session
        picking_keys, picking_ids = chain["picking_ids_by_key"]
        pos_key = (3 * (n_stores + 1) + s_store) * 10000 + s_day
        position = np.searchsorted(picking_keys, pos_key)
        self._temp_table("retail_gen_sp", [("picking_id", "int"), ("session_id", "int")],
                         [picking_ids[position], session_ids])
        self._insert("stock_picking", SQL("""UPDATE stock_picking p SET pos_session_id = s.session_id
                        FROM retail_gen_sp s WHERE p.id = s.picking_id"""))

        # orders: sequence within the session in time order (orders are sorted by day, store, time)
        order_ids = self._reserve_ids("pos_order", len(orders))
        first = np.r_[0, np.nonzero(np.diff(order_session))[0] + 1]
        counts = np.diff(np.r_[first, len(orders)])
        sequence = np.arange(len(orders)) - np.repeat(first, counts) + 1
        member_ids = np.array([*chain["members"].ids, 0], dtype=np.int64)
        cashier_slot = np.where(orders[:, 2] < 7 * 3600, 0, cashier_ids.shape[1] - 1)
        self._temp_table("retail_gen_order", [
            ("rid", "int"), ("session_id", "int"), ("config_id", "int"), ("user_id", "int"), ("partner_id", "int"),
            ("seq", "int"), ("day", "int"), ("sec", "int"), ("total", "numeric"), ("tax", "numeric"),
            ("method_id", "int")], [
            order_ids, session_ids[order_session], config_ids[order_store], cashier_ids[order_store, cashier_slot],
            member_ids[orders[:, 3]], sequence, orders[:, 1], orders[:, 2], history["order_total"] / 100.0,
            order_tax / 100.0, method_ids[order_store, orders[:, 4]]])
        pricelist = configs[:1].pricelist_id.id or None
        self._insert("pos_order", SQL("""
            INSERT INTO pos_order (id, user_id, company_id, pricelist_id, partner_id, sequence_number, session_id,
                                   config_id, name, state, pos_reference, tracking_number, uuid, source,
                                   amount_tax, amount_total, amount_paid, amount_return, currency_rate,
                                   is_refund, to_invoice, is_tipped, tip_amount, has_deleted_line, nb_print,
                                   date_order, create_uid, write_uid, create_date, write_date)
            WITH o AS (
                SELECT t.*, c.name AS config_name, round(t.total::numeric, 2) AS amount,
                       to_char(%(start)s + t.day * interval '1 day', 'YYYYMMDD') || lpad(t.seq::text, 4, '0') AS number,
                       %(start)s + t.day * interval '1 day' + t.sec * interval '1 second' AS stamp
                  FROM retail_gen_order t JOIN pos_config c ON c.id = t.config_id)
            SELECT rid, user_id, %(company)s, %(pricelist)s, NULLIF(partner_id, 0), seq, session_id, config_id,
                   config_name || ' - ' || number, 'done', substr(number, 3, 2) || '9-' || config_id || '-' || number,
                   (seq %% 1000)::text, md5('retail-order-' || config_id || '-' || number)::uuid::text, 'pos',
                   round(tax::numeric, 2), amount, amount, 0, 1, false, false, false, 0, false, 0, stamp, user_id,
                   user_id, stamp, stamp
              FROM o""", company=company.id, pricelist=pricelist, start=start))
        self._insert("pos_payment", SQL("""
            INSERT INTO pos_payment (pos_order_id, payment_method_id, session_id, company_id, amount, is_change,
                                     payment_date, payment_status, uuid, create_uid, write_uid, create_date, write_date)
            SELECT o.id, t.method_id, o.session_id, %(company)s, o.amount_total, false, o.date_order, 'done',
                   md5('retail-payment-' || o.pos_reference)::uuid::text, o.user_id, o.user_id, o.date_order,
                   o.date_order
              FROM retail_gen_order t JOIN pos_order o ON o.id = t.rid""", company=company.id))

        product_ids = np.array(chain["products"].ids, dtype=np.int64)
        costs = np.array([p["cost"] for p in data["products"]], dtype=np.int64)
        # the order's own columns travel with the line: no join back to a million orders
        line_order = lines[:, 0]
        order_user = cashier_ids[order_store, cashier_slot]
        line_ids = self._reserve_ids("pos_order_line", len(lines))
        tax_ids = np.array([*taxes.ids, 0], dtype=np.int64)
        self._temp_table("retail_gen_line", [
            ("rid", "int"), ("idx", "int"), ("order_id", "int"), ("product_id", "int"), ("qty", "numeric"),
            ("price", "numeric"), ("discount", "numeric"), ("subtotal", "numeric"), ("net", "numeric"),
            ("tax_id", "int"), ("cost", "numeric"), ("config_id", "int"),
            ("day", "int"), ("seq", "int"), ("sec", "int"), ("user_id", "int")], [
            line_ids, np.arange(1, len(lines) + 1), order_ids[line_order], product_ids[lines[:, 1]], lines[:, 2],
            history["line_price"] / 100.0, lines[:, 3], history["line_subtotal"] / 100.0,
            (history["line_subtotal"] - line_tax) / 100.0, tax_ids[product_tax[lines[:, 1]]],
            costs[lines[:, 1]] * lines[:, 2] / 100.0, config_ids[order_store[line_order]], orders[line_order, 1],
            sequence[line_order], orders[line_order, 2], order_user[line_order]])
        self._insert("pos_order_line", SQL("""
            INSERT INTO pos_order_line (id, company_id, product_id, order_id, name, full_product_name, price_unit, qty,
                                        price_subtotal, price_subtotal_incl, discount, total_cost,
                                        is_total_cost_computed, price_extra, uuid, create_uid, write_uid,
                                        create_date, write_date)
            SELECT l.rid, %(company)s, l.product_id, l.order_id,
                   c.name || ' - ' || to_char(%(start)s + l.day * interval '1 day', 'YYYYMMDD')
                   || lpad(l.seq::text, 4, '0') || '-' || l.idx,
                   t.name->>'en_US', round(l.price::numeric, 2), l.qty, round(l.net::numeric, 2),
                   round(l.subtotal::numeric, 2), l.discount, round(l.cost::numeric, 2), true, 0,
                   md5('retail-line-' || l.config_id || '-' || l.idx)::uuid::text, l.user_id, l.user_id, d.stamp,
                   d.stamp
              FROM retail_gen_line l
              CROSS JOIN LATERAL (SELECT %(start)s + l.day * interval '1 day' + l.sec * interval '1 second' AS stamp) d
              JOIN pos_config c ON c.id = l.config_id
              JOIN product_product p ON p.id = l.product_id
              JOIN product_template t ON t.id = p.product_tmpl_id""", company=company.id, start=start))
        if taxes:
            self._insert("account_tax_pos_order_line_rel", SQL("""
                INSERT INTO account_tax_pos_order_line_rel (pos_order_line_id, account_tax_id)
                SELECT rid, tax_id FROM retail_gen_line WHERE tax_id > 0"""))
        chain["order_ids"] = order_ids

    # ------------------------------------------------------------------ accounting

    def _write_accounting(self, chain):
        """One posted entry per closed session: sales per income account against each payment method.

        Written set-based, as the ORM would post them: a sequence per journal and month, lines
        of type ``product``, residuals on cash accounts, and the analytic lines of the store.
        """
        data = chain["data"]
        history = data["history"]
        stores = chain["stores"]
        configs = chain["pos_configs"]
        company = chain["company"]
        sessions = chain["sessions"]
        orders, lines = history["orders"], history["lines"]
        n_sessions = len(sessions["ids"])
        category_income = [c.property_account_income_categ_id or company.income_account_id
                           for c in chain["product_categories"]]
        income_accounts = sorted({a.id for a in category_income})
        account_of_category = np.array([income_accounts.index(a.id) for a in category_income])
        product_category = np.array([p["category"] for p in data["products"]])
        line_session = sessions["order_session"][lines[:, 0]]
        # revenue net of tax per income account and tax (the last column of a row: no tax)
        taxes, product_tax, line_tax = chain["taxes"], chain["product_tax"], chain["line_tax"]
        n_taxes = len(taxes) + 1
        line_tax_index = np.where(product_tax[lines[:, 1]] < 0, n_taxes - 1, product_tax[lines[:, 1]])
        line_group = account_of_category[product_category[lines[:, 1]]] * n_taxes + line_tax_index
        revenue = np.zeros((n_sessions, len(income_accounts) * n_taxes), dtype=np.int64)
        np.add.at(revenue, (line_session, line_group), history["line_subtotal"] - line_tax)
        tax_amount = np.zeros((n_sessions, n_taxes), dtype=np.int64)
        np.add.at(tax_amount, (line_session, line_tax_index), line_tax)
        tax_base = np.zeros((n_sessions, n_taxes), dtype=np.int64)
        np.add.at(tax_base, (line_session, line_tax_index), history["line_subtotal"] - line_tax)
        tax_repartition = [tax.invoice_repartition_line_ids.filtered(lambda r: r.repartition_type == "tax")[:1]
                           for tax in taxes]
        if any(not line.account_id for line in tax_repartition):
            raise UserError(self.env._("Each sale tax of the generated products needs a tax account."))
        n_methods = len(chain_catalogue.PAYMENT_METHODS)
        paid = np.zeros((n_sessions, n_methods), dtype=np.int64)
        np.add.at(paid, (sessions["order_session"], orders[:, 4]), history["order_total"])
        method_accounts = np.array([
            [m.journal_id.default_account_id.id for m in chain["payment_methods"][store.id]] for store in stores])
        analytic = np.array([store.retail_analytic_account_id.id or 0 for store in stores])
        journal = configs[:1].journal_id
        if any(config.journal_id != journal for config in configs):
            raise UserError(self.env._("The generated tills must share one sales journal."))

        # entries: numbered per month in date order, after any entry already in the journal
        s_day = sessions["day"]
        s_store = sessions["store"]
        dates = [chain["start_date"] + datetime.timedelta(days=int(d)) for d in range(int(s_day.max()) + 1)]
        month = np.array([dates[d].year * 100 + dates[d].month for d in s_day.tolist()])
        order = np.lexsort((s_store, s_day))
        move_ids = np.empty(n_sessions, dtype=np.int64)
        move_ids[order] = self._reserve_ids("account_move", n_sessions)
        number = np.empty(n_sessions, dtype=np.int64)
        sorted_month = month[order]
        first = np.r_[0, np.nonzero(np.diff(sorted_month))[0] + 1]
        number[order] = np.arange(n_sessions) - np.repeat(first, np.diff(np.r_[first, n_sessions])) + 1
        self.env.cr.execute(SQL(
            "SELECT sequence_prefix, max(sequence_number) FROM account_move WHERE journal_id = %s GROUP BY 1",
            journal.id))
        already = dict(self.env.cr.fetchall())
        prefixes = {m: f"{journal.code}/{m // 100}/{m % 100:02d}/" for m in np.unique(month).tolist()}
        number += np.array([already.get(prefixes[m], 0) for m in month.tolist()], dtype=np.int64)
        total = paid.sum(axis=1)
        self._temp_table("retail_gen_move_entry", [
            ("rid", "int"), ("session_id", "int"), ("day", "int"), ("number", "int"), ("total", "numeric"),
            ("prefix", "text"), ("ref", "text")], [
            move_ids, sessions["ids"], s_day, number, total / 100.0, [prefixes[m] for m in month.tolist()],
            [f"{stores[s].code}/{dates[d].strftime('%Y%m%d')}" for s, d in zip(
                s_store.tolist(), s_day.tolist(), strict=True)]])
        start = chain["start_date"]
        self._insert("account_move", SQL("""
            INSERT INTO account_move (id, sequence_number, sequence_prefix, name, journal_id, company_id, currency_id,
                                      ref, state, move_type, auto_post, payment_state, invoice_partner_display_name,
                                      date, invoice_date_due, invoice_currency_rate, amount_untaxed, amount_tax,
                                      amount_total, amount_residual, amount_untaxed_signed,
                                      amount_untaxed_in_currency_signed, amount_tax_signed, amount_total_signed,
                                      amount_total_in_currency_signed, amount_residual_signed, always_tax_exigible,
                                      checked, posted_before, made_sequence_gap, is_manually_modified,
                                      create_uid, write_uid, create_date, write_date)
            SELECT rid, number, prefix, prefix || lpad(number::text, 4, '0'), %(journal)s, %(company)s,
                   %(currency)s, ref, 'posted', 'entry', 'no', 'not_paid', %(creator)s,
                   %(start)s::date + day::int, %(start)s::date + day::int, 0, 0, 0, round(total::numeric, 2),
                   0, 0, 0, 0, round(total::numeric, 2), round(total::numeric, 2), 0, true, true, true, false, false,
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM retail_gen_move_entry""",
            journal=journal.id, company=company.id, currency=company.currency_id.id, start=start,
            uid=self.env.uid, creator=f"#Created by: {self.env.user.name}"))

        # lines: credit the income accounts net of tax (with the store's analytic account and the
        # tax of their goods), credit each tax, debit each payment method
        session_idx, group_idx = np.nonzero(revenue)
        tax_session, tax_idx = np.nonzero(tax_amount[:, :-1])
        pay_session, pay_method = np.nonzero(paid)
        method_names = ["Sales"] + [en for _c, _zh, en, _s, _cash in chain_catalogue.PAYMENT_METHODS]
        n_income, n_tax, n_pay = len(session_idx), len(tax_session), len(pay_session)
        zeros = np.zeros
        tax_ids = np.array([*taxes.ids, 0], dtype=np.int64)
        move_line_ids = self._reserve_ids("account_move_line", n_income + n_tax + n_pay)
        self._temp_table("retail_gen_move_line", [
            ("rid", "int"), ("move_id", "int"), ("account_id", "int"), ("balance", "numeric"), ("analytic", "int"),
            ("label", "text"), ("kind", "text"), ("base_tax", "int"), ("tax_line", "int"), ("repartition", "int"),
            ("tax_base", "numeric")], [
            move_line_ids,
            np.concatenate([move_ids[session_idx], move_ids[tax_session], move_ids[pay_session]]),
            np.concatenate([np.array(income_accounts)[group_idx // n_taxes],
                            np.array([line.account_id.id for line in tax_repartition] or [0])[tax_idx],
                            method_accounts[s_store[pay_session], pay_method]]),
            np.concatenate([-revenue[session_idx, group_idx], -tax_amount[tax_session, tax_idx],
                            paid[pay_session, pay_method]]) / 100.0,
            np.concatenate([analytic[s_store[session_idx]], zeros(n_tax + n_pay, dtype=np.int64)]),
            [method_names[0]] * n_income + [taxes[t].name for t in tax_idx.tolist()]
            + [method_names[m + 1] for m in pay_method.tolist()],
            ["product"] * n_income + ["tax"] * n_tax + ["product"] * n_pay,
            np.concatenate([tax_ids[group_idx % n_taxes], zeros(n_tax + n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income, dtype=np.int64), tax_ids[tax_idx], zeros(n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income, dtype=np.int64),
                            np.array([line.id for line in tax_repartition] or [0])[tax_idx],
                            zeros(n_pay, dtype=np.int64)]),
            np.concatenate([zeros(n_income), tax_base[tax_session, tax_idx] / 100.0, zeros(n_pay)])])
        self._insert("account_move_line", SQL("""
            INSERT INTO account_move_line (id, move_id, journal_id, company_id, company_currency_id, sequence,
                                           account_id, tax_line_id, tax_repartition_line_id, tax_group_id,
                                           tax_base_amount,
                                           currency_id, move_name, parent_state, ref, name, display_type, date,
                                           analytic_distribution, debit, credit, balance, amount_currency,
                                           amount_residual, amount_residual_currency, quantity, price_unit,
                                           price_subtotal, price_total, discount, is_storno, reconciled,
                                           no_followup, deductible_amount, create_uid, write_uid, create_date,
                                           write_date)
            SELECT l.rid, m.id, m.journal_id, m.company_id, m.currency_id, 100, l.account_id,
                   NULLIF(l.tax_line, 0), NULLIF(l.repartition, 0), x.tax_group_id, round(l.tax_base::numeric, 2),
                   m.currency_id,
                   m.name, 'posted', m.ref, l.label, l.kind, m.date,
                   CASE WHEN l.analytic > 0 THEN jsonb_build_object(l.analytic::text, 100.0) END,
                   greatest(b.amount, 0), greatest(-b.amount, 0), b.amount, b.amount,
                   CASE WHEN a.reconcile OR a.account_type IN ('asset_cash', 'liability_credit_card')
                        THEN b.amount ELSE 0 END,
                   CASE WHEN a.reconcile OR a.account_type IN ('asset_cash', 'liability_credit_card')
                        THEN b.amount ELSE 0 END,
                   1, 0, b.amount, b.amount, 0, false, false, true, 100, m.create_uid, m.create_uid,
                   m.create_date, m.create_date
              FROM retail_gen_move_line l
              CROSS JOIN LATERAL (SELECT round(l.balance::numeric, 2) AS amount) b
              JOIN account_move m ON m.id = l.move_id
              JOIN account_account a ON a.id = l.account_id
         LEFT JOIN account_tax x ON x.id = l.tax_line"""))
        if taxes:
            self._insert("account_move_line_account_tax_rel", SQL("""
                INSERT INTO account_move_line_account_tax_rel (account_move_line_id, account_tax_id)
                SELECT rid, base_tax FROM retail_gen_move_line WHERE base_tax > 0"""))
        plan = self.env.ref("retail_base.analytic_plan_stores", raise_if_not_found=False)
        if plan:
            self._insert("account_analytic_line", SQL("""
                INSERT INTO account_analytic_line (name, category, date, amount, unit_amount, general_account_id,
                                                   journal_id, move_line_id, ref, company_id, currency_id, user_id,
                                                   %(plan_column)s, create_uid, write_uid, create_date, write_date)
                SELECT l.name, 'other', l.date, -l.balance, 1, l.account_id, l.journal_id, l.id, l.ref,
                       l.company_id, l.company_currency_id, l.create_uid, (k.key)::int, l.create_uid,
                       l.create_uid, l.create_date, l.create_date
                  FROM account_move_line l
                  CROSS JOIN LATERAL jsonb_each(l.analytic_distribution) k
                 WHERE l.move_id = ANY(%(moves)s) AND l.analytic_distribution IS NOT NULL""",
                plan_column=SQL.identifier(plan._column_name()), moves=move_ids.tolist()))
        self._insert("pos_session", SQL("""
            UPDATE pos_session s SET move_id = m.rid FROM retail_gen_move_entry m WHERE s.id = m.session_id"""))
        chain["session_moves"] = self.env["account.move"].browse(move_ids.tolist())
