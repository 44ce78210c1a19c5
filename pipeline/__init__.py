"""The build: report → register (→ geocoding → districts, as those stages land).

`python -m pipeline` runs it; `pipeline.paths` says where inputs are found and outputs go.
"""
