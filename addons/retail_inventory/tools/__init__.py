from . import expiry, gs1, planner, quantities, receiving, velocity
