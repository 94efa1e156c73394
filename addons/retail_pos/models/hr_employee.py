from passlib.context import CryptContext

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

# PBKDF2 rounds of an approval PIN: about 15 ms of a worker, where a password's 600,000 cost a
# worker 0.4 to 1.3 s per approval at a busy till. A PIN of six digits has a million values: no
# number of rounds keeps a stolen hash from being tried (600,000 rounds: five days on one core,
# hours on a graphics card), so what protects it is that only administrators can read the hash
# and that wrong PINs lock approvals after a few tries.
APPROVAL_PIN_ROUNDS = 25_000


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    # Core pos_hr sends every till an unsalted SHA-1 of each employee's login PIN and badge, so
    # neither can prove an approval. Managers approve with a secret of their own that only the
    # server holds, hashed with Odoo's password KDF (PBKDF2-SHA512) at APPROVAL_PIN_ROUNDS.
    retail_approval_pin_hash = fields.Char(copy=False, groups="base.group_system")
    retail_approval_pin = fields.Char(
        string="Approval PIN",
        compute="_compute_retail_approval_pin",
        inverse="_inverse_retail_approval_pin",
        groups="hr.group_hr_user,point_of_sale.group_pos_manager",
        help="What this store manager types (or scans from an approval badge) at a till to approve "
        "a cashier's action. It is checked on the server only and never sent to tills; keep it "
        "apart from the login PIN. At least 6 characters.",
    )
    retail_has_approval_pin = fields.Boolean(
        string="Has an Approval PIN", compute="_compute_retail_has_approval_pin", compute_sudo=True,
    )

    def _compute_retail_approval_pin(self):
        # write-only: the PIN is never read back
        self.retail_approval_pin = ""

    def _compute_retail_has_approval_pin(self):
        hashes = {employee.id: employee.retail_approval_pin_hash for employee in self.sudo()}
        for employee in self:
            employee.retail_has_approval_pin = bool(hashes.get(employee.id))

    def _inverse_retail_approval_pin(self):
        for employee in self:
            if employee.retail_approval_pin:
                employee._retail_set_approval_pin(employee.retail_approval_pin)

    def _retail_set_approval_pin(self, pin):
        self.ensure_one()
        pin = (pin or "").strip()
        if len(pin) < 6:
            raise UserError(self.env._("An approval PIN must have at least 6 characters."))
        if pin in {self.sudo().pin, self.sudo().barcode}:
            raise UserError(self.env._(
                "The approval PIN must differ from the login PIN and badge: tills receive those."))
        self.sudo().retail_approval_pin_hash = self._retail_pin_context().hash(pin)

    @api.model
    def _retail_pin_context(self):
        """Odoo's password hashing (passlib, PBKDF2-SHA512), at the rounds of an approval PIN; a
        hash made with other rounds (a password's, say) still verifies and is remade at these."""
        return CryptContext(
            ["pbkdf2_sha512", "plaintext"], deprecated=["plaintext"],
            pbkdf2_sha512__rounds=APPROVAL_PIN_ROUNDS,
            pbkdf2_sha512__min_rounds=APPROVAL_PIN_ROUNDS,
            pbkdf2_sha512__max_rounds=APPROVAL_PIN_ROUNDS,
        )

    def _retail_check_approval_pin(self, pin):
        """Whether ``pin`` is this employee's approval PIN."""
        self.ensure_one()
        stored = self.sudo().retail_approval_pin_hash
        if not stored or not pin or not isinstance(pin, str):
            return False
        genuine, new_hash = self._retail_pin_context().verify_and_update(pin, stored)
        if genuine and new_hash:
            self.sudo().retail_approval_pin_hash = new_hash
        return genuine

    @api.model
    def _load_pos_data_domain(self, data, config):
        domain = super()._load_pos_data_domain(data, config)
        if not config._retail_enforced():
            return domain
        # Core adds every point of sale administrator to every till: a store's till offers the
        # store's own staff (and employees without a user), plus whoever opened it.
        return Domain.AND([domain, [
            "|", "|", ("user_id", "=", False), ("user_id", "=", config.current_user_id.id),
            ("user_id.retail_store_ids", "in", config.warehouse_id.ids),
        ]])

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        warehouse = config.warehouse_id
        users = records.sudo().user_id
        managers = {user.id for user in users if user._retail_is_manager_of(warehouse)}
        employees = {employee.id: employee for employee in records.sudo()}
        for employee in read_records:
            record = employees.get(employee["id"])
            # Only who may approve here, for the till to list them; never a secret.
            employee["_retail_manager"] = bool(
                record and record.user_id.id in managers and record.retail_approval_pin_hash
            )
        return read_records
