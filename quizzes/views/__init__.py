"""Thin views, a module per page: fetch what the learner owns, call a service or a selector."""
