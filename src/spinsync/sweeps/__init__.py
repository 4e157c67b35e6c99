"""Parameter sweeps: a base model plus axes, solved in batches, checkpointed, saved as NetCDF."""
