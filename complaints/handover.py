"""What other service apps may ask of complaints: open a complaint about one of their cases.

Code 1.3-1.5: dissatisfaction expressed anywhere (an enquiry, a chat, a repair that is not fixed)
becomes a complaint through these two entry points and no other.
"""

from complaints.services import complaint_create, complaint_create_from_case

__all__ = ["complaint_create", "complaint_create_from_case"]
