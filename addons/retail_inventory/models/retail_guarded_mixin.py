from odoo import api, models
from odoo.exceptions import AccessError


def check_guarded_create(records, vals_list):
    """Refuse values of ``records._retail_guarded_fields`` in ``vals_list`` (other than empty or
    the field's default), unless the caller is the superuser (see ``RetailGuardedMixin``)."""
    if records.env.su:
        return
    check_guarded(records, [
        name for vals in vals_list for name, value in vals.items()
        if name in records._retail_guarded_fields and value and value != _default(records, name)])


def check_guarded(records, names):
    """Refuse a write of any of ``names`` that is one of ``records._retail_guarded_fields``."""
    if records.env.su:
        return
    guarded = sorted(set(names) & set(records._retail_guarded_fields))
    if guarded:
        refuse_fields(records, guarded)


def refuse_fields(records, names):
    labels = [records._fields[name].get_description(records.env, ["string"])["string"] for name in names]
    raise AccessError(records.env._(
        "%(model)s: %(fields)s cannot be written directly; only its actions set them, once they have checked "
        "who may.",
        fields=", ".join(labels), model=records.env["ir.model"]._get(records._name).sudo().name))


def _default(records, name):
    default = records._fields[name].default
    return default(records) if default else False


class RetailGuardedMixin(models.AbstractModel):
    """Fields that the checks of this addon depend on (what was scanned, approvals, states).

    Only the methods that check who may change them write them, through ``sudo()`` once their
    checks have passed. Any other write, from any user, headquarters included, is refused: a
    field the client could set directly would make every check around it void. Core models
    extended by this addon call the same checks from their own ``create`` and ``write``.
    """

    _name = "retail.guarded.mixin"
    _description = "Fields written only by the methods that check them"

    # names of the fields that only the checking methods write
    _retail_guarded_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        check_guarded_create(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_guarded(self, vals)
        return super().write(vals)
