"""The HTTP edge: tokens, the authorisation matrix, ownership, middleware, idempotency, OpenAPI."""
