import logging
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command

_logger = logging.getLogger(__name__)


class RetailNightlyRun(models.Model):
    """A store's nightly planning: every step the chain's night runs for it, in order.

    The night's job goes one store at a time, one commit per store, so an interrupted night
    resumes with the stores not done and a second run the same night does nothing. A store is
    all or nothing: when a step fails, what the store's earlier steps wrote that night is
    undone, the run says why, and the next run of the night takes the store up again. HQ can
    run one store again at any time; its steps replace what they wrote before.
    """

    _name = "retail.nightly.run"
    _description = "Nightly planning of a store"
    _order = "date desc, store_id"

    date = fields.Date(required=True, readonly=True, index=True, help="The night the planning was made for.")
    store_id = fields.Many2one("stock.warehouse", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    state = fields.Selection([("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                             required=True, readonly=True, default="running")
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1))
    error = fields.Text(readonly=True, help="Why the store's planning stopped; nothing of that night was kept.")
    step_ids = fields.One2many("retail.nightly.run.step", "run_id", string="Steps", readonly=True)
    summary = fields.Char(compute="_compute_summary")

    _date_store_uniq = models.Constraint(
        "UNIQUE(date, store_id)", "A store has one nightly planning a night.")

    @api.depends("step_ids.count", "step_ids.name")
    def _compute_summary(self):
        for run in self:
            run.summary = " · ".join(f"{step.name} {step.count}" for step in run.step_ids)

    @api.depends("store_id", "date")
    def _compute_display_name(self):
        for run in self:
            run.display_name = f"{run.store_id.display_name} · {run.date}"

    # ------------------------------------------------------------------ the steps

    @api.model
    def _retail_steps(self):
        """The night's steps in order, as (code, label, method): each method takes the store and
        the night's date, replaces what it wrote for the store before, and returns how many
        records it made. An addon adds its own after these."""
        return [
            ("forecast", self.env._("Demand forecast"), self._retail_step_forecast),
            ("accuracy", self.env._("Forecast accuracy"), self._retail_step_accuracy),
            ("replenishment", self.env._("Replenishment changes"), self._retail_step_replenishment),
        ]

    @api.model
    def _retail_step_forecast(self, store, today):
        return self.env["retail.demand.forecast"].sudo()._retail_forecast(store, today)

    @api.model
    def _retail_step_accuracy(self, store, today):
        return len(self.env["retail.forecast.accuracy"].sudo()._retail_measure(store, today))

    @api.model
    def _retail_step_replenishment(self, store, today):
        """A draft of the store's replenishment levels for HQ to approve in the morning, with the
        settings HQ last approved for the store. It replaces the store's earlier nightly draft;
        a draft without a change is not kept."""
        Replenishment = self.env["retail.replenishment"].sudo()
        Replenishment.search([("origin", "=", "nightly"), ("state", "=", "draft"),
                              ("store_ids", "in", store.ids)]).unlink()
        last = Replenishment.search([("state", "=", "approved"), ("store_ids", "in", store.ids)], limit=1)
        settings = {name: last[name] for name in ("lead_days", "review_days", "service_level")} if last else {}
        draft = Replenishment.create({
            **settings, "origin": "nightly", "company_id": store.company_id.id,
            "store_ids": [Command.set(store.ids)],
        })
        draft.action_compute()
        changes = draft.changed_count
        if not changes:
            draft.unlink()
        return changes

    # ------------------------------------------------------------------ running

    @api.model
    def _retail_cron_run(self):
        """Nightly job: each store not planned tonight, one store per commit, with progress."""
        today = self.env.company._retail_today()
        todo = self._retail_stores_to_run(today)
        cron = self.env["ir.cron"]
        cron._commit_progress(remaining=len(todo))
        for store in todo:
            self._retail_run(store, today)
            if not cron._commit_progress(1):
                break

    @api.model
    def _retail_stores_to_run(self, today):
        """The stores whose planning of ``today`` is not done (not started, or failed)."""
        stores = self.env["stock.warehouse"].sudo().search([("retail_store_type", "=", "store")])
        done = self.sudo().search([("date", "=", today), ("state", "=", "done"), ("store_id", "in", stores.ids)])
        return stores - done.store_id

    @api.model
    def _retail_run(self, store, today):
        """Run every step for ``store`` (all or nothing) and return its run of ``today``."""
        Run = self.sudo()
        run = Run.search([("date", "=", today), ("store_id", "=", store.id)]) or Run.create(
            {"date": today, "store_id": store.id})
        started = fields.Datetime.now()
        clock = time.monotonic()
        run.write({"state": "running", "started_at": started, "finished_at": False, "error": False,
                   "step_ids": [Command.clear()]})
        steps = []
        try:
            with self.env.cr.savepoint():
                for sequence, (code, _label, method) in enumerate(self._retail_steps()):
                    step_clock = time.monotonic()
                    count = method(store, today)
                    steps.append(Command.create({"sequence": sequence, "code": code, "count": count,
                                                 "seconds": time.monotonic() - step_clock}))
        except Exception as error:  # one store's trouble does not hold back the others
            _logger.exception("nightly planning of store %s failed", store.display_name)
            self.env.invalidate_all()
            run.write({"state": "failed", "error": str(error), "finished_at": fields.Datetime.now(),
                       "duration": time.monotonic() - clock})
            return run
        run.write({"state": "done", "step_ids": steps, "finished_at": fields.Datetime.now(),
                   "duration": time.monotonic() - clock})
        return run

    def action_run_again(self):
        """Run the selected stores' planning again now, as tonight's (headquarters only)."""
        if not self.env.user.has_group("retail_base.group_retail_hq"):
            raise AccessError(self.env._("Only headquarters runs a store's nightly planning again."))
        self.check_access("read")
        for store in self.store_id:
            self._retail_run(store, store.company_id._retail_today())
        return True


class RetailNightlyRunStep(models.Model):
    _name = "retail.nightly.run.step"
    _description = "Step of a store's nightly planning"
    _order = "run_id, sequence"

    run_id = fields.Many2one("retail.nightly.run", required=True, readonly=True, index=True, ondelete="cascade")
    store_id = fields.Many2one(related="run_id.store_id", store=True)
    sequence = fields.Integer(readonly=True)
    code = fields.Char(required=True, readonly=True)
    name = fields.Char(string="Step", compute="_compute_name")
    count = fields.Integer(string="Records", readonly=True,
                           help="What the step made for the store: forecasts, accuracy rows, changed "
                                "replenishment levels, markdown proposals.")
    seconds = fields.Float(readonly=True, digits=(16, 2))

    @api.depends("code")
    def _compute_name(self):
        labels = {code: label for code, label, _method in self.env["retail.nightly.run"]._retail_steps()}
        for step in self:
            step.name = labels.get(step.code, step.code)
