"""Partners keep their own listings current: update requests e-mailed with a personal link,
the partner's page (no account: the link is the key), "all still correct" or field-by-field
suggestions, the coordinator's decisions, and standing capacity links.

``links`` (tokens), ``requests`` (sending, reminders, the board), ``listing`` (what a
partner sees), ``proposals`` (the fields a partner may suggest), ``answers`` (confirm,
suggest, capacity), ``decisions`` (accept or reject), ``mail`` (the messages), ``schemas``,
``pages``, ``api``.
"""
