"""Oversight statistics (LZ §6(2), §6(3); DZ art. 4, art. 16 ¶2): a read model over the
credit checks, commitments and listings, per department and period."""
