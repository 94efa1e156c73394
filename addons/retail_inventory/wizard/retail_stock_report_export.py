from odoo import fields, models


class RetailStockReportExport(models.TransientModel):
    _name = "retail.stock.report.export"
    _description = "Chain stock rows exported to a spreadsheet"

    file = fields.Binary(readonly=True)
    filename = fields.Char(readonly=True)
