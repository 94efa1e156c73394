from . import retail_member_merge_wizard
