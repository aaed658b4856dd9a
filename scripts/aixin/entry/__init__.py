"""Guided entry of a new record (`aixin new`): questions from the schemas, answers checked as typed."""
