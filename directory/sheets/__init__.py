"""Printable sheets: the Section V directory sheet (``sheet``), its CSV export (``export``)
and the discreet wallet card (``card``), with their pages."""
