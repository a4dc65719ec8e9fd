"""The treatment report and GP letter: gather a snapshot, fill the text, finalise, keep."""
