from . import expiry, gs1, planner, receiving, velocity
