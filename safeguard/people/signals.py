"""Signals people sends for higher apps to hear (docs/architecture.md: "to tell, without
asking anything back").

``household_changed``: someone joined or left a household (a residence began or ended), sent
in the transaction of the change, so that what a receiver writes stands or falls with it.
Arguments: ``residence`` (the ``Residence`` that began or ended), ``change`` (``"joined"``
or ``"left"``), ``on`` (the date), ``by`` (who recorded it). Casework writes it on the
chronology of each child of the household (decision 0048).
"""

from django.dispatch import Signal

household_changed = Signal()

JOINED, LEFT = "joined", "left"
