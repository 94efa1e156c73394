from odoo import models

# keys of the caller's context that only change how texts and dates read
KEPT_CONTEXT_KEYS = ("lang", "tz")


class RetailStoreMixin(models.AbstractModel):
    _inherit = "retail.store.mixin"

    def _retail_sudo_for_checked_caller(self):
        """These records in sudo, once the caller's rights were checked, with nothing of the
        caller's context but its language and time zone.

        Over RPC the context is the caller's choice: in sudo, a ``default_*`` key would fill
        the fields of the records created, ``tracking_disable`` would leave no trace in the
        chatter and ``active_test`` would widen searches.
        """
        context = {key: self.env.context[key] for key in KEPT_CONTEXT_KEYS if key in self.env.context}
        return self.sudo().with_context(context)  # pylint: disable=context-overridden
