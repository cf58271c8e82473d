"""The floor every app stands on: who may see a view, staff roles, form helpers and text checks,
reading the environment, and the one way dates and times are written.

It imports no app of the project, so any app may import it without pulling the house upwards
(the import contract in ``pyproject.toml`` holds it to that).
"""
