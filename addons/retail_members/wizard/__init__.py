from . import base_partner_merge_automatic_wizard
from . import retail_member_merge_wizard
