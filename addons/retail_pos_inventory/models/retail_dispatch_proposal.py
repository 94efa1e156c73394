
from odoo import fields, models
from odoo.tools import SQL


class RetailDispatchProposal(models.Model):
    _inherit = "retail.dispatch.proposal"

    def _retail_promotion_days(self, store, product, first_day, days):
        """The days an approved markdown of one of the pair's lots ran in the store, for part of
        the day at least: what sold then was the markdown's demand."""
        promotion = super()._retail_promotion_days(store, product, first_day, days)
        if not len(store):
            return promotion
        self.env["retail.lot.markdown.step"].flush_model()
        self.env.cr.execute(SQL("""
            SELECT step.store_id, step.product_id,
                   GREATEST(step.date_from::date, %(first_day)s) - %(first_day)s,
                   LEAST((step.date_to - INTERVAL '1 second')::date, %(today)s) - %(first_day)s
              FROM retail_lot_markdown_step step
             WHERE step.state = 'approved' AND step.store_id = ANY(%(stores)s)
               AND step.date_to > %(first_day)s AND step.date_from <= %(now)s
        """, first_day=first_day, today=fields.Datetime.now().date(), now=fields.Datetime.now(),
            stores=sorted({int(value) for value in store})))
        rows = self.env.cr.fetchall()
        if not rows:
            return promotion
        position = {(int(s), int(p)): index for index, (s, p) in enumerate(zip(store, product, strict=True))}
        for store_id, product_id, start, end in rows:
            index = position.get((store_id, product_id))
            if index is not None and end >= start:
                promotion[index, max(start, 0):min(end, days - 1) + 1] = True
        return promotion
