"""Code that runs inside the learner's process. It imports only the standard library and NumPy
(never the rest of grader/), so learner code cannot reach the reference kernels through it."""
