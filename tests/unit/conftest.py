"""Pure rules: no test here may touch the database (pytest-django refuses unless marked)."""
