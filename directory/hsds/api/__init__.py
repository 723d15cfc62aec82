"""The HSDS API (``/hsds/...``): request parameters (``params``), HSDS objects from
records (``objects``), the paged feed (``feed``) and the endpoints (``endpoints``)."""
