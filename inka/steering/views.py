"""Views of the steering group."""
