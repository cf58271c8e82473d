from django.urls import path

from rent import views

app_name = "rent"
urlpatterns = [
    # Customers
    path("", views.rent_account, name="account"),
    path("statement.pdf", views.statement_pdf, name="statement_pdf"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("how-to-pay/", views.how_to_pay, name="how_to_pay"),
    path("direct-debit/", views.direct_debit, name="direct_debit"),
    path("direct-debit/cancel/", views.cancel_direct_debit, name="direct_debit_cancel"),
    path("direct-debit/cancelled/", views.direct_debit_cancelled, name="direct_debit_cancelled"),
    path("help-paying/", views.struggling, name="struggling"),
    path("notices/<id:line_id>/letter.pdf", views.notice_letter, name="notice_letter"),
    path("household/", views.household_access, name="household_access"),
    # Staff
    path("staff/arrears/", views.staff_arrears_queue, name="staff_arrears_queue"),
    path("staff/payments/", views.staff_payments_import, name="staff_payments_import"),
    path("staff/rent-change/", views.staff_rent_change, name="staff_rent_change"),
]
