"""Views of case work, one module per part of the work (see inka/cases/urls.py)."""
