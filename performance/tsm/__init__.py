"""The Tenant Satisfaction Measures: definitions by reporting year, one provider per area,
and the return built from them. See ``registry`` for the interface a provider implements."""
