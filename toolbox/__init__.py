"""Værktøjskassen's content logic: load, validate, index and render method cards and cases.

Nothing in this package imports MkDocs; `toolbox.mkdocs_hook` and `macros.py` are the only
adapters, so moving to another engine means writing a new thin adapter.
"""
