"""12315 投诉向导: a terminal wizard for filing complaints on the 12315 platform."""

__version__ = "0.1.0"
