from . import expiry, gs1, planner, velocity
