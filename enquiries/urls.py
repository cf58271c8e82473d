from django.urls import path

from enquiries import views

app_name = "enquiries"
urlpatterns = [
    # Customers
    path("", views.contact_us, name="contact_us"),
    path("enquiries/", views.enquiry_list, name="enquiry_list"),
    path("enquiries/new/", views.enquiry_new, name="enquiry_new"),
    path("enquiries/<reference:reference>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<reference:reference>/files/", views.enquiry_add_file, name="enquiry_add_file"),
    path("call-back/", views.callback_new, name="callback_new"),
    path("call-back/<reference:reference>/", views.callback_done, name="callback_done"),
    path("chat/", views.chat_start, name="chat_start"),
    path("chat/<reference:reference>/", views.chat_detail, name="chat_detail"),
    path("chat/<reference:reference>/messages/", views.chat_messages, name="chat_messages"),
    path("chat/<reference:reference>/send/", views.chat_send, name="chat_send"),
    path("chat/<reference:reference>/end/", views.chat_end, name="chat_end"),
    path(
        "chat/<reference:reference>/enquiry/", views.chat_leave_enquiry, name="chat_leave_enquiry"
    ),
    path("visits/", views.visit_list, name="visit_list"),
    # Staff
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/customers/", views.staff_customer_search, name="staff_customer_search"),
    path(
        "staff/customers/<id:customer_id>/log/", views.staff_log_contact, name="staff_log_contact"
    ),
    path(
        "staff/customers/<id:customer_id>/call-back/",
        views.staff_callback_new,
        name="staff_callback_new",
    ),
    path(
        "staff/customers/<id:customer_id>/visit/", views.staff_visit_book, name="staff_visit_book"
    ),
    path("staff/call-backs/", views.staff_callback_queue, name="staff_callback_queue"),
    path("staff/call-backs/<reference:reference>/", views.staff_callback, name="staff_callback"),
    path("staff/chats/", views.staff_chat_queue, name="staff_chat_queue"),
    path("staff/chats/queue.json", views.staff_chat_queue_json, name="staff_chat_queue_json"),
    path("staff/chats/<reference:reference>/", views.staff_chat, name="staff_chat"),
    path(
        "staff/chats/<reference:reference>/pick-up/",
        views.staff_chat_pick_up,
        name="staff_chat_pick_up",
    ),
    path(
        "staff/chats/<reference:reference>/messages/",
        views.staff_chat_messages,
        name="staff_chat_messages",
    ),
    path("staff/chats/<reference:reference>/send/", views.staff_chat_send, name="staff_chat_send"),
    path("staff/chats/<reference:reference>/end/", views.staff_chat_end, name="staff_chat_end"),
    path(
        "staff/chats/<reference:reference>/convert/",
        views.staff_chat_convert,
        name="staff_chat_convert",
    ),
    path("staff/visits/", views.staff_visit_list, name="staff_visit_list"),
    path("staff/visits/<id:pk>/", views.staff_visit, name="staff_visit"),
    path("staff/visits/<id:pk>/late/", views.staff_visit_late, name="staff_visit_late"),
    path(
        "staff/visits/<id:pk>/no-one-in/",
        views.staff_visit_no_access,
        name="staff_visit_no_access",
    ),
    path("staff/visits/<id:pk>/done/", views.staff_visit_complete, name="staff_visit_complete"),
    path("staff/visits/<id:pk>/cancel/", views.staff_visit_cancel, name="staff_visit_cancel"),
    path("staff/calls/import/", views.staff_call_import, name="staff_call_import"),
    path("staff/dashboard/", views.staff_dashboard, name="staff_dashboard"),
]
