from odoo import api, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    @api.model
    def _load_pos_data_read(self, records, config):
        read_records = super()._load_pos_data_read(records, config)
        warehouse = config.warehouse_id
        users = records.sudo().user_id
        managers = {user.id for user in users if user._retail_is_manager_of(warehouse)}
        user_by_employee = {employee.id: employee.sudo().user_id.id for employee in records}
        for employee in read_records:
            employee["_retail_manager"] = user_by_employee.get(employee["id"]) in managers
        return read_records
