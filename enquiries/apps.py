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

        # An enquiry can be referred to any specialist team, whose staff then answer it.
        register_case_model(
            Enquiry,
            staff_roles={
                Role.CUSTOMER_SERVICES,
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
