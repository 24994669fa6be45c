"""Writes of neighbourhood work: validated, atomic, with an audit entry naming the actor."""
