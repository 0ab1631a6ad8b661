"""Scenarios: stories played on the semantics engine (pure: no rich, typer or questionary).

- `model.py` — the scenario as data (built by `studyaws/content/scenarios.py` from YAML);
- `run.py` — run a scenario into a `Timeline`, read each checkpoint's answer from the engine,
  `--set` overrides;
- `compare.py` — two timelines side by side (what if a setting were different);
- `check.py` — the executable content check (SA501, SA407);
- `questions.py` — quiz questions of type `predict`, one per checkpoint.

Only `model.py` is imported by the content loader; the rest import the engine when used.
"""
