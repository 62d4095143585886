from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toolbox.accounts"
    label = "accounts"
    verbose_name = "Accounts and schools"
