"""The staff workspace inside the admin: my work across every case type and a household's whole picture."""
