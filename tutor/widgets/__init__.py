"""The tutor's widgets, one module each."""
