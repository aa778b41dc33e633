"""BeatDesk: the neighbourhood-policing desk.

Layers, outer to inner: ``ui`` and ``cli`` call ``services``; services use ``models``, ``database``
and ``geo``. Nothing below ``ui`` imports Qt.
"""

__version__ = "0.1.0"
