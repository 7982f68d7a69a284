"""Building blocks every layer may use; they import nothing of the project's own."""
