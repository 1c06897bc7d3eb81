"""Password rules, every message in Chinese.

Django's own validators are used for the checks, with their messages replaced: the zh-hans
catalogue lacks some of them (the minimum length message comes out in English), and a staff
member must never meet an English refusal (issue 11 point 13)."""

import string

from django.contrib.auth import password_validation as django_validators
from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassValidator:
    """A password mixes at least 3 of: lower case, upper case, digits, symbols."""

    def validate(self, password, user=None):
        if character_classes(password) < 3:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、符号中的三类。",
                code="password_classes",
            )

    def get_help_text(self):
        return "密码至少8位，须包含大写字母、小写字母、数字、符号中的至少三类。"


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    """Django's similarity check against username, names and e-mail."""

    def get_error_message(self):
        return "密码与%(verbose_name)s过于相似。"

    def get_help_text(self):
        return "密码不能与用户名、姓名等个人信息相似。"


class UsernameInPasswordValidator:
    """The username (3 characters or more), forwards or backwards, is not part of the password:
    the similarity ratio lets "zhangsan@Work2026" through."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        lowered = password.lower()
        if len(username) >= 3 and (username in lowered or username[::-1] in lowered):
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return "该密码过于常见，容易被猜中。"

    def get_help_text(self):
        return "密码不能是常见密码。"


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全是数字。"

    def get_help_text(self):
        return "密码不能全是数字。"
