"""Background jobs on the national index (shared core, no portal context)."""
