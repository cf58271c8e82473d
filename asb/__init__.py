"""Reports of anti-social behaviour, hate crime and domestic abuse: safe reporting, 24-hour clocks, action plans."""
