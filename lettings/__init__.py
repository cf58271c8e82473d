"""Empty homes, adverts, offers, viewings, sign-up, settling in and mutual exchanges."""
