from . import expiry, planner, velocity
