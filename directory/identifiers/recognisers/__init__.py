"""The recognisers, one per kind of identifier: each yields (kind, start, end) on the
normalised copy. One module per family: ``persons`` (a person's name after a title or a
cue word, or a known first name with a surname), ``contacts`` (e-mail addresses, phone
numbers, social-media handles and profile links), ``dates`` (dates that read as a birth
date), ``places`` (street addresses, units, where someone lives told in words) and
``numbers`` (ID numbers, licence plates, case numbers holding a name)."""

Found = tuple[str, int, int]  # (kind, start, end) of one identifier found
