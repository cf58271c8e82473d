from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Enquiries and call backs"

    def ready(self) -> None:
        from casework.access import register_case_model
        from enquiries.models import (
            CallBack,
            CallBackStatus,
            ChatSession,
            ChatStatus,
            Enquiry,
            EnquiryStatus,
        )
        from enquiries.steps import register as register_steps
        from kernel.roles import Role

        # Customer services work every enquiry. An enquiry can be referred to any specialist
        # team, whose staff then see and answer that one (its page, its files, the admin), and
        # no other.
        register_case_model(
            Enquiry,
            staff_roles={Role.CUSTOMER_SERVICES},
            referred_to_roles={
                Role.REPAIRS,
                Role.COMPLAINTS,
                Role.ASB,
                Role.LETTINGS,
                Role.INCOME,
                Role.COMPLIANCE,
            },
            detail_url_name="enquiries:enquiry_detail",
            statuses=EnquiryStatus,
        )
        register_case_model(
            ChatSession,
            staff_roles={Role.CUSTOMER_SERVICES},
            detail_url_name="enquiries:chat_detail",
            statuses=ChatStatus,
        )
        register_case_model(CallBack, staff_roles={Role.CUSTOMER_SERVICES}, statuses=CallBackStatus)
        register_steps()
