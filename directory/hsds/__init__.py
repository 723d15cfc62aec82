"""Open Referral HSDS: two wings over what they share.

- shared: the mapping of records to HSDS rows (``mapping``, ``schemas``, ``source_rows``)
  and the data package export (``export``);
- ``importing/``: reading a package as published, checking every row (``package``,
  ``row_checks``, ``values``, ``legacy``, ``ohana``) and writing it as a sync (``load``,
  ``places``, ``terms``, ``sync``, ``sync_parts``, ``report``);
- ``api/``: the HSDS API (``params``, ``objects``, ``feed``, ``endpoints``);
- the coordinators' page (``pages``), the import job (``jobs``, ``imports_api``) and the
  commands (``cli``).

The two wings never import each other (an import contract in ``pyproject.toml``)."""
