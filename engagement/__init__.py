"""Feedback, consultations, "you said, we did", involvement, news and satisfaction surveys."""
