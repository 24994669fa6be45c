"""Reads of neighbourhood work. Callers pass the site ids they may see; the scope is the net."""
