"""A migration's status (Nova's values for cold migrations and resizes),
shared by the conductor that records it and the compute hosts that move it.

``pre-migrating`` (recorded with the action, until the source starts),
``migrating`` (the source powers the guest off), ``post-migrating`` (the
guest left the source), ``finished`` (it runs on the destination, the
server in VERIFY_RESIZE), then ``confirming``/``confirmed`` or
``reverting``/``reverted``; ``error`` when the move failed.
"""

PRE_MIGRATING = "pre-migrating"
MIGRATING = "migrating"
POST_MIGRATING = "post-migrating"
FINISHED = "finished"
CONFIRMING = "confirming"
CONFIRMED = "confirmed"
REVERTING = "reverting"
REVERTED = "reverted"
ERROR = "error"
