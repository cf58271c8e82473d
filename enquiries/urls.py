from django.urls import path

from enquiries import views

app_name = "enquiries"
urlpatterns = [
    # Customers
    path("", views.contact_us, name="contact_us"),
    path("enquiries/", views.enquiry_list, name="enquiry_list"),
    path("enquiries/new/", views.enquiry_new, name="enquiry_new"),
    path("enquiries/<str:reference>/", views.enquiry_detail, name="enquiry_detail"),
    path("enquiries/<str:reference>/files/", views.enquiry_add_file, name="enquiry_add_file"),
    path("call-back/", views.callback_new, name="callback_new"),
    path("call-back/<str:reference>/", views.callback_done, name="callback_done"),
    path("chat/", views.chat_start, name="chat_start"),
    path("chat/<str:reference>/", views.chat_detail, name="chat_detail"),
    path("chat/<str:reference>/messages/", views.chat_messages, name="chat_messages"),
    path("chat/<str:reference>/send/", views.chat_send, name="chat_send"),
    path("chat/<str:reference>/end/", views.chat_end, name="chat_end"),
    path("chat/<str:reference>/enquiry/", views.chat_leave_enquiry, name="chat_leave_enquiry"),
    path("visits/", views.visit_list, name="visit_list"),
    # Staff
    path("staff/", views.staff_home, name="staff_home"),
    path("staff/customers/", views.staff_customer_search, name="staff_customer_search"),
    path(
        "staff/customers/<int:customer_id>/log/", views.staff_log_contact, name="staff_log_contact"
    ),
    path(
        "staff/customers/<int:customer_id>/call-back/",
        views.staff_callback_new,
        name="staff_callback_new",
    ),
    path(
        "staff/customers/<int:customer_id>/visit/", views.staff_visit_book, name="staff_visit_book"
    ),
    path("staff/call-backs/", views.staff_callback_queue, name="staff_callback_queue"),
    path("staff/call-backs/<str:reference>/", views.staff_callback, name="staff_callback"),
    path("staff/chats/", views.staff_chat_queue, name="staff_chat_queue"),
    path("staff/chats/queue.json", views.staff_chat_queue_json, name="staff_chat_queue_json"),
    path("staff/chats/<str:reference>/", views.staff_chat, name="staff_chat"),
    path(
        "staff/chats/<str:reference>/pick-up/", views.staff_chat_pick_up, name="staff_chat_pick_up"
    ),
    path(
        "staff/chats/<str:reference>/messages/",
        views.staff_chat_messages,
        name="staff_chat_messages",
    ),
    path("staff/chats/<str:reference>/send/", views.staff_chat_send, name="staff_chat_send"),
    path("staff/chats/<str:reference>/end/", views.staff_chat_end, name="staff_chat_end"),
    path(
        "staff/chats/<str:reference>/convert/", views.staff_chat_convert, name="staff_chat_convert"
    ),
    path("staff/visits/", views.staff_visit_list, name="staff_visit_list"),
    path("staff/visits/<int:pk>/", views.staff_visit, name="staff_visit"),
    path("staff/visits/<int:pk>/late/", views.staff_visit_late, name="staff_visit_late"),
    path(
        "staff/visits/<int:pk>/no-one-in/",
        views.staff_visit_no_access,
        name="staff_visit_no_access",
    ),
    path("staff/visits/<int:pk>/done/", views.staff_visit_complete, name="staff_visit_complete"),
    path("staff/visits/<int:pk>/cancel/", views.staff_visit_cancel, name="staff_visit_cancel"),
    path("staff/calls/import/", views.staff_call_import, name="staff_call_import"),
    path("staff/dashboard/", views.staff_dashboard, name="staff_dashboard"),
]
