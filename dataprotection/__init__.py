"""Subject access, corrections, retention and erasure, and the record of who read what."""
