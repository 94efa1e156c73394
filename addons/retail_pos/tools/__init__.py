from . import credential, policy
