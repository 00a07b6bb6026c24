"""The step engine every life cycle runs on: stored deadlines, step dates, refusals."""
