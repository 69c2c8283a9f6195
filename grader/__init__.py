"""gradschool's grading engine: exercise catalog, sandboxed learner processes, checks and reports."""
