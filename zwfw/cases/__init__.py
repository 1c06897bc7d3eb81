"""Case handling (办件). This session holds the pure core only: the state table and the clock.

The models, services, API and pages arrive with the case-handling issue.
"""
