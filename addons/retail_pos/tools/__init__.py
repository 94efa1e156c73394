from . import approval_token, capitals, policy
