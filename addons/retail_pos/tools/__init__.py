from . import approval_token, policy
