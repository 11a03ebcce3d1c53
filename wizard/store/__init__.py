"""Saving and resuming sessions on disk, and the save-file format."""
