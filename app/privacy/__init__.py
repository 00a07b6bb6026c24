"""Personal data: encryption at rest, blind indexes, masking, key rotation."""
