"""The build: report → work records → geocoding → corrections → the published register.

`python -m pipeline` runs it (``pipeline.cli``); ``pipeline.corrections`` is the planners'
corrections store the build and the dashboard share. Settings come from ``works.settings``.
"""
