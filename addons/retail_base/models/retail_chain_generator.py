import logging

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import chain_spec

_logger = logging.getLogger(__name__)


class RetailChainGenerator(models.AbstractModel):
    """Builds a deterministic retail chain for demos, tests and benchmarks.

    Each retail addon adds its own data (tiers and cards, dispatch settings, rules) by
    overriding :meth:`_retail_generate_extra`, which receives the ``chain`` dictionary
    built here.
    """

    _name = "retail.chain.generator"
    _description = "Retail chain generator"

    @api.model
    def generate(self, scale="demo", seed=42):
        if scale not in chain_spec.SCALES:
            raise UserError(self.env._("Unknown scale %(scale)s; choose one of %(scales)s.",
                                       scale=scale, scales=", ".join(chain_spec.SCALES)))
        chain = self._generate_chain(chain_spec.SCALES[scale], seed)
        self._retail_generate_extra(chain)
        self.env.invalidate_all()
        return chain["summary"]

    @api.model
    def _generate_chain(self, spec, seed):
        raise UserError(self.env._("The chain generator is not available yet."))

    @api.model
    def _retail_generate_extra(self, chain):
        """Hook: add an addon's own demo data to a freshly generated ``chain``."""
