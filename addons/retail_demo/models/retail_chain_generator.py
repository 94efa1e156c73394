import datetime
import io
import logging
import struct
import time
from contextlib import contextmanager

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import chain_data, chain_spec

_logger = logging.getLogger(__name__)

# the key is older than this addon: chains built before it moved here stay known
GENERATED_PARAM = "retail_base.chain_generated"
# The chain's stores keep Shanghai time: their "yesterday" is the history's last day, whoever
# runs the generator (the superuser has no time zone, so UTC).
CHAIN_TZ = "Asia/Shanghai"
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
        # every step, the addons' included, counts days as the stores do
        generator = self.with_context(tz=CHAIN_TZ)
        chain = generator._generate_chain(dict(chain_spec.SCALES[scale], name=scale), seed)
        generator._retail_generate_extra(chain)
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
        return fields.Date.context_today(self.with_context(tz=CHAIN_TZ)) - datetime.timedelta(days=1)

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
