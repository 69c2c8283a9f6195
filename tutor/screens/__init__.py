"""The tutor's modal screens, one module each."""
