"""Search: from filters to a page of services (``query``, read only, with ``filters``,
``keywords``, ``near`` and ``results``, which it calls and which never call it back), the
index that makes it fast and keeps it in step with every change (``index``), its boundaries
(``schemas``), the search page and ``GET /api/v1/services``."""
