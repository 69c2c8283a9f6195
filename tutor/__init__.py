"""gradschool's learner-facing side: the command line and the Textual tutor."""
