"""Open Referral HSDS 3.0: the mapping of records to HSDS rows (``mapping``, ``schemas``),
the data package export (``export``), checking (``package``, each row by ``row_checks``)
and import (``load``), the HSDS API (``feed``, ``objects``, ``api``), the coordinators'
page and the commands."""
