"""The rule module: pure, cited rules of the two regulations.

- ``citations``: the sentences every rule rests on.
- ``calendar``: working days, holidays and make-up working days.
- ``periods``: deadlines in working days, days and months (民法典 arts. 201-203).
- ``profiles``: every number and switch, next to its citation.
- ``eligibility``: the credit check (信用核验).
- ``lifecycles``: transition tables of commitments and listings, and their deadlines.
- ``restrictions``: listing and subject state on a given day, derived from history.
- ``disclosure``: which events leave the department (LZ §5(1)4: determined listings only).

No I/O, no clock, no settings: today, the calendar and the profile are parameters.
"""
