"""Estate inspections, communal services, bulk rubbish, graffiti and local partners."""
