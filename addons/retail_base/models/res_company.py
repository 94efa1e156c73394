import datetime

import pytz

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _retail_today(self):
        """Today where the company's stores are (its address' time zone), whoever asks: the
        nightly jobs run as a user with no time zone, whose day is UTC's."""
        self.ensure_one()
        tz = self.partner_id.tz or self.env.user.tz
        if tz not in pytz.all_timezones_set:
            return fields.Date.today()  # UTC's: never the time zone a caller puts in the context
        return datetime.datetime.now(pytz.utc).astimezone(pytz.timezone(tz)).date()
