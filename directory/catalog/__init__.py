"""The catalog: organizations and their services as the directory holds them.

Editing and verifying records (``records``), AAAQ ratings (``ratings``), de-identified
feedback notes (``feedback``), the coordinator's review queue (``review``), what a user
sees of a service (``present``), the edit forms (``forms``), their boundaries
(``schemas``), pages and API.
"""
