"""Two Feet: the Edcamp wall on every phone and on the projector, with a scheduler behind it."""
