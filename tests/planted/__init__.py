"""A planted corpus for the redactor and the scanner: identifiers that must go, decoys that must stay.

Every value is synthetic: the numbers are built here to pass (or, for decoys, to fail) their
checksums; none belongs to a real person.
"""
