"""Gas, electrical, fire, water, asbestos and lift checks, certificates and PEEPs: the compliance register."""
