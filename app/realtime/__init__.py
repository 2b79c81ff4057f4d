"""Live updates: the per-process hub and the cross-process broadcast backends."""
