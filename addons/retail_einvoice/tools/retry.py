"""When a request whose call got no answer is sent again by itself.

A call that timed out or could not reach the provider says nothing about the request: the
provider may have issued it and lost the answer, or never seen it. Sending it again with the
same idempotency key is safe (the provider answers its earlier result), so the job retries it
after a growing pause. A refusal (a SOAP fault) is the provider's answer and is never retried by
itself: the buyer or the settings must change first.
"""

# minutes to wait after the first, second, third and fourth call without an answer; after the
# fifth, the request stays in finance's queue
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(RETRY_DELAYS_MINUTES) + 1
RETRYABLE_OUTCOMES = frozenset({"timeout", "connection"})


def next_retry_delay(outcome, attempts):
    """Minutes until the next automatic call after ``attempts`` calls, the last one ending in
    ``outcome``; ``None`` when there is to be none."""
    if outcome not in RETRYABLE_OUTCOMES or attempts < 1 or attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS_MINUTES[attempts - 1]
