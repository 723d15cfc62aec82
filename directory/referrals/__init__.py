"""Warm hand-off referrals: recording and following them up (``handoff``), what their
outcomes and unmet searches tell the network (``figures``), boundaries, pages and API."""
