"""Days grouped into ranges, so that a query over scattered days reads only those days."""

import datetime

ONE_DAY = datetime.timedelta(days=1)


def contiguous_ranges(days):
    """``[(first, last), ...]``: the runs of consecutive dates in ``days``, in order."""
    ranges = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] + ONE_DAY == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def days_between(first, last):
    """Every date from ``first`` to ``last``, both included."""
    return [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
