"""Forms of neighbourhood work: parsing and field checks; rules that need other rows are in services."""
